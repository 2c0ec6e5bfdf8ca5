"""Configuration from the environment: safe defaults, loud one-line errors, a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "k3Zq9-production-secret-for-the-deploy-check-only-7hVx2mPq8Lr4",
    "ALLOWED_HOSTS": "samverkan.example.se",
    "DATABASE_URL": "postgres://samverkan:hemligt@db.example.se:5432/samverkan",
}


# Variables the test run itself may have set, which a fresh process must not inherit.
OURS = (
    "DATABASE_URL",
    "DEBUG",
    "HTTPS",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def clean_environ():
    return {k: v for k, v in os.environ.items() if k not in OURS}


def manage(*args, **env):
    base = clean_environ()
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "url",
    ["garbage", "", "mysql://user@host/db", "postgres://user@host:5432/"],
    ids=["no-scheme", "empty", "unsupported-engine", "no-database-name"],
)
def test_bad_database_url_stops_with_one_line_naming_the_variable(url):
    result = manage("check", DATABASE_URL=url)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_boolean_stops_with_one_line():
    result = manage("check", DEBUG="kanske")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Samverkansregistret: DEBUG must be 0 or 1, not 'kanske'."
    ]


def test_deploy_check_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_flags_the_default_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_wsgi_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "Samverkansregistret: SECRET_KEY must be set when DEBUG is off."


def test_sqlite_under_var_is_the_default():
    result = manage("diffsettings", "--all")
    assert result.returncode == 0, result.stderr
    assert f"'NAME': {ROOT / 'var' / 'samverkan.sqlite3'!r}" in result.stdout
