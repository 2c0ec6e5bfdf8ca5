"""Benchmark: the auditor's workbook for 100,000 grants with their payments.

Run: .venv/bin/python benchmarks/grant_workbook.py [--grants 100000]

Builds a throwaway database (SQLite, or on DATABASE_URL's PostgreSQL server), then, each
in a fresh process so peak memory is its own, measures
(a) the floor: a raw openpyxl write-only loop writing the same cells, prepared in memory
    beforehand (database time not counted);
(b) django-tables2's export (tablib) of the same decision and payment rows;
(c) ours: grants.workbook.write from the queryset, database included;
and our export again for 1,000 grants, to show memory stays flat as rows grow.
`--json` prints the figures as one JSON object instead (benchmarks/pages.py reads it).
"""

import argparse
import datetime
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import throwaway  # noqa: E402  (benchmarks/, beside this file)


def setup(database_url, workdir):
    os.environ.update(throwaway.settings_environment(database_url, workdir))
    import django

    django.setup()


def build(count):
    from django.core.management import call_command

    from grants.models import Grant, GrantScheme, Payment
    from municipality.models import Body, Municipality, User
    from partners.models import Organisation

    call_command("migrate", verbosity=0)
    malmo = Municipality.objects.create(name="Malmö stad", code="1280")
    committee = Body.objects.create(municipality=malmo, name="Fritidsnämnden", kind="committee")
    User.objects.create_user("revisor", role="auditor", municipality=malmo)
    schemes = [
        GrantScheme.objects.create(committee=committee, name=f"Bidragsform {n}", kind="other")
        for n in range(5)
    ]
    organisations = Organisation.objects.bulk_create(
        Organisation(municipality=malmo, name=f"Förening {n:04d}") for n in range(1000)
    )
    grants = Grant.objects.bulk_create(
        (
            Grant(
                organisation=organisations[n % 1000],
                scheme=schemes[n % 5],
                year=2020 + n % 7,
                purpose="Verksamhet för barn och unga under året",
                applied_amount=50_000 + n % 977,
                granted_amount=40_000 + n % 977,
                decision="granted",
                decided_by="committee",
                decision_date=datetime.date(2020 + n % 7, 2, 1),
                decision_reference=f"FRN § {n % 300}",
                case_number=f"FRN-{n}",
                no_conflict_of_interest=True,
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    Payment.objects.bulk_create(
        (
            Payment(
                grant=grant,
                paid_on=datetime.date(grant.year, 3, 1),
                amount=grant.granted_amount,
                account_kind="bankgiro",
                account_number="505-0109",
                reference=f"Ver {grant.pk}",
            )
            for grant in grants
        ),
        batch_size=5000,
    )


HISTORY_FROM = datetime.date(2000, 1, 1)  # "all of it": the whole change history


def measure_all(kind, output):
    """On a seed_scale database: the auditor's workbook of every grant with the whole
    change history (ours: from the queryset, database included; raw: openpyxl writing
    the same sheets, rows and columns, prepared beforehand). Seconds, peak memory, and
    for ours the SQL queries."""
    from django.db import connection

    from grants import workbook
    from grants.models import Grant, GrantReport, Payment
    from municipality.models import User

    user = User.objects.filter(username__startswith="revisor.").order_by("pk").first()
    grants = Grant.objects.visible_to(user).order_by()
    today = datetime.date.today()
    queries = []
    if kind == "ours":
        began = time.perf_counter()
        with (
            connection.execute_wrapper(
                lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
            ),
            open(output, "wb") as file,
        ):
            workbook.write(
                grants, file, user=user, sample_size=100, seed=1, changes_from=HISTORY_FROM
            )
    else:
        payments = Payment.objects.filter(grant__in=grants.values("pk"))
        sampled, _population = workbook._sample(grants, 100, 1)
        sheets = [
            ("Beslut", workbook.DECISIONS, list(workbook._decision_rows(grants))),
            ("Utbetalningar", workbook.PAYMENTS, list(workbook._payment_rows(payments))),
            ("Återrapportering", workbook.REPORTS, list(workbook._report_rows(grants, today))),
            ("Stickprov", workbook.SAMPLE, list(workbook._sample_rows(grants, sampled))),
            (
                "Ändringshistorik",
                workbook.CHANGES,
                list(workbook._change_rows(grants, HISTORY_FROM, today)[0]),
            ),
        ]
        assert GrantReport.objects.exists()
        gc.freeze()
        began = time.perf_counter()
        raw_sheets(sheets, output)
    return {
        "seconds": time.perf_counter() - began,
        "peak_mib": peak_mib(),
        "bytes": os.path.getsize(output),
        "queries": len(queries),
    }


def raw_sheets(sheets, output):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from municipality.spreadsheet import FORMATS

    book = Workbook(write_only=True)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append([column.header for column in columns])
        formats = [FORMATS.get(column.kind) for column in columns]
        for row in rows:
            cells = []
            for value, number_format in zip(row, formats, strict=True):
                if number_format is None or value is None:
                    cells.append(value)
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    cells.append(cell)
            sheet.append(cells)
    book.save(output)


def all_grants(database_url):
    """Ours and raw on an existing (seed_scale) database, each in its own process."""
    workdir = tempfile.mkdtemp(prefix="samverkan-bench-")
    try:
        return {kind: child(f"all-{kind}", 0, database_url, workdir) for kind in ("raw", "ours")}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def selection(limit):
    from grants.models import Grant

    grants = Grant.objects.all()
    return grants.filter(pk__lte=limit) if limit else grants


def measure(kind, limit, output):
    """One measurement in this process: seconds and peak memory (RSS, MiB)."""
    from grants import workbook
    from municipality.models import User

    grants = selection(limit)
    user = User.objects.get(username="revisor")
    began = None
    if kind == "ours":
        began = time.perf_counter()
        with open(output, "wb") as file:
            workbook.write(grants, file, user=user, sample_size=100, seed=1)
    elif kind == "raw":
        decisions = list(workbook._decision_rows(grants))
        payments = list(workbook._payment_rows(workbook.Payment.objects.filter(grant__in=grants)))
        gc.freeze()  # the prepared rows are not garbage; do not let the collector rescan them
        began = time.perf_counter()
        raw_openpyxl(decisions, payments, output)
    elif kind == "tables2":
        began = time.perf_counter()
        tables2_export(grants, output)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "peak_mib": peak_mib(), "bytes": os.path.getsize(output)}


def peak_mib():
    """This process's own peak resident memory. (getrusage's ru_maxrss would also count
    the parent's memory from before exec on Linux.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_openpyxl(decisions, payments, output):
    from grants import workbook

    raw_sheets(
        [
            ("Beslut", workbook.DECISIONS, decisions),
            ("Utbetalningar", workbook.PAYMENTS, payments),
        ],
        output,
    )


def tables2_export(grants, output):
    import django_tables2 as tables
    import tablib
    from django_tables2.export import TableExport

    from grants.models import Payment

    class Decisions(tables.Table):
        class Meta:
            model = grants.model
            fields = [
                "pk",
                "organisation__name",
                "organisation__org_number",
                "scheme__committee__name",
                "scheme__name",
                "year",
                "purpose",
                "applied_amount",
                "granted_amount",
                "decision",
                "decided_by",
                "decision_date",
                "decision_reference",
                "case_number",
                "decision_maker",
                "no_conflict_of_interest",
            ]

    class Payments(tables.Table):
        class Meta:
            model = Payment
            fields = [
                "grant_id",
                "grant__organisation__name",
                "grant__scheme__name",
                "grant__year",
                "paid_on",
                "amount",
                "account_kind",
                "account_number",
                "reference",
            ]

    decisions = Decisions(grants.select_related("organisation", "scheme__committee"))
    payments = Payments(
        Payment.objects.filter(grant__in=grants).select_related(
            "grant__organisation", "grant__scheme"
        )
    )
    book = tablib.Databook(
        [
            TableExport("xlsx", decisions).dataset,
            TableExport("xlsx", payments).dataset,
        ]
    )
    with open(output, "wb") as file:
        file.write(book.export("xlsx"))


def child(kind, limit, database_url, workdir):
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            kind,
            "--limit",
            str(limit),
            "--db",
            database_url,
            "--workdir",
            workdir,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(grants):
    """Build, measure each way in its own process, and return the figures."""
    workdir = tempfile.mkdtemp(prefix="samverkan-bench-")
    try:
        return _run(grants, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(grants, workdir):
    with throwaway.database("workbook") as url:
        setup(url, workdir)
        began = time.perf_counter()
        build(grants)
        built = time.perf_counter() - began
        from django.db import connections

        connections.close_all()
        return {
            "grants": grants,
            "build_seconds": built,
            "raw": child("raw", 0, url, workdir),
            "tablib": child("tables2", 0, url, workdir),
            "ours": child("ours", 0, url, workdir),
            "ours_small": child("ours", 1000, url, workdir),
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--measure")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--db")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.measure:
        setup(args.db, args.workdir)
        output = Path(args.workdir) / f"{args.measure}-{args.limit}.xlsx"
        if args.measure.startswith("all-"):
            print(json.dumps(measure_all(args.measure.removeprefix("all-"), output)))
        else:
            print(json.dumps(measure(args.measure, args.limit, output)))
        return
    figures = run(args.grants)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"built {args.grants} grants and payments in {figures['build_seconds']:.1f} s")
    results = {
        "raw openpyxl write-only (a)": figures["raw"],
        "django-tables2 / tablib (b)": figures["tablib"],
        "ours, database included": figures["ours"],
        "ours, 1,000 grants": figures["ours_small"],
    }
    for name, r in results.items():
        seconds, peak, size = r["seconds"], r["peak_mib"], r["bytes"]
        print(f"{name:30} {seconds:8.1f} s  peak {peak:7.0f} MiB  {size:>11} bytes")
    ours, raw, tablib, small = (figures[k] for k in ("ours", "raw", "tablib", "ours_small"))
    print(f"ours / raw openpyxl:  {ours['seconds'] / raw['seconds']:.2f}  (aim: at most 1.3)")
    print(f"tablib / ours:        {tablib['seconds'] / ours['seconds']:.2f}  (aim: at least 3)")
    memory = ours["peak_mib"] / small["peak_mib"]
    print(f"peak memory, {args.grants} / 1,000 grants: {memory:.2f}  (aim: at most 1.5)")


if __name__ == "__main__":
    main()
