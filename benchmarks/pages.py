"""Benchmark: every main page at demo size and at scale size, and the exports against their
floors, printed as one table. `make bench` runs this; it is never part of the test suite.

Run: .venv/bin/python benchmarks/pages.py [--demo SIZES] [--scale SIZES] [--repeat 5]
     [--workbook-grants 100000] [--skip-exports] [--feeds-only] [--keep DIR] [--json FILE]

For each size it builds a throwaway database (SQLite; on PostgreSQL when DATABASE_URL names
one, a database created on that server and dropped after) with `manage.py seed_scale`, then,
in a process of its own, asks every main page through Django's test client as the
municipality's civil servant (the role that sees the most pages with the most on them):
the SQL queries of one request, and the median time of `--repeat` requests after a warm-up.
It also times the civil servant's body feed against plain icalendar writing the same
events, and (benchmarks/grant_workbook.py) the auditor's workbook against raw openpyxl and
tablib, with peak memory.

SIZES is `key=value,…` over seed_scale's options, e.g. `organisations=5000,meetings=50000`;
also from the environment as BENCH_DEMO, BENCH_SCALE, BENCH_REPEAT, BENCH_WORKBOOK_GRANTS.
`--keep DIR` (SQLite only) keeps the databases in DIR and reuses them on the next run with
the same DIR, after migrating them: handy while working on indexes.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import grant_workbook  # noqa: E402
import throwaway  # noqa: E402

# A demo-sized municipality (about what load_demo makes, a little fuller so every page has
# something on it) and the large city.
DEMO = {
    "municipalities": 1,
    "organisations": 60,
    "meetings": 400,
    "observations": 150,
    "agreements": 20,
    "grants": 300,
}
SCALE = {
    "municipalities": 1,
    "organisations": 5000,
    "meetings": 50000,
    "observations": 20000,
    "agreements": 2000,
    "grants": 50000,
}
SEED_OPTIONS = {
    "municipalities",
    "organisations",
    "forums",
    "meetings",
    "invited",
    "observations",
    "agreements",
    "grants",
    "years",
    "seed",
}


def parse_sizes(text, base):
    sizes = dict(base)
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        key, _, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if key not in SEED_OPTIONS:
            raise SystemExit(f"Unknown size {key!r}; one of {', '.join(sorted(SEED_OPTIONS))}.")
        sizes[key] = float(value) if key == "invited" else int(value)
    return sizes


# In the child: one database, every page -------------------------------------------------


def pages(staff):
    """(label, path) of every main page, with the objects a civil servant opens."""
    from django.db.models import Count
    from django.urls import reverse

    from dialogues.models import Forum, Meeting
    from grants.models import Grant
    from partners.models import Organisation, Partnership

    scope_body = staff.memberships.get().body
    committees = list(scope_body.serves.values_list("pk", flat=True))
    kept = [scope_body.pk, *committees]
    organisation = (
        Organisation.objects.filter(municipality=staff.municipality, archived_at=None)
        .annotate(n=Count("invitations"))
        .order_by("-n", "pk")
        .first()
    )
    here = staff.municipality
    # The civil servant's own objects where there are any (tiny sizes may have none).
    forum = (
        Forum.objects.filter(owner_id__in=kept)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    ) or Forum.objects.filter(owner__municipality=here).first()
    meeting = (
        Meeting.objects.filter(forum__owner_id__in=kept, status="held", archived_at=None)
        .annotate(n=Count("observations"))
        .filter(n__gt=0)
        .order_by("-start")
        .first()
    ) or Meeting.objects.filter(forum__owner__municipality=here, archived_at=None).first()
    partnership = (
        Partnership.objects.filter(run_by=scope_body, archived_at=None, follow_ups__isnull=False)
        .order_by("-start_date", "pk")
        .first()
    ) or Partnership.objects.filter(run_by__municipality=here).first()
    grant = (
        Grant.objects.filter(
            scheme__committee_id__in=committees, payments__isnull=False, report__isnull=False
        )
        .order_by("-year", "pk")
        .first()
    ) or Grant.objects.filter(scheme__committee__municipality=here).first()
    listed = [
        ("Start page", reverse("home")),
        ("Organisation list", reverse("organisation_list")),
        ("Organisation page (busiest)", reverse("organisation_detail", args=[organisation.pk])),
        ("IOP list", reverse("partnership_list")),
        ("IOP page", reverse("partnership_detail", args=[partnership.pk])),
        ("Forum list", reverse("forum_list")),
        ("Forum page (busiest)", reverse("forum_detail", args=[forum.pk])),
        ("Meeting list (coming)", reverse("meeting_list")),
        ("Meeting list (past)", reverse("meeting_list") + "?when=past"),
        ("Month calendar", reverse("meeting_calendar")),
        ("Meeting page", reverse("meeting_detail", args=[meeting.pk])),
        ("Observation list", reverse("observation_list")),
        ("Dialogstrukturer report", reverse("structures_report")),
        ("Calendar subscriptions", reverse("calendar_subscriptions")),
        ("Body list", reverse("body_list")),
        ("Body page", reverse("body_detail", args=[scope_body.pk])),
        ("Grant list with totals", reverse("grant_list")),
        ("Grant page", reverse("grant_detail", args=[grant.pk])),
        ("Delegation list", reverse("delegation_list")),
        ("Grant schemes", reverse("scheme_list")),
    ]
    return listed, scope_body, forum


def measure_child(sizes, repeat, build, feeds_only=False, prepare=False):
    import django

    django.setup()
    from calendar_feed import measure_feed
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from dialogues import feeds
    from dialogues.models import CalendarFeed
    from municipality.models import Municipality, User

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - began
    built = None
    if build or not Municipality.objects.exists():
        began = time.perf_counter()
        options = {key: value for key, value in sizes.items() if key in SEED_OPTIONS}
        call_command("seed_scale", verbosity=0, allow_existing=False, **options)
        built = time.perf_counter() - began
    if prepare:
        # Measured in a fresh process, as a server's worker would answer: the heap of a
        # large build slows every request after it by milliseconds.
        return {"built_seconds": built, "migrated_seconds": migrated}
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would gather soon after a bulk load. (SQLite
        # gathers none unless asked, and the service does not ask.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    municipality = Municipality.objects.order_by("pk").first()
    staff = User.objects.get(username=f"tjansteperson.{municipality.code}")
    client = Client()
    client.force_login(staff)
    listed, body, forum = pages(staff)
    results = []
    for label, path in [] if feeds_only else listed:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        response = client.get(path)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        with connection.execute_wrapper(count):
            client.get(path)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        results.append(
            {
                "page": label,
                "path": path,
                "queries": len(queries),
                "median_ms": statistics.median(times) * 1000,
                "bytes": len(response.content),
            }
        )
    # A kept database: renewing leaves one link per subject.
    representative = User.objects.get(username=f"foretradare.{municipality.code}")
    organisation = (
        representative.representations.annotate(n=Count("organisation__invitations"))
        .order_by("-n")
        .first()
        .organisation
    )
    feed_figures = {
        kind: measure_feed(feeds.renew(holder, kind, target), repeat, client=Client())
        for kind, holder, target in (
            (CalendarFeed.Kind.ORGANISATION, representative, organisation),
            (CalendarFeed.Kind.FORUM, staff, forum),
            (CalendarFeed.Kind.BODY, staff, body),
        )
    }
    counts = {
        "meetings": _count("dialogues.Meeting"),
        "invitations": _count("dialogues.Invitation"),
        "organisations": _count("partners.Organisation"),
        "grants": _count("grants.Grant"),
    }
    return {
        "vendor": connection.vendor,
        "built_seconds": built,
        "migrated_seconds": migrated,
        "pages": results,
        "feed": feed_figures,
        "rows": counts,
    }


def _count(label):
    from django.apps import apps

    return apps.get_model(label).objects.count()


# In the parent: databases, children, the table ------------------------------------------


def collect_static(static_root):
    env = throwaway.settings_environment(
        "sqlite:///" + str(static_root / "unused.sqlite3"), static_root
    )
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        check=True,
        env=env,
        cwd=ROOT,
    )


def run_size(name, sizes, repeat, static_root, keep, with_workbook=True, feeds_only=False):
    with throwaway.database(name, keep_dir=keep) as url:
        env = throwaway.settings_environment(url, static_root)
        args = [sys.executable, __file__, "--child", json.dumps(sizes), "--repeat", str(repeat)]
        if feeds_only:
            args.append("--feeds-only")
        built = _child(name, [*args, "--prepare", *([] if keep else ["--build"])], env)
        figures = {**_child(name, args, env), "built_seconds": built["built_seconds"]}
        if with_workbook:
            print(f"{name}: the workbook of all grants, history included …", file=sys.stderr)
            figures["all_grants"] = grant_workbook.all_grants(url)
        return figures


def _child(name, args, env):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"The {name} run failed.")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_workbook(grants):
    result = subprocess.run(
        [sys.executable, str(HERE / "grant_workbook.py"), "--grants", str(grants), "--json"],
        env=os.environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("The workbook run failed.")
    return json.loads(result.stdout.strip().splitlines()[-1])


def describe(sizes):
    return ", ".join(f"{key} {value:,}" for key, value in sizes.items())


def table(demo, scale, workbook, args, seconds):
    lines = []
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[demo["vendor"]]
    lines.append(
        f"`make bench` on {vendor}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs; median of {args.repeat} requests "
        f"after a warm-up, as the civil servant; {seconds / 60:.1f} min in all."
    )
    lines.append("")
    lines.append(
        f"- demo: {describe(args.demo_sizes)} ({demo['rows']['invitations']:,} invitations)"
    )
    lines.append(
        f"- scale: {describe(args.scale_sizes)} ({scale['rows']['invitations']:,} invitations"
        + (f"; built in {scale['built_seconds']:.0f} s" if scale["built_seconds"] else "")
        + ")"
    )
    lines.append("")
    if demo["pages"]:
        lines.append("| page | queries demo | queries scale | ms demo | ms scale | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|")
    for small, large in zip(demo["pages"], scale["pages"], strict=True):
        ratio = large["median_ms"] / small["median_ms"]
        lines.append(
            f"| {small['page']} | {small['queries']} | {large['queries']} "
            f"| {small['median_ms']:.1f} | {large['median_ms']:.1f} | ×{ratio:.1f} |"
        )
    if demo["pages"]:
        lines.append("")
    lines.append("| export | demo | scale |")
    lines.append("|---|---:|---:|")
    for kind in ("organisation", "forum", "body"):
        for key, label in (
            ("events", "events"),
            ("queries", "queries"),
            ("feed_seconds", "ms"),
            ("floor_seconds", "plain icalendar, same events: ms"),
            ("not_modified_seconds", "304: ms"),
            ("not_modified_queries", "304: queries"),
        ):
            cells = []
            for run in (demo, scale):
                value = run["feed"][kind][key]
                cells.append(f"{value * 1000:.1f}" if key.endswith("seconds") else f"{value:,}")
            lines.append(f"| {kind} feed: {label} | {cells[0]} | {cells[1]} |")
        figures = [run["feed"][kind] for run in (demo, scale)]
        cells = [f"×{f['feed_seconds'] / f['floor_seconds']:.2f}" for f in figures]
        lines.append(f"| {kind} feed / plain icalendar | {cells[0]} | {cells[1]} |")
        ratio = figures[1]["not_modified_seconds"] / figures[0]["not_modified_seconds"]
        lines.append(f"| {kind} feed, 304 scale / demo | ×{ratio:.2f} | |")
    if "all_grants" in scale:
        lines.append("")
        lines.append(
            "| workbook of all grants, whole change history | demo | scale | scale / demo |"
        )
        lines.append("|---|---:|---:|---:|")
        small, large = demo["all_grants"], scale["all_grants"]
        for key, label, unit in (
            ("queries", "ours: SQL queries", "{:,}"),
            ("seconds", "ours, database included: s", "{:.2f}"),
            ("peak_mib", "ours: peak MiB", "{:.0f}"),
            ("bytes", "ours: bytes", "{:,}"),
        ):
            a, b = small["ours"][key], large["ours"][key]
            ratio = f"×{b / a:.2f}" if a else ""
            lines.append(f"| {label} | {unit.format(a)} | {unit.format(b)} | {ratio} |")
        a, b = small["raw"]["seconds"], large["raw"]["seconds"]
        lines.append(f"| raw openpyxl, same sheets and rows: s | {a:.2f} | {b:.2f} | |")
        cells = [f"×{run['ours']['seconds'] / run['raw']['seconds']:.2f}" for run in (small, large)]
        lines.append(f"| ours / raw openpyxl | {cells[0]} | {cells[1]} | |")
    if workbook:
        ours, raw, tablib, small = (workbook[k] for k in ("ours", "raw", "tablib", "ours_small"))
        lines.append("")
        lines.append(f"| workbook, {workbook['grants']:,} grants with payments | s | peak MiB |")
        lines.append("|---|---:|---:|")
        lines.append(f"| raw openpyxl write-only | {raw['seconds']:.1f} | {raw['peak_mib']:.0f} |")
        lines.append(
            f"| django-tables2 / tablib | {tablib['seconds']:.1f} | {tablib['peak_mib']:.0f} |"
        )
        lines.append(
            f"| ours, database included | {ours['seconds']:.1f} | {ours['peak_mib']:.0f} |"
        )
        lines.append(f"| ours, 1,000 grants | {small['seconds']:.1f} | {small['peak_mib']:.0f} |")
        lines.append(
            f"| ours / raw: ×{ours['seconds'] / raw['seconds']:.2f}; "
            f"tablib / ours: ×{tablib['seconds'] / ours['seconds']:.1f}; "
            f"memory {workbook['grants']:,} / 1,000: "
            f"×{ours['peak_mib'] / small['peak_mib']:.2f} | | |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", default=os.environ.get("BENCH_DEMO", ""))
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", ""))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 5)))
    parser.add_argument(
        "--workbook-grants",
        type=int,
        default=int(os.environ.get("BENCH_WORKBOOK_GRANTS", 100_000)),
    )
    parser.add_argument("--skip-exports", action="store_true", help="Pages and feed only.")
    parser.add_argument(
        "--feeds-only", action="store_true", help="The feeds and their 304s only (no exports)."
    )
    parser.add_argument("--keep", help="SQLite: keep and reuse the databases in this folder.")
    parser.add_argument("--json", help="Also write the raw figures to this file.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sizes = json.loads(args.child)
        figures = measure_child(sizes, args.repeat, args.build, args.feeds_only, args.prepare)
        print(json.dumps(figures))
        return
    if args.keep and throwaway.engine() != "sqlite":
        raise SystemExit("--keep works with SQLite only.")
    args.demo_sizes = parse_sizes(args.demo, DEMO)
    args.scale_sizes = parse_sizes(args.scale, SCALE)
    began = time.perf_counter()
    static_root = Path(tempfile.mkdtemp(prefix="samverkan-bench-static-"))
    try:
        print(f"collecting static files into {static_root} …", file=sys.stderr)
        collect_static(static_root)
        print(f"demo: {describe(args.demo_sizes)} …", file=sys.stderr)
        exports = not (args.skip_exports or args.feeds_only)
        common = (args.repeat, static_root, args.keep, exports, args.feeds_only)
        demo = run_size("demo", args.demo_sizes, *common)
        print(f"scale: {describe(args.scale_sizes)} …", file=sys.stderr)
        scale = run_size("scale", args.scale_sizes, *common)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    workbook = None
    if exports:
        print(f"workbook: {args.workbook_grants:,} grants …", file=sys.stderr)
        workbook = run_workbook(args.workbook_grants)
    seconds = time.perf_counter() - began
    if args.json:
        Path(args.json).write_text(
            json.dumps({"demo": demo, "scale": scale, "workbook": workbook}, indent=1)
        )
    print(table(demo, scale, workbook, args, seconds))


if __name__ == "__main__":
    main()
