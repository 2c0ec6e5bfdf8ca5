"""Benchmark: importing 20,000 grant rows, each with a payment, from a CSV file.

Run: .venv/bin/python benchmarks/import_grants.py [--rows 20000] [--json]

Builds a throwaway database (SQLite, or on DATABASE_URL's PostgreSQL server) with one
municipality, a nämnd and its förvaltning, a civil servant, 5 schemes and 1,000
organisations, writes a semicolon-separated Windows-1252 file as Swedish Excel saves it,
and times, as the civil servant, (a) the preview (reading and planning every row), (b) the
import (planning again inside the transaction, then the bulk writes with their history)
and (c) the same file again, which finds every row unchanged and writes nothing.
"""

import argparse
import csv
import io
import json
import os
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


def build():
    from django.core.management import call_command
    from stdnum import luhn

    from grants.models import GrantScheme
    from municipality.models import Body, Membership, Municipality, User
    from partners.models import Organisation

    call_command("migrate", verbosity=0)
    malmo = Municipality.objects.create(name="Malmö stad", code="1280")
    committee = Body.objects.create(municipality=malmo, name="Fritidsnämnden", kind="committee")
    administration = Body.objects.create(
        municipality=malmo, name="Fritidsförvaltningen", kind="administration"
    )
    administration.serves.add(committee)
    user = User.objects.create_user("tjansteperson", role="civil_servant", municipality=malmo)
    Membership.objects.create(user=user, body=administration)
    for n in range(5):
        GrantScheme.objects.create(committee=committee, name=f"Bidragsform {n}", kind="other")
    numbers = []
    for n in range(1000):
        base = f"802{n:06d}"
        numbers.append(f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}")
    Organisation.objects.bulk_create(
        Organisation(municipality=malmo, name=f"Förening {n:04d}", org_number=number)
        for n, number in enumerate(numbers)
    )
    return user, numbers


def grant_file(rows, numbers):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["organisationsnummer", "bidragsform", "år", "syfte", "sökt belopp", "beviljat belopp",
         "beslutsdatum", "beslutsreferens", "utbetalningsdatum", "utbetalt belopp", "konto"]
    )  # fmt: skip
    for n in range(rows):
        year = 2015 + n % 10
        writer.writerow(
            [numbers[n % len(numbers)], f"Bidragsform {n % 5}", year,
             "Verksamhet för barn och unga under året", f"{50_000 + n % 977:,}".replace(",", " "),
             f"{40_000 + n % 977} kr", f"1/2/{year}", f"FRN § {n}", f"{year}-03-01",
             40_000 + n % 977, "BG 505-0109"]
        )  # fmt: skip
    return output.getvalue().encode("cp1252")


def measure(rows):
    from municipality import register_import

    user, numbers = build()
    data = grant_file(rows, numbers)
    kind = register_import.kind_named("grants")
    began = time.perf_counter()
    plan = register_import.plan(kind, data, user=user)
    preview = time.perf_counter() - began
    assert not plan.problems, plan.problems[:5]
    began = time.perf_counter()
    register_import.run(kind, data, user=user, file_name="bidrag.csv")
    imported = time.perf_counter() - began
    began = time.perf_counter()
    again = register_import.run(kind, data, user=user, file_name="bidrag.csv")
    repeated = time.perf_counter() - began
    assert not again.create and not again.update
    return {
        "rows": rows,
        "bytes": len(data),
        "preview_seconds": preview,
        "import_seconds": imported,
        "again_seconds": repeated,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="samverkan-import-") as workdir,
        throwaway.database("import_grants") as url,
    ):
        setup(url, workdir)
        figures = measure(options.rows)
    if options.json:
        print(json.dumps(figures))
        return
    print(
        f"Importing {figures['rows']:,} grant rows with a payment each "
        f"({figures['bytes'] / 1024 / 1024:.1f} MB CSV, {throwaway.engine()}):\n"
        f"  preview (read and plan):           {figures['preview_seconds']:6.1f} s\n"
        f"  import (plan again, bulk writes):  {figures['import_seconds']:6.1f} s\n"
        f"  the same file again (no writes):   {figures['again_seconds']:6.1f} s"
    )


if __name__ == "__main__":
    main()
