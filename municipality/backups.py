"""Back up and restore the database, whichever engine holds it.

SQLite is copied by `VACUUM INTO`, one read transaction over one consistent state while
the service goes on reading and writing (WAL lets writers in beside a reader); the online
backup API in steps restarts whenever another connection writes between two steps, and so
never finished on a city's database taking ten commits a second. PostgreSQL goes through
`pg_dump --format=custom` and `pg_restore`, taken from the release that matches the server.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


class BackupError(Exception):
    """What went wrong, in one line for the operator."""


def suffix(settings_dict):
    return ".sqlite3" if settings_dict["ENGINE"] == SQLITE else ".dump"


def back_up(settings_dict, out):
    """Write the whole database named by `settings_dict` to the file `out`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    if settings_dict["ENGINE"] == SQLITE:
        _sqlite_snapshot(settings_dict["NAME"], partial)
    else:
        _pg_run("pg_dump", settings_dict, ["--format=custom", f"--file={partial}"])
    partial.replace(out)


def restore(settings_dict, backup):
    """Replace the contents of the database named by `settings_dict` with `backup`."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"No backup file at {backup}.")
    if settings_dict["ENGINE"] == SQLITE:
        _sqlite_copy(backup, settings_dict["NAME"])
    else:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(backup)]
        _pg_run("pg_restore", settings_dict, options)


def _sqlite_snapshot(source, target):
    """One consistent state of `source`, compacted, written to the new file `target`."""
    connection = sqlite3.connect(source, timeout=20)
    try:
        connection.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}") from None
    finally:
        connection.close()


def _sqlite_copy(source, target):
    """Restoring: page by page into the database, which no one else writes meanwhile."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _pg_run(tool, settings_dict, options):
    database = ["--dbname", settings_dict["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            database += [flag, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    result = subprocess.run(
        [pg_program(tool, server_major(settings_dict)), *database, *options],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def server_major(settings_dict):
    import psycopg

    connection = psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    )
    with connection:
        return connection.info.server_version // 10000


def pg_program(tool, major):
    """Debian keeps each release under /usr/lib/postgresql/<major>/bin; pg_dump must not be
    older than the server, so take the server's own release, else whatever is on PATH."""
    own = Path(f"/usr/lib/postgresql/{major}/bin/{tool}")
    if own.exists():
        return str(own)
    found = shutil.which(tool)
    if found is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    return found
