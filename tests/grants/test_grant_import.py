"""Importing grants and their payments from a file: matching by organisation, scheme,
year and decision reference, payments by grant, date and amount; all or nothing."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook

from grants.grant_import import GRANTS
from grants.models import AccountChange, Grant, Payment
from municipality import register_import
from municipality.history import entries
from tests.import_steps import upload_and_map
from tests.spreadsheets import forvaltning_csv, forvaltning_workbook
from tests.test_access_post import changed_tables, snapshot

HEADER = ["organisationsnummer", "bidragsform", "år", "syfte", "sökt belopp", "beviljat belopp",
          "beslutsdatum", "beslutsreferens", "utbetalningsdatum", "utbetalt belopp", "konto",
          "Kommentar"]  # fmt: skip


def row(**values):
    base = {
        "organisationsnummer": "802002-3431",
        "bidragsform": "Verksamhetsbidrag",
        "år": "2024",
        "syfte": "Läxhjälp.",
        "sökt belopp": "1 234 567 kr",
        "beviljat belopp": "1234567,00",
        "beslutsdatum": "27/2/2024",
        "beslutsreferens": "ASN § 12",
        "utbetalningsdatum": "2024-03-01 00:00",
        "utbetalt belopp": "1 234 567",
        "konto": "BG 505-0109",
        "Kommentar": "hoppas över",
    }
    base.update(values)
    return [base[name] for name in HEADER]


def csv_file(rows, *, header=HEADER, encoding="cp1252", delimiter=";"):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return output.getvalue().encode(encoding)


def problems(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def test_a_grant_with_its_payment_is_imported_with_history(cast, book):
    data = csv_file([row()])
    result = register_import.run(GRANTS, data, user=cast.staff, file_name="bidrag.csv")
    assert problems(result) == []
    assert [i.what for i in result.create] == ["Bidrag", "Utbetalning"]
    assert result.ignored == ["Kommentar"]
    grant = Grant.objects.get(year=2024, organisation=cast.org)
    assert (
        grant.scheme,
        grant.applied_amount,
        grant.granted_amount,
        grant.decision,
        grant.decided_by,
        grant.decision_date,
        grant.decision_reference,
        grant.created_by,
    ) == (
        book.scheme,
        1_234_567,
        1_234_567,
        "granted",
        "committee",
        datetime.date(2024, 2, 27),
        "ASN § 12",
        cast.staff,
    )
    (payment,) = grant.payments.all()
    assert (payment.paid_on, payment.amount, payment.account_number) == (
        datetime.date(2024, 3, 1),
        1_234_567,
        "505-0109",
    )
    (entry,) = entries(Grant.history.filter(id=grant.pk))
    assert (entry.who, entry.reason) == (cast.staff, "Importerad från bidrag.csv")
    assert payment.history.get().history_user == cast.staff


def test_the_same_file_twice_changes_nothing(cast, book):
    data = csv_file([row(), row(år="2023", beslutsreferens="")], encoding="utf-8-sig")
    register_import.run(GRANTS, data, user=cast.staff, file_name="bidrag.csv")
    before = snapshot()
    again = register_import.run(GRANTS, data, user=cast.staff, file_name="bidrag.csv")
    assert (again.create, again.update, len(again.unchanged)) == ([], [], 4)
    assert changed_tables(before, snapshot()) == []


def test_a_matched_grant_shows_old_and_new(cast, book):
    # The book's paid grant: org, Verksamhetsbidrag, 2025, no decision reference.
    data = csv_file(
        [row(år="2025", beslutsreferens="", **{"sökt belopp": "360000", "beviljat belopp":
             "300000", "utbetalningsdatum": "", "utbetalt belopp": "", "konto": "",
             "beslutsdatum": "2025-02-01"})]
    )  # fmt: skip
    result = register_import.plan(GRANTS, data, user=cast.staff)
    assert problems(result) == []
    assert [(i.name, i.changes) for i in result.update] == [
        (
            "Verksamhetsbidrag 2025 – Röda Korset Malmö krets",
            [("syfte", book.paid.purpose, "Läxhjälp."), ("sökt belopp", "350000", "360000")],
        )
    ]


def test_a_grant_paid_in_parts_takes_a_row_per_payment(cast, book):
    rows = [
        row(**{"utbetalt belopp": "600 000", "utbetalningsdatum": "2024-03-01"}),
        row(**{"utbetalt belopp": "634 567", "utbetalningsdatum": "2024-09-01"}),
    ]
    result = register_import.run(GRANTS, csv_file(rows), user=cast.staff, file_name="b.csv")
    assert problems(result) == []
    grant = Grant.objects.get(year=2024, organisation=cast.org)
    assert sorted(grant.payments.values_list("amount", flat=True)) == [600_000, 634_567]


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"bidragsform": "Okänt bidrag"}, "bidragsform", "Okänd bidragsform"),
        ({"organisationsnummer": "123"}, "organisationsnummer", "tio siffror"),
        ({"organisationsnummer": "802479-1454"}, "organisationsnummer", "importera"),
        ({"sökt belopp": "-5"}, "sökt belopp", "Ett belopp kan inte vara negativt."),
        ({"sökt belopp": "mycket"}, "sökt belopp", "inte ett belopp"),
        ({"beviljat belopp": "12,50"}, "beviljat belopp", "hela kronor"),
        ({"beslutsdatum": "2024-02-30"}, "beslutsdatum", "inte ett datum"),
        ({"år": "tjugo"}, "år", "heltal"),
        ({"år": "1999"}, "år", "2000"),
        ({"konto": "BG 505-0108"}, "konto", "Kontrollsiffran"),
        ({"utbetalt belopp": "2 000 000"}, "utbetalt belopp", "överstiga"),
        ({"utbetalningsdatum": ""}, "utbetalningsdatum", "Fyll i"),
    ],
)
def test_bad_cells_are_reported_and_nothing_written(cast, book, values, column, message):
    before = snapshot()
    data = csv_file([row(år="2023"), row(**values)])
    with pytest.raises(register_import.Refused) as refused:
        register_import.run(GRANTS, data, user=cast.staff, file_name="b.csv")
    found = problems(refused.value.plan)
    assert [(r, c) for r, c, _m in found] == [(3, column)], found
    assert message in found[0][2]
    assert changed_tables(before, snapshot()) == []


def test_a_scheme_of_another_nämnd_is_refused(cast, book):
    data = csv_file([row(bidragsform="Föreningsbidrag")])
    result = register_import.plan(GRANTS, data, user=cast.staff)
    ((_row, column, message),) = problems(result)
    assert column == "bidragsform" and "Fritidsnämnden" in message


def test_the_same_grant_twice_with_other_details_is_a_problem(cast, book):
    data = csv_file([row(), row(syfte="Annat syfte")])
    result = register_import.plan(GRANTS, data, user=cast.staff)
    assert [(r, c) for r, c, _m in problems(result)] == [(3, "beslutsreferens")]


def test_excel_date_and_number_cells(cast, book):
    book_ = Workbook()
    sheet = book_.active
    sheet.append(HEADER)
    values = row()
    values[HEADER.index("år")] = 2024
    values[HEADER.index("sökt belopp")] = 1_234_567
    values[HEADER.index("beviljat belopp")] = 1234567.0
    values[HEADER.index("beslutsdatum")] = datetime.datetime(2024, 2, 27)
    values[HEADER.index("utbetalningsdatum")] = datetime.date(2024, 3, 1)
    sheet.append(values)
    output = io.BytesIO()
    book_.save(output)
    result = register_import.plan(GRANTS, output.getvalue(), user=cast.staff)
    assert problems(result) == []
    assert len(result.create) == 2


def test_payments_are_matched_by_grant_date_and_amount(cast, book):
    data = csv_file(
        [row(år="2025", beslutsreferens="", **{"sökt belopp": "350000", "beviljat belopp":
             "300000", "syfte": book.paid.purpose, "beslutsdatum": "2025-02-01",
             "utbetalningsdatum": "2025-03-01", "utbetalt belopp": "300000"})]
    )  # fmt: skip
    result = register_import.plan(GRANTS, data, user=cast.staff)
    assert problems(result) == []
    assert (result.create, result.update, [i.what for i in result.unchanged]) == (
        [],
        [],
        ["Bidrag", "Utbetalning"],
    )
    assert Payment.objects.filter(grant=book.paid).count() == 1


def test_a_failure_while_writing_leaves_the_database_unchanged(cast, book, monkeypatch):
    """All or nothing also when the last bulk write fails, after the grants are written."""
    from grants import grant_import

    real = grant_import.bulk_create_with_history

    def failing(objs, model, **kwargs):
        if model is Payment:
            raise RuntimeError("the disk is full")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(grant_import, "bulk_create_with_history", failing)
    before = snapshot()
    with pytest.raises(RuntimeError):
        register_import.run(GRANTS, csv_file([row()]), user=cast.staff, file_name="b.csv")
    assert changed_tables(before, snapshot()) == []


def test_template_round_trip(client, cast, book):
    """Download the template, replace its example row with a grant of one's own, import."""
    from django.urls import reverse
    from openpyxl import load_workbook

    client.force_login(cast.staff)
    response = client.get(reverse("register_import_template", args=["grants"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    lists = {row[0].value for row in workbook["Listor"].iter_rows()}
    assert "Verksamhetsbidrag" in lists and "Föreningsbidrag" not in lists  # ASN's only
    sheet.delete_rows(2)
    values = dict.fromkeys(headers, None) | {
        "organisationsnummer": cast.org.org_number,
        "bidragsform": "Verksamhetsbidrag",
        "år": 2023,
        "syfte": "Sommarlovsaktiviteter.",
        "sökt belopp": 20_000,
        "beviljat belopp": 20_000,
        "beslutsdatum": datetime.date(2023, 2, 1),
        "beslutsreferens": "§ 4",
    }
    sheet.append([values[header] for header in headers])
    output = io.BytesIO()
    workbook.save(output)
    response = upload_and_map(client, "grants", output.getvalue(), "ifylld.xlsx")
    page = client.get(response["Location"])
    assert problems(page.context["plan"]) == []
    record, plan = page.context["record"], page.context["plan"]
    client.post(response["Location"], {"digest": record.digest, "plan": plan.fingerprint()})
    grant = Grant.objects.get(year=2023, organisation=cast.org)
    assert (grant.decision, grant.granted_amount) == ("granted", 20_000)


@pytest.mark.parametrize("build", [forvaltning_workbook, forvaltning_csv])
def test_a_forvaltnings_list_without_syfte_sökt_or_år_imports(cast, book, build):
    """The year from "Bidrag 2023", the amount applied for the amount granted, the
    purpose the scheme's name; "Utbet. datum" is the payment's date."""
    header = ["Föreningsnamn", "Org.nr", "Bidragsform", "Bidrag 2023", "Beslutsdatum",
              "Utbet. datum", "Utbetalt belopp", "Konto", "Anteckning"]  # fmt: skip
    rows = [[cast.org.name, cast.org.org_number, "Verksamhetsbidrag", "12 000", "2023-02-01",
             "2023-03-01", "12 000", "BG 505-0109", "Första året"]]  # fmt: skip
    data = build(header, rows, total_of="Bidrag 2023")
    result = register_import.run(GRANTS, data, user=cast.staff, file_name="lista")
    assert result.notes == ["Rad 6 ser ut som en summarad och hoppas över."]
    grant = Grant.objects.get(organisation=cast.org, year=2023)
    assert (grant.purpose, grant.applied_amount, grant.granted_amount, grant.decision) == (
        "Verksamhetsbidrag",
        12_000,
        12_000,
        "granted",
    )
    assert list(grant.payments.values_list("paid_on", "amount")) == [
        (datetime.date(2023, 3, 1), 12_000)
    ]
    again = register_import.plan(GRANTS, data, user=cast.staff)
    assert (again.create, again.update) == ([], [])


def test_a_grants_later_payment_row_is_left_out_with_its_grant_row(cast, book):
    """A grant paid in two rows whose first row is wrong: both are refused, and nothing
    of the grant is written."""
    header = ["organisationsnummer", "bidragsform", "år", "syfte", "sökt belopp",
              "beviljat belopp", "beslutsdatum", "utbetalningsdatum", "utbetalt belopp",
              "konto"]  # fmt: skip
    first = ["802002-3431", "Verksamhetsbidrag", "2023", "Läxhjälp.", "10000", "10000",
             "2023-02-30", "2023-03-01", "5000", "BG 505-0109"]  # fmt: skip
    second = [*first[:6], "2023-02-30", "2023-06-01", "5000", "BG 505-0109"]
    other = ["802002-3431", "Verksamhetsbidrag", "2022", "Läxhjälp.", "9000", "9000",
             "2022-02-01", "", "", ""]  # fmt: skip
    data = forvaltning_workbook(header, [first, second, other])
    result = register_import.run(GRANTS, data, user=cast.staff, file_name="x", good_rows_only=True)
    assert result.refused == [5, 6]
    assert list(Grant.objects.filter(organisation=cast.org, year__in=[2022, 2023]).values_list(
        "year", flat=True)) == [2022]  # fmt: skip
    assert not Payment.objects.filter(grant__year=2023, grant__organisation=cast.org).exists()


# The konto column: money goes to the confirmed account only, as in the payment form ------


def test_another_account_than_the_confirmed_one_is_refused(cast, book):
    before = snapshot()
    data = csv_file([row(år="2023", konto="BG 5050-1055")])
    with pytest.raises(register_import.Refused) as refused:
        register_import.run(GRANTS, data, user=cast.staff, file_name="b.csv")
    ((number, column, message),) = problems(refused.value.plan)
    assert (number, column) == (2, "konto")
    assert message.startswith("Bankgiro 5050-1055 är inte organisationens bekräftade konto")
    assert "(bankgiro 505-0109)" in message and "kollega" in message
    assert changed_tables(before, snapshot()) == []


def test_an_account_waiting_for_confirmation_is_not_yet_one_to_pay(cast, book):
    AccountChange.objects.create(
        organisation=cast.org,
        kind="bankgiro",
        number="5050-1055",
        signatory="Ordförande",
        entered_by=cast.staff,
    )
    result = register_import.plan(
        GRANTS, csv_file([row(år="2023", konto="5050-1055")]), user=cast.staff
    )
    assert [(c, "bekräftade konto" in m) for _r, c, m in problems(result)] == [("konto", True)]


def test_the_confirmed_account_written_otherwise_is_accepted(cast, book):
    result = register_import.run(
        GRANTS, csv_file([row(år="2023", konto="bankgiro 5050109")]), user=cast.staff,
        file_name="b.csv",
    )  # fmt: skip
    assert problems(result) == []
    payment = Payment.objects.get(grant__year=2023, grant__organisation=cast.org)
    assert (payment.account_kind, payment.account_number) == ("bankgiro", "505-0109")


def test_without_a_confirmed_account_no_payment_is_imported_to_a_written_one(cast, book):
    before = snapshot()
    data = csv_file([row(organisationsnummer=cast.other_org.org_number, år="2023")])
    with pytest.raises(register_import.Refused) as refused:
        register_import.run(GRANTS, data, user=cast.staff, file_name="b.csv")
    ((_number, column, message),) = problems(refused.value.plan)
    assert column == "konto" and "inget bekräftat betalkonto" in message
    assert changed_tables(before, snapshot()) == []


def test_the_preview_names_the_account_and_a_partial_import_leaves_the_row_out(client, cast, book):
    client.force_login(cast.staff)
    data = csv_file([row(år="2023"), row(år="2022", konto="BG 5050-1055")])
    response = upload_and_map(client, "grants", data)
    page = client.get(response["Location"])
    assert "Bankgiro 5050-1055 är inte organisationens bekräftade konto" in page.content.decode()
    client.post(
        response["Location"],
        {"digest": page.context["record"].digest, "plan": page.context["good_rows"].fingerprint(),
         "rows": "good"},
    )  # fmt: skip
    paid = Payment.objects.filter(grant__organisation=cast.org, grant__year__in=[2022, 2023])
    assert list(paid.values_list("grant__year", "account_number")) == [(2023, "505-0109")]
