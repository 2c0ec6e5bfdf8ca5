"""Benchmark: the largest export each role may take at once, through gunicorn with its
default sync worker and 30 s timeout, as docs/operations.md's production command runs it.

Run: .venv/bin/python benchmarks/exports_gunicorn.py [--grants 2000]

A throwaway database (SQLite; PostgreSQL when DATABASE_URL names one) seeded with
`--grants` grants (default: EXPORT_DIRECT_MAX_GRANTS, the most the workbook answers
directly; more go to the background) and their change history. Each export in EXPORTS is
asked for once as its role; printed: status, seconds, bytes. Anything but a 200 with a
workbook, or a worker timeout, is an error and the run exits non-zero.
"""

import argparse
import http.client
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import throwaway  # noqa: E402
from serving import gunicorn, manage, session_cookie  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (label, username prefix of the role that asks, path)
EXPORTS = [
    (
        "auditor's workbook, every grant and its whole history",
        "revisor.",
        "/bidrag/arbetsbok.xlsx?changes_from=2000-01-01",
    ),
    ("dialogue structures", "tjansteperson.", "/dialogstrukturer.xlsx"),
]


def take(port, cookie, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    began = time.monotonic()
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read()
        status, kind = response.status, response.getheader("Content-Type", "")
    except (OSError, http.client.HTTPException) as error:
        status, kind, body = type(error).__name__, "", b""
    finally:
        connection.close()
    return {"status": status, "kind": kind, "seconds": time.monotonic() - began, "bytes": len(body)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grants", type=int, default=2000)
    args = parser.parse_args()
    sizes = ["--municipalities", "1", "--organisations", "1000", "--meetings", "5000"]
    static_root = Path(tempfile.mkdtemp(prefix="samverkan-bench-static-"))
    results = []
    try:
        with throwaway.database("exports") as url:
            env = throwaway.settings_environment(url, static_root)
            env["ALLOWED_HOSTS"] = "127.0.0.1"
            print(f"building a database with {args.grants:,} grants …", file=sys.stderr)
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "migrate", "-v0")
            manage(env, "seed_scale", "-v0", *sizes, "--grants", str(args.grants), capture=True)
            cookies = {prefix: session_cookie(env, prefix) for _, prefix, _ in EXPORTS}
            with gunicorn(env) as port:
                for label, prefix, path in EXPORTS:
                    results.append((label, path, take(port, cookies[prefix], path)))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print(f"gunicorn, one sync worker, 30 s timeout; {args.grants:,} grants")
    print()
    print("| export | path | status | s | bytes |")
    print("|---|---|---:|---:|---:|")
    failed = False
    for label, path, result in results:
        ok = result["status"] == 200 and result["kind"].startswith(XLSX)
        failed |= not ok
        print(
            f"| {label} | {path} | {result['status']}{'' if ok else ' (error)'} "
            f"| {result['seconds']:.1f} | {result['bytes']:,} |"
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
