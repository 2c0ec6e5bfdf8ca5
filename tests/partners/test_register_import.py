"""Importing organisations (with contact persons) and IOP agreements from a file: the
preview, the confirmation, matching and idempotency, all or nothing, and the history."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from municipality import register_import
from municipality.history import entries
from municipality.models import RegisterImport
from partners.models import ContactPerson, Organisation, Partnership
from partners.register_import import ORGANISATIONS, PARTNERSHIPS
from tests.import_steps import upload_and_map
from tests.test_access_post import changed_tables, snapshot

ORG_HEADER = [
    "Organisationsnummer",
    "Namn",
    "Juridisk form",
    "Ort",
    "Kontaktperson",
    "Kontaktpersonens e-post",
    "Anteckning",
]


def csv_file(header, rows, *, encoding="cp1252", delimiter=";"):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return output.getvalue().encode(encoding)


def org_rows():
    return [
        ["802479-1454", "Gatans röst", "ideell förening", "Malmö", "Åsa Öberg", "asa@gatan.se",
         "x"],
        ["8020023431", "Röda Korset Malmö krets", "", "Malmö", "", "", ""],
    ]  # fmt: skip


def plan(kind, data, user):
    return register_import.plan(kind, data, user=user)


def problems(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def test_organisations_are_created_updated_and_left_unchanged(cast):
    result = plan(ORGANISATIONS, csv_file(ORG_HEADER, org_rows()), cast.staff)
    assert problems(result) == []
    assert [(i.row, i.what, i.name) for i in result.create] == [
        (2, "Organisation", "Gatans röst"),
        (2, "Kontaktperson", "Åsa Öberg (Gatans röst)"),
    ]
    # The cast's organisation, matched by its number written without a hyphen: only the
    # city differs.
    assert [(i.row, i.name, i.changes) for i in result.update] == [
        (3, "Röda Korset Malmö krets", [("ort", "–", "Malmö")])
    ]
    assert result.ignored == ["Anteckning"]
    register_import.run(
        ORGANISATIONS, csv_file(ORG_HEADER, org_rows()), user=cast.staff, file_name="reg.csv"
    )
    new = Organisation.objects.get(org_number="802479-1454")
    assert (new.municipality, new.legal_form, new.city) == (cast.malmo, "non_profit", "Malmö")
    assert list(new.contacts.values_list("name", "email")) == [("Åsa Öberg", "asa@gatan.se")]
    cast.org.refresh_from_db()
    assert cast.org.city == "Malmö"


def test_the_same_file_twice_changes_nothing_the_second_time(cast):
    data = csv_file(ORG_HEADER, org_rows())
    register_import.run(ORGANISATIONS, data, user=cast.staff, file_name="reg.csv")
    before = snapshot()
    again = register_import.run(ORGANISATIONS, data, user=cast.staff, file_name="reg.csv")
    assert (again.create, again.update, len(again.unchanged)) == ([], [], 3)
    assert changed_tables(before, snapshot()) == []


def test_history_shows_the_importing_user_and_the_file(cast):
    register_import.run(
        ORGANISATIONS, csv_file(ORG_HEADER, org_rows()), user=cast.staff, file_name="reg.csv"
    )
    (latest, *_earlier) = entries(Organisation.history.filter(id=cast.org.pk))
    assert (latest.who, latest.reason) == (cast.staff, "Importerad från reg.csv")
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("ort", "–", "Malmö")]
    contact = ContactPerson.objects.get(name="Åsa Öberg")
    record = contact.history.get()
    assert (record.history_user, record.history_change_reason) == (
        cast.staff,
        "Importerad från reg.csv",
    )


def test_contact_persons_are_matched_by_email_then_name(cast):
    header = ["organisationsnummer", "namn", "kontaktperson", "kontaktpersonens e-post",
              "kontaktpersonens telefon"]  # fmt: skip
    cast.contact.refresh_from_db()
    rows = [[cast.org.org_number, cast.org.name, cast.contact.name, "", "040-11 22 33"]]
    result = plan(ORGANISATIONS, csv_file(header, rows, encoding="utf-8-sig"), cast.staff)
    assert problems(result) == []
    assert [(i.what, i.changes) for i in result.update] == [
        ("Kontaktperson", [("telefon", cast.contact.phone or "–", "040-11 22 33")])
    ]


def test_bad_rows_are_reported_and_nothing_is_written(cast):
    rows = [
        ["802479-1454", "Gatans röst", "", "", "", "", ""],
        ["802479-1454", "Gatans röst igen", "", "", "", "", ""],  # the same number
        ["802479-1455", "Fel kontrollsiffra", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],  # empty: skipped
        ["", "Utan nummer", "bolag", "", "", "", ""],  # unknown legal form
        ["802480-1238", "Brukarföreningen", "", "", "", "inte-en-adress", ""],
    ]
    before = snapshot()
    result = plan(ORGANISATIONS, csv_file(ORG_HEADER, rows), cast.staff)
    assert [(row, column) for row, column, _m in problems(result)] == [
        (3, "Organisationsnummer"),
        (4, "Organisationsnummer"),
        (6, "Juridisk form"),
        (7, "Kontaktperson"),
    ]
    assert "Samma organisationsnummer som på rad 2" in problems(result)[0][2]
    assert "kontrollsiffra" in problems(result)[1][2]
    assert result.write is None
    assert changed_tables(before, snapshot()) == []


def test_a_bad_last_row_leaves_the_database_unchanged(cast):
    rows = [
        ["802479-1454", "Gatans röst", "", "", "", "", ""],
        ["802479-1462", "Två", "", "", "", "", ""],
        ["123", "Sista raden", "", "", "", "", ""],
    ]
    before = snapshot()
    try:
        register_import.run(
            ORGANISATIONS, csv_file(ORG_HEADER, rows), user=cast.staff, file_name="x.csv"
        )
    except register_import.Refused as refused:
        assert [p.row for p in refused.plan.problems] == [4]
    else:
        raise AssertionError("the file was imported")
    assert changed_tables(before, snapshot()) == []


def test_rows_without_a_number_match_by_name(cast):
    Organisation.objects.create(municipality=cast.malmo, name="Nätverket Grannar")
    header = ["organisationsnummer", "namn", "ort"]
    result = plan(
        ORGANISATIONS, csv_file(header, [["", "nätverket  grannar", "Malmö"]]), cast.staff
    )
    assert [(i.name, i.changes) for i in result.update] == [
        ("Nätverket Grannar", [("ort", "–", "Malmö")])
    ]


def test_kalmar_staff_import_into_kalmar(cast):
    header = ["organisationsnummer", "namn"]
    # Malmö's organisation number is new in Kalmar: a Kalmar organisation is created.
    result = plan(ORGANISATIONS, csv_file(header, [[cast.org.org_number, "X"]]), cast.kalmar_staff)
    assert len(result.create) == 1
    register_import.run(
        ORGANISATIONS,
        csv_file(header, [[cast.org.org_number, "X"]]),
        user=cast.kalmar_staff,
        file_name="k.csv",
    )
    assert Organisation.objects.get(name="X").municipality == cast.kalmar


# IOP agreements ---------------------------------------------------------------------------

IOP_HEADER = ["titel", "diarienummer", "parter", "beslutande nämnd", "ansvarig förvaltning",
              "syfte", "startdatum", "slutdatum", "årlig ersättning", "uppsägningstid"]  # fmt: skip


def iop_row(cast, **changes):
    row = {
        "titel": "IOP Vinteröppet",
        "diarienummer": "ASN-2026-00012",
        "parter": f"{cast.org.org_number}; Brukarföreningen Malmö",
        "beslutande nämnd": cast.asn.name,
        "ansvarig förvaltning": cast.asf.name,
        "syfte": "Öppen verksamhet vintertid.",
        "startdatum": "1/1/2026",
        "slutdatum": "2028-12-31 00:00",
        "årlig ersättning": "1 200 000 kr",
        "uppsägningstid": "6",
        **changes,
    }
    return [row[name] for name in IOP_HEADER]


def test_agreements_are_imported_with_their_parties_and_history(cast):
    data = csv_file(IOP_HEADER, [iop_row(cast)], encoding="utf-8")
    result = register_import.run(PARTNERSHIPS, data, user=cast.staff, file_name="iop.csv")
    assert problems(result) == [] and len(result.create) == 1
    agreement = Partnership.objects.get(case_number="ASN-2026-00012")
    assert sorted(agreement.parties.values_list("name", flat=True)) == [
        "Brukarföreningen Malmö",
        "Röda Korset Malmö krets",
    ]
    assert (agreement.yearly_compensation, str(agreement.start_date)) == (1_200_000, "2026-01-01")
    (entry,) = entries(Partnership.history.filter(id=agreement.pk))
    assert (entry.who, entry.reason) == (cast.staff, "Importerad från iop.csv")
    before = snapshot()
    again = register_import.run(PARTNERSHIPS, data, user=cast.staff, file_name="iop.csv")
    assert (again.create, again.update, len(again.unchanged)) == ([], [], 1)
    assert changed_tables(before, snapshot()) == []
    changed = csv_file(IOP_HEADER, [iop_row(cast, **{"årlig ersättning": "1300000"})])
    result = plan(PARTNERSHIPS, changed, cast.staff)
    (item,) = result.update
    assert item.changes == [("ersättning per år (kr)", "1200000", "1300000")]


def test_agreement_problems(cast):
    rows = [
        iop_row(cast, **{"slutdatum": "2025-12-31"}),  # end before start
        iop_row(cast, diarienummer="B", **{"beslutande nämnd": "Okända nämnden"}),
        iop_row(cast, diarienummer="C", **{"ansvarig förvaltning": cast.frf.name}),  # not kept
        iop_row(cast, diarienummer="D", parter="Finns inte"),
        iop_row(cast, diarienummer="E", **{"årlig ersättning": "-5"}),
        iop_row(cast, diarienummer="F", startdatum="31/2/2026"),
        iop_row(cast, diarienummer=cast.partnership.case_number or "G"),
    ]
    result = plan(PARTNERSHIPS, csv_file(IOP_HEADER, rows), cast.other_staff)
    found = [(row, column) for row, column, _m in problems(result)]
    assert (2, "slutdatum") in found
    assert (3, "beslutande nämnd") in found
    assert (5, "parter") in found
    assert (6, "årlig ersättning") in found
    assert (7, "startdatum") in found
    messages = {(r, c): m for r, c, m in problems(result)}
    assert messages[(6, "årlig ersättning")] == "Ett belopp kan inte vara negativt."


def test_an_agreement_of_another_förvaltning_is_refused(cast):
    rows = [iop_row(cast)]
    result = plan(PARTNERSHIPS, csv_file(IOP_HEADER, rows), cast.other_staff)
    assert [(r, c) for r, c, _m in problems(result)] == [(2, "ansvarig förvaltning")]


# The web flow ------------------------------------------------------------------------------


def upload(client, kind, data, name="register.csv"):
    """Upload the file and take the mapping step as it is pre-filled."""
    return upload_and_map(client, kind, data, name)


def test_upload_preview_confirm(client, cast):
    client.force_login(cast.staff)
    response = upload(client, "organisations", csv_file(ORG_HEADER, org_rows()))
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "2 poster skapas." in text
    assert "Ort:</span> – → Malmö" in text
    assert Organisation.objects.filter(name="Gatans röst").count() == 0
    record, result = page.context["record"], page.context["plan"]
    response = client.post(
        response["Location"], {"digest": record.digest, "plan": result.fingerprint()}
    )
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "2 skapade, 1 uppdaterade, 0 oförändrade" in done
    assert Organisation.objects.filter(name="Gatans röst").count() == 1
    assert bytes(RegisterImport.objects.get().data) == b""


def test_confirming_a_changed_plan_writes_nothing(client, cast):
    client.force_login(cast.staff)
    response = upload(client, "organisations", csv_file(ORG_HEADER, org_rows()))
    record = RegisterImport.objects.get()
    before = snapshot()
    client.post(response["Location"], {"digest": record.digest, "plan": "0" * 64})
    assert changed_tables(before, snapshot()) == []
    page = client.get(response["Location"])
    assert "Inget importerades" in page.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_upload(client, cast):
    client.force_login(cast.staff)
    response = upload(client, "organisations", b"\x00\x01\x02 binary", name="bild.png")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil."
    ]
    assert RegisterImport.objects.count() == 0


def test_a_missing_required_column_must_be_chosen_in_the_mapping_step(client, cast):
    client.force_login(cast.staff)
    response = upload(client, "partnerships", csv_file(["titel", "syfte"], [["a", "b"]]))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "Välj kolumnen som innehåller ”Parter”: importen behöver den." in errors


def test_template_round_trip(client, cast):
    """Download the template, fill in a row under its example, import it."""
    client.force_login(cast.staff)
    response = client.get(reverse("register_import_template", args=["organisations"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["organisationsnummer", "namn", "juridisk form"]
    validations = sheet.data_validations.dataValidation
    assert [str(v.sqref).split(":")[0] for v in validations] == ["C2"]
    lists = book.worksheets[1]
    assert lists.sheet_state == "hidden"
    assert [row[0].value for row in lists.iter_rows()][:2] == ["ideell förening", "stiftelse"]
    sheet.append(["802479-1454", "Gatans röst", "stiftelse"])
    output = io.BytesIO()
    book.save(output)
    response = upload(client, "organisations", output.getvalue(), "ifylld.xlsx")
    page = client.get(response["Location"])
    assert problems(page.context["plan"]) == []
    assert [i.name for i in page.context["plan"].create] == [
        "Föreningen Exempel",
        "Anna Ek (Föreningen Exempel)",
        "Gatans röst",
    ]


def test_a_value_clean_writes_as_the_register_does_is_unchanged(cast):
    """A postal code written 21147 is the register's 211 47: no update, no history row."""
    cast.org.postal_code = "211 47"
    cast.org.save()
    header = ["organisationsnummer", "namn", "postnummer"]
    data = csv_file(header, [[cast.org.org_number, cast.org.name, "21147"]])
    result = plan(ORGANISATIONS, data, cast.staff)
    assert (result.update, len(result.unchanged)) == ([], 1)


def test_a_row_without_a_number_matches_a_numbered_organisation_by_name(cast):
    header = ["organisationsnummer", "namn", "ort"]
    data = csv_file(header, [["", "RÖDA KORSET MALMÖ KRETS", "Malmö"]])
    result = plan(ORGANISATIONS, data, cast.staff)
    assert [(i.name, i.changes) for i in result.update] == [
        ("Röda Korset Malmö krets", [("ort", "–", "Malmö")])
    ]
    twice = csv_file(header, [["", cast.org.name, ""], [cast.org.org_number, "Annat", ""]])
    assert [(r, c) for r, c, _m in problems(plan(ORGANISATIONS, twice, cast.staff))] == [
        (3, "namn")
    ]


def test_a_purpose_may_hold_line_breaks(cast):
    data = csv_file(IOP_HEADER, [iop_row(cast, syfte="Rad ett.\nRad två.")], encoding="utf-8")
    result = plan(PARTNERSHIPS, data, cast.staff)
    assert problems(result) == [] and len(result.create) == 1


def test_a_protected_contact_person_is_not_shown_in_the_preview(cast):
    cast.contact.is_protected = True
    cast.contact.save()
    header = ["organisationsnummer", "namn", "kontaktperson", "kontaktpersonens telefon"]
    data = csv_file(header, [[cast.org.org_number, cast.org.name, cast.contact.name, "040-99"]])
    result = plan(ORGANISATIONS, data, cast.staff)
    ((item),) = result.update
    assert cast.contact.name not in item.name
    assert item.changes == [("telefon", "Skyddade personuppgifter", "Skyddade personuppgifter")]


def test_email_and_phone_beside_a_contact_person_are_the_contact_persons(cast):
    """The förvaltning's own list: "E-post" and "Telefon" beside "Kontaktperson" are the
    person's; the organisation's own address is left as it is."""
    cast.org.email = "info@rodakorset.example"
    cast.org.phone = "040-10 00 00"
    cast.org.save()
    header = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post", "Telefon", "Ort"]
    rows = [[cast.org.name, cast.org.org_number, "Lena Ny", "lena@ny.example", "070-1", "Malmö"]]
    data = csv_file(header, rows)
    register_import.run(ORGANISATIONS, data, user=cast.staff, file_name="lista.csv")
    cast.org.refresh_from_db()
    assert (cast.org.email, cast.org.phone, cast.org.city) == (
        "info@rodakorset.example",
        "040-10 00 00",
        "Malmö",
    )
    person = cast.org.contacts.get(name="Lena Ny")
    assert (person.email, person.phone) == ("lena@ny.example", "070-1")


def test_email_without_a_contact_column_is_the_organisations(cast):
    header = ["Organisation", "Orgnr", "E-post", "Telefon"]
    data = csv_file(header, [[cast.org.name, cast.org.org_number, "ny@rk.example", "040-2"]])
    register_import.run(ORGANISATIONS, data, user=cast.staff, file_name="lista.csv")
    cast.org.refresh_from_db()
    assert (cast.org.email, cast.org.phone) == ("ny@rk.example", "040-2")


def test_the_organisations_own_columns_beside_a_contact_person(cast):
    header = ["Namn", "Organisationsnummer", "Föreningens e-post", "Kontaktperson", "Mejl"]
    row = [cast.org.name, cast.org.org_number, "kansli@rk.example", "Lena Ny", "lena@ny.example"]
    register_import.run(ORGANISATIONS, csv_file(header, [row]), user=cast.staff, file_name="x")
    cast.org.refresh_from_db()
    assert cast.org.email == "kansli@rk.example"
    assert list(cast.org.contacts.filter(name="Lena Ny").values_list("email", flat=True)) == [
        "lena@ny.example"
    ]
