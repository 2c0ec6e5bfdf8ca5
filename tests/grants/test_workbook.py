"""The auditor's workbook, read back with openpyxl and recalculated by LibreOffice."""

import datetime
import io
import subprocess

from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from grants import workbook
from grants.models import AccountChange, Grant, Payment

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
    assert "frö 7" in first["Stickprov"]["A1"].value
    assert about(first)["Stickprovets frö"] == 7
    fresh = build(cast, sample_size=3, seed=None)
    seed = about(fresh)["Stickprovets frö"]
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
    assert "fro-5.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {r["År"] for r in table(wb["Beslut"])} == {2025}
    assert about(wb)["Filter: År"] == "2025"


def test_libreoffice_recalculates_the_same_figures_as_the_database(cast, book, tmp_path):
    source = tmp_path / "bidrag.xlsx"
    source.write_bytes(workbook.as_bytes(malmo_grants(cast), user=cast.auditor, seed=1))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    summary = load_workbook(out / "bidrag.xlsx", data_only=True)["Sammanställning"]
    checked = 0
    for row in summary.iter_rows(min_row=3, values_only=True):
        if not row or row[3] is None or not isinstance(row[6], int | float):
            continue
        formulas, database, differences = row[3:6], row[6:9], row[9:12]
        assert formulas == database, row
        assert differences == (0, 0, 0), row
        checked += 1
    # Two schemes and their total, two organisations and theirs.
    assert checked == 2 + 1 + 2 + 1
