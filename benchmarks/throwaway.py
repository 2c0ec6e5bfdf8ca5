"""Throwaway databases for the benchmarks: a SQLite file in a temporary folder, or, when
DATABASE_URL names a PostgreSQL server, a database created on that server and dropped after.

The benchmarks never touch the database DATABASE_URL itself names: on PostgreSQL they use
its server and credentials only.
"""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def engine():
    """ "postgresql" when DATABASE_URL names a PostgreSQL server, else "sqlite"."""
    url = os.environ.get("DATABASE_URL", "")
    return (
        "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite"
    )


def _server(url):
    parts = urlsplit(url)
    return parts, parts._replace(path="/postgres")


@contextlib.contextmanager
def database(name, keep_dir=None):
    """Yield the DATABASE_URL of a new, empty database called `name` (a short slug).

    SQLite: `<tmp>/<name>.sqlite3`, removed afterwards, unless `keep_dir` is given: then the
    file lives there and is kept (and reused by the next run that names the same folder).
    PostgreSQL: `samverkan_bench_<name>_<pid>` on DATABASE_URL's server, dropped afterwards.
    """
    if engine() == "sqlite":
        if keep_dir:
            Path(keep_dir).mkdir(parents=True, exist_ok=True)
            yield f"sqlite:///{Path(keep_dir).resolve()}/{name}.sqlite3"
            return
        folder = tempfile.mkdtemp(prefix="samverkan-bench-")
        try:
            yield f"sqlite:///{folder}/{name}.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    parts, server = _server(os.environ["DATABASE_URL"])
    database_name = f"samverkan_bench_{name}_{os.getpid()}"
    with psycopg.connect(urlunsplit(server), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database_name}"')
        admin.execute(f'CREATE DATABASE "{database_name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{database_name}"))
    finally:
        with psycopg.connect(urlunsplit(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')


def settings_environment(database_url, static_root):
    """The environment a benchmark child runs Django in: production settings (DEBUG off,
    manifest static files), its own database, the test client's host allowed."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + "x" * 50),
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }
