"""Benchmark: 16 readers at once on SQLite, without and with a writer, through gunicorn.

Run: .venv/bin/python benchmarks/concurrent_readers.py [--seconds 60] [--readers 16]

A throwaway SQLite database at demo size (`seed_scale`), served by gunicorn with the
project's settings (DEBUG off) and threads enough for every reader to hold a database
connection at once. Each reader asks the organisation list again and again as the civil
servant. The writer is a second connection that, again and again, takes the write lock
(BEGIN IMMEDIATE), changes an organisation, holds the lock for 20 ms and commits: the
worst a saving colleague does to readers. Printed: requests, errors (anything but a 200),
requests per second, and the median, 95th percentile and slowest answer. On PostgreSQL
(DATABASE_URL) it measures the same through that server, the writer skipped.
"""

import argparse
import http.client
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import throwaway  # noqa: E402
from serving import gunicorn, manage, session_cookie  # noqa: E402

DEMO = ["--municipalities", "1", "--organisations", "60", "--meetings", "400"]


def reader(port, cookie, until, latencies, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        began = time.monotonic()
        try:
            connection.request("GET", "/organisationer/", headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            errors.append(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append(time.monotonic() - began)
    connection.close()


def writer(path, until, writes):
    connection = sqlite3.connect(path, timeout=20, isolation_level=None)
    number = 0
    while time.monotonic() < until:
        number += 1
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "UPDATE partners_organisation SET phone = ? WHERE id = "
            "(SELECT min(id) FROM partners_organisation)",
            (f"040-{number % 100000:05d}",),
        )
        time.sleep(0.02)
        connection.execute("COMMIT")
        writes.append(number)
        time.sleep(0.01)
    connection.close()


def phase(port, cookie, readers, seconds, sqlite_path=None):
    until = time.monotonic() + seconds
    latencies, errors, writes = [], [], []
    threads = [
        threading.Thread(target=reader, args=(port, cookie, until, latencies, errors))
        for _ in range(readers)
    ]
    if sqlite_path:
        threads.append(threading.Thread(target=writer, args=(sqlite_path, until, writes)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(map(str, errors))),
        "per_second": len(latencies) / seconds,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "max_ms": latencies[-1] * 1000,
        "writes": len(writes),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_READERS_SECONDS", 60))
    )
    parser.add_argument("--readers", type=int, default=16)
    args = parser.parse_args()
    static_root = Path(tempfile.mkdtemp(prefix="samverkan-bench-static-"))
    try:
        with throwaway.database("readers") as url:
            env = throwaway.settings_environment(url, static_root)
            env["ALLOWED_HOSTS"] = "127.0.0.1"
            print("building a demo-size database …", file=sys.stderr)
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "migrate", "-v0")
            manage(env, "seed_scale", "-v0", *DEMO, capture=True)
            cookie = session_cookie(env, "tjansteperson.")
            threads = str(args.readers // 3 + 1)
            sqlite_path = url.removeprefix("sqlite:///") if url.startswith("sqlite") else None
            with gunicorn(env, "--workers", "3", "--threads", threads) as port:
                print(f"{args.readers} readers, {args.seconds:.0f} s each phase …", file=sys.stderr)
                phase(port, cookie, args.readers, 3)  # warm-up: every worker's first requests
                alone = phase(port, cookie, args.readers, args.seconds)
                beside = phase(port, cookie, args.readers, args.seconds, sqlite_path)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    engine = "SQLite" if sqlite_path else "PostgreSQL"
    print(
        f"{args.readers} readers of the organisation list for {args.seconds:.0f} s, "
        f"{engine}, gunicorn 3 workers × {threads} threads"
    )
    print()
    print("| | requests | errors | per s | median ms | p95 ms | slowest ms | writes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, run in (("readers alone", alone), ("readers and one writer", beside)):
        print(
            f"| {label} | {run['requests']:,} | {run['errors']} | {run['per_second']:.0f} "
            f"| {run['median_ms']:.0f} | {run['p95_ms']:.0f} | {run['max_ms']:.0f} "
            f"| {run['writes']:,} |"
        )
        if run["errors"]:
            print(f"|  errors: {', '.join(run['error_kinds'])} | | | | | | | |")


if __name__ == "__main__":
    main()
