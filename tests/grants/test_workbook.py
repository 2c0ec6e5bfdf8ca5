"""The auditor's workbook, read back with openpyxl and recalculated by LibreOffice."""

import datetime
import io

from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from grants import workbook
from grants.models import AccountChange, Grant, GrantReport, GrantScheme, Payment
from partners.models import Organisation
from tests.grants.conftest import grant
from tests.spreadsheets import (
    HOSTILE,
    as_libreoffice_keeps_it,
    misread_cells,
    recalculated,
    text_cells,
)

SHEETS = [
    "Sammanställning",
    "Beslut",
    "Utbetalningar",
    "Återrapportering",
    "Stickprov",
    "Ändringshistorik",
    "Om uttaget",
]


def malmo_grants(cast):
    return Grant.objects.filter(scheme__committee__municipality=cast.malmo)


def build(cast, **options):
    options = {"user": cast.auditor, "sample_size": 2, "seed": 42, **options}
    return load_workbook(io.BytesIO(workbook.as_bytes(malmo_grants(cast), **options)))


def table(sheet, header_row=1):
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def about(book):
    return {row[0]: row[1] for row in book["Om uttaget"].iter_rows(values_only=True)}


def test_sheets_headers_and_formats(cast, book):
    wb = build(cast)
    assert wb.sheetnames == SHEETS
    decisions = wb["Beslut"]
    assert decisions.freeze_panes == "A2"
    assert decisions["A1"].font.b
    assert decisions.auto_filter.ref == "A1:W6"
    rows = table(decisions)
    assert len(rows) == malmo_grants(cast).count() == 5
    paid_row = next(r for r in rows if r["Bidrags-id"] == book.paid.pk)
    assert paid_row["Beviljat belopp"] == 300_000
    assert paid_row["Utbetalt"] == 300_000
    assert paid_row["Status"] == "återrapporterat"
    assert paid_row["Beslutsdatum"] == datetime.datetime(2025, 2, 1)
    amount_cell = next(
        row[8] for row in decisions.iter_rows(min_row=2) if row[0].value == book.paid.pk
    )
    assert amount_cell.number_format == '#,##0 "kr"'
    date_cell = next(
        row[13] for row in decisions.iter_rows(min_row=2) if row[0].value == book.paid.pk
    )
    assert date_cell.number_format == "yyyy-mm-dd"
    assert decisions.column_dimensions["B"].width >= len("Stiftelsen")


def test_every_total_matches_the_database(cast, book):
    wb = build(cast)
    decisions, payments = table(wb["Beslut"]), table(wb["Utbetalningar"])
    grants = malmo_grants(cast)
    db = grants.aggregate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
    assert sum(r["Sökt belopp"] for r in decisions) == db["applied"]
    assert sum(r["Beviljat belopp"] or 0 for r in decisions) == db["granted"]
    paid = Payment.objects.filter(grant__in=grants).aggregate(total=Sum("amount"))["total"]
    assert sum(r["Belopp"] for r in payments) == paid
    summary = list(wb["Sammanställning"].iter_rows(values_only=True))
    per_scheme = {row[1]: (n, row) for n, row in enumerate(summary[2:4], start=3) if row[1]}
    expected = grants.values("scheme_id", "scheme__name").annotate(
        applied=Sum("applied_amount"), granted=Sum("granted_amount")
    )
    for row in expected:
        n, line = per_scheme[row["scheme__name"]]
        assert line[2] == row["scheme_id"]  # what the formulas select by
        assert line[3] == f"=SUMIFS('Beslut'!$H:$H,'Beslut'!$W:$W,$C{n})"
        assert (line[6], line[7]) == (row["applied"], row["granted"] or 0)
    assert per_scheme["Verksamhetsbidrag"][1][8] == 430_000


def test_payments_flag_a_new_account(cast, book):
    payments = table(build(cast)["Utbetalningar"])
    other = [r for r in payments if r["Organisation"] == "Brukarföreningen Malmö"]
    assert [r["Annat konto än förra utbetalningen"] for r in other] == ["Nej", "Nej"]
    Payment.objects.create(
        grant=book.recovered,
        paid_on=datetime.date(2025, 6, 1),
        amount=1,
        account_kind="bankgiro",
        account_number="505-0109",
        excess_reason="Test",
    )
    payments = table(build(cast)["Utbetalningar"])
    other = [r for r in payments if r["Organisation"] == "Brukarföreningen Malmö"]
    assert [r["Annat konto än förra utbetalningen"] for r in other][-1] == "Ja"


def test_the_same_seed_draws_the_same_sample(cast, book):
    first = build(cast, sample_size=3, seed=7)
    again = build(cast, sample_size=3, seed=7)
    ids = [r["Bidrags-id"] for r in table(first["Stickprov"], header_row=2)]
    assert ids == [r["Bidrags-id"] for r in table(again["Stickprov"], header_row=2)]
    assert len(ids) == len(set(ids)) == 3
    assert set(ids) <= set(malmo_grants(cast).values_list("pk", flat=True))
    assert "startvärde 7" in first["Stickprov"]["A1"].value
    assert about(first)["Stickprovets startvärde"] == 7
    fresh = build(cast, sample_size=3, seed=None)
    seed = about(fresh)["Stickprovets startvärde"]
    redrawn = build(cast, sample_size=3, seed=seed)
    assert [r["Bidrags-id"] for r in table(fresh["Stickprov"], header_row=2)] == [
        r["Bidrags-id"] for r in table(redrawn["Stickprov"], header_row=2)
    ]


def test_change_history_names_who_changed_what(client, cast, book):
    client.force_login(cast.staff)
    client.post(
        reverse("account_edit", args=[cast.org.pk]),
        {"kind": "bankgiro", "number": "1234566", "signatory": "Eva Ek"},
    )
    client.force_login(cast.admin)
    change = AccountChange.objects.get()
    client.post(reverse("account_decide", args=[change.pk]), {"decision": "confirm"})
    today = datetime.date.today()
    changes = table(build(cast, changes_from=today, changes_to=today)["Ändringshistorik"])
    account = [r for r in changes if r["Slag"] == "Betalkonto" and r["Fält"] == "kontonummer"]
    assert [(r["Användare"], r["Före"], r["Efter"]) for r in account] == [
        ("systemet", None, "505-0109"),  # the fixture made the account today
        (str(cast.admin), "505-0109", "123-4566"),
    ]
    earlier = build(
        cast, changes_from=datetime.date(2020, 1, 1), changes_to=datetime.date(2020, 12, 31)
    )
    assert table(earlier["Ändringshistorik"]) == []


def test_about_sheet_says_who_when_what_and_how_many(cast, book):
    wb = build(cast, filters=[("År", "2025")])
    facts = about(wb)
    assert facts["Uttaget av"] == cast.auditor.get_full_name() or cast.auditor.username
    assert facts["Roll"] == "Revisor"
    assert facts["Filter: År"] == "2025"
    assert facts["Rader i bladet Beslut"] == 5
    assert facts["Rader i bladet Utbetalningar"] == 3
    assert facts["Programversion"].startswith("Samverkansregistret ")


def test_download_follows_the_list_filter(client, cast, book):
    client.force_login(cast.auditor)
    response = client.get(reverse("grant_workbook"), {"year": 2025, "seed": 5, "sample_size": 1})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="bidrag-2025-alla-namnder-startvarde-5.xlsx"' in (response["Content-Disposition"])
    )
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {r["År"] for r in table(wb["Beslut"])} == {2025}
    assert about(wb)["Filter: År"] == "2025"
    # The change history covers the filtered grant year, not the year of the download.
    assert about(wb)["Ändringshistorik för perioden"] == "2025-01-01 – 2025-12-31"


def test_file_name_names_year_and_committee_in_ascii(client, cast, book):
    client.force_login(cast.auditor)
    committee = Grant.objects.filter(year=2025).first().scheme.committee
    committee.name = "Arbetsmarknads- och socialnämnden"
    committee.save()
    response = client.get(
        reverse("grant_workbook"), {"year": 2025, "committee": committee.pk, "seed": 3}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'filename="bidrag-2025-arbetsmarknads-och-socialnamnden-startvarde-3.xlsx"'
    )


def test_list_form_shows_the_period_of_the_filtered_year(client, cast, book):
    client.force_login(cast.auditor)
    page = client.get(reverse("grant_list"), {"year": 2025}).content.decode()
    assert 'value="2025-01-01"' in page and 'value="2025-12-31"' in page
    assert "2025-01-01 – 2025-12-31" in page


def test_workbook_history_is_swedish_in_any_language(client, cast, book):
    """Field names and actions of the change history in Swedish, also for a user who
    reads the service in English ("created by" was once left in English)."""
    grant = Grant.objects.filter(year=2025).first()
    grant.created_by = cast.staff
    grant.purpose = "Ändrat ändamål"
    grant.save()
    client.force_login(cast.auditor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    today = datetime.date.today()
    response = client.get(
        reverse("grant_workbook"),
        {"year": 2025, "changes_from": "2020-01-01", "changes_to": today.isoformat()},
    )
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    changes = table(wb["Ändringshistorik"])
    fields = {row["Fält"] for row in changes}
    actions = {row["Händelse"] for row in changes}
    assert "syfte" in fields and "purpose" not in fields
    assert "created by" not in fields
    assert actions <= {"skapad", "ändrad", "borttagen"} and actions


def summary_lines(summary):
    """The Sammanställning's lines with figures: (labels, id, formulas, database, diffs)."""
    for row in summary.iter_rows(min_row=3, values_only=True):
        if row and row[3] is not None and isinstance(row[6], int | float):
            yield row[0:2], row[2], row[3:6], row[6:9], row[9:12]


def test_libreoffice_recalculates_the_same_figures_as_the_database(cast, book, tmp_path):
    source = tmp_path / "bidrag.xlsx"
    source.write_bytes(workbook.as_bytes(malmo_grants(cast), user=cast.auditor, seed=1))
    _formulas, values = recalculated(source, tmp_path)
    lines = list(summary_lines(values["Sammanställning"]))
    for line in lines:
        _labels, _id, formulas, database, differences = line
        assert formulas == database, line
        assert differences == (0, 0, 0), line
    # Two schemes and their total, two organisations and theirs.
    assert len(lines) == 2 + 1 + 2 + 1


def test_hostile_names_stay_text_and_the_totals_still_hold(cast, book, tmp_path):
    """Names a spreadsheet could take for a formula, an error, or a SUMIFS wildcard or
    comparison are text everywhere, and the totals select rows by id, not by name."""
    schemes = [
        GrantScheme.objects.create(committee=cast.frn, name=name, kind="other")
        for name in ("*", "?", "~*", "a<b", ">0")
    ]
    named = [*HOSTILE, "*"]  # two organisations called "*"
    for n, name in enumerate(named):
        organisation = Organisation.objects.create(municipality=cast.malmo, name=name)
        hostile = grant(
            organisation,
            schemes[n % len(schemes)],
            2025,
            10_000 + n,
            5_000 + n,
            purpose=name,
            decision_reference=name,
            case_number=name,
            conflict_note=name,
        )
        Payment.objects.create(
            grant=hostile,
            paid_on=datetime.date(2025, 4, 1),
            amount=1_000 + n,
            account_kind="bankgiro",
            account_number="505-0109",
            reference=name,
        )
        GrantReport.objects.create(grant=hostile, due_on=datetime.date(2026, 3, 31), comment=name)
    cast.auditor.first_name, cast.auditor.last_name = HOSTILE[0], ""
    grants = malmo_grants(cast)
    source = tmp_path / "bidrag.xlsx"
    source.write_bytes(
        workbook.as_bytes(
            grants, user=cast.auditor, seed=1, sample_size=50, filters=[("Sök", HOSTILE[1])]
        )
    )

    wb = load_workbook(source)
    decisions = table(wb["Beslut"])
    hostile_rows = [r for r in decisions if r["Bidragsform"] in {s.name for s in schemes}]
    assert sorted(r["Organisation"] for r in hostile_rows) == sorted(named)
    for row in hostile_rows:
        assert (
            row["Ändamål"] == row["Beslutsreferens"] == row["Diarienummer"] == row["Organisation"]
        )
    payments = table(wb["Utbetalningar"])
    assert sorted(r["Referens"] for r in payments if r["Referens"]) == sorted(named)
    assert about(wb)["Uttaget av"] == HOSTILE[0]
    assert about(wb)["Filter: Sök"] == HOSTILE[1]
    for sheet, cell in text_cells(wb, HOSTILE):
        assert cell.data_type == "s", (sheet, cell)
    assert {sheet for sheet, _cell in text_cells(wb, HOSTILE)} == set(SHEETS)
    assert misread_cells(wb, formulas_in={"Sammanställning"}) == []

    formulas, values = recalculated(source, tmp_path)
    assert misread_cells(formulas, formulas_in={"Sammanställning"}) == []
    assert misread_cells(values) == []
    recalculated_names = [r["Organisation"] for r in table(values["Beslut"])]
    for name in named:
        assert as_libreoffice_keeps_it(name) in recalculated_names
    lines = list(summary_lines(values["Sammanställning"]))
    for line in lines:
        _labels, _id, formulas_, database, differences = line
        assert formulas_ == database, line
        assert differences == (0, 0, 0), line
    per_organisation = lines[lines.index(next(t for t in lines if t[0][0] == "Summa")) + 1 :]
    by_id = {line[1]: line for line in per_organisation}
    for organisation in Organisation.objects.filter(grants__in=grants).distinct():
        mine = grants.filter(organisation=organisation)
        expected = mine.aggregate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        paid = Payment.objects.filter(grant__in=mine).aggregate(paid=Sum("amount"))["paid"]
        labels, _id, sums, _database, _differences = by_id[organisation.pk]
        assert labels[0] == as_libreoffice_keeps_it(organisation.name)
        assert sums == (expected["applied"], expected["granted"], paid or 0)
    totals = [line for line in lines if line[0][0] == "Summa"]
    db = grants.aggregate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
    paid = Payment.objects.filter(grant__in=grants).aggregate(paid=Sum("amount"))["paid"]
    assert [t[2] for t in totals] == [(db["applied"], db["granted"], paid)] * 2
    schemes_in_malmo = GrantScheme.objects.filter(grants__in=grants).distinct().count()
    assert len(lines) == schemes_in_malmo + 1 + len(named) + 2 + 1
