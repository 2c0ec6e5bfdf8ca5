"""A backup taken while the service writes restores, into an empty database, to exactly
the tables it was taken from: every table's rows, counted and digested."""

import copy
import hashlib
import io
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from tests.test_settings import ROOT, clean_environ


def snapshot(wrapper):
    """Every table of the database: its row count and a digest of all its rows."""
    tables = {}
    with wrapper.cursor() as cursor:
        quote_name = wrapper.ops.quote_name
        for table in sorted(wrapper.introspection.table_names(cursor)):
            columns = wrapper.introspection.get_table_description(cursor, table)
            names = ", ".join(quote_name(column.name) for column in columns)
            order = ", ".join(str(n) for n in range(1, len(columns) + 1))
            cursor.execute(f"SELECT {names} FROM {quote_name(table)} ORDER BY {order}")
            rows = cursor.fetchall()
            tables[table] = (len(rows), hashlib.blake2b(repr(rows).encode()).hexdigest())
    return tables


def database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD")
    login = f"{user}:{quote(password)}" if password else user
    host = f"{settings_dict.get('HOST') or 'localhost'}:{settings_dict.get('PORT') or 5432}"
    return f"postgres://{login}@{host}/{settings_dict['NAME']}"


@pytest.fixture
def empty_database(tmp_path):
    """Settings for a database beside the test database, empty: a new SQLite file, or a
    scratch PostgreSQL database on the same server, dropped afterwards."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings_dict
        return
    settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
        cursor.execute(f"CREATE DATABASE {settings_dict['NAME']}")
    yield settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']} WITH (FORCE)")


def open_write(wrapper):
    """Another connection in the middle of a write it has not committed yet."""
    wrapper.set_autocommit(False)
    with wrapper.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, %s, %s)",
            ["halvskriven", "data", timezone.now()],
        )


@pytest.mark.django_db(transaction=True)
def test_backup_during_a_write_restores_every_table_into_an_empty_database(
    tmp_path, empty_database
):
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    before = snapshot(connection)
    assert before["partners_organisation"][0] > 0
    assert before["municipality_user"][0] == 6

    writer = connections.create_connection("default")
    try:
        open_write(writer)
        out = tmp_path / "samverkan.backup"
        call_command("backup_database", str(out), stdout=io.StringIO())
        writer.rollback()
    finally:
        writer.close()

    restored = subprocess.run(
        [sys.executable, "manage.py", "restore_database", "--noinput", str(out)],
        cwd=ROOT,
        env={
            **clean_environ(),
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": database_url(empty_database),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    backend = load_backend(empty_database["ENGINE"])
    copy_of = backend.DatabaseWrapper(empty_database, alias="default")
    try:
        after = snapshot(copy_of)
    finally:
        copy_of.close()
    assert after == before
    assert after["django_session"][0] == before["django_session"][0]


@pytest.mark.django_db(transaction=True)
def test_restore_asks_before_replacing_the_database(tmp_path, monkeypatch):
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    out = tmp_path / "samverkan.backup"
    call_command("backup_database", str(out), stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO("nej\n"))
    with pytest.raises(Exception, match="Återställningen avbröts"):
        call_command("restore_database", str(out))


def test_a_sqlite_backup_finishes_while_a_writer_commits_all_the_time(tmp_path):
    """A writer committing all the time into a database of over a hundred megabytes: the
    backup finishes, and holds one consistent state (the online backup API in steps
    started again at every commit and had not finished after a minute)."""
    import sqlite3
    import threading

    from municipality import backups

    source = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(source)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    setup.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 1000,)] * 120_000)
    setup.commit()
    setup.close()
    stop, commits = threading.Event(), []

    def write():
        writer = sqlite3.connect(source, timeout=20)
        while not stop.is_set():
            writer.execute("INSERT INTO note (body) VALUES ('y')")
            writer.commit()
            commits.append(1)
        writer.close()

    writer = threading.Thread(target=write)
    writer.start()
    done = threading.Event()
    backup = tmp_path / "backup.sqlite3"
    taking = threading.Thread(
        target=lambda: (
            backups.back_up({"ENGINE": backups.SQLITE, "NAME": source}, backup),
            done.set(),
        )
    )
    try:
        while len(commits) < 5:
            stop.wait(0.01)
        taking.start()
        taking.join(timeout=60)
    finally:
        stop.set()
        writer.join()
    assert done.is_set(), "the backup did not finish within a minute under writes"
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = copy.execute("SELECT COUNT(*) FROM note").fetchone()[0]
    copy.close()
    assert 120_005 <= rows <= 120_000 + len(commits)
    assert len(commits) > 10
