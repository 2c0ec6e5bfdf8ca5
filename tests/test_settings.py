"""Configuration from the environment: safe defaults, loud one-line errors, a clean deploy check."""

import json
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
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_LOCKOUT_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_USE_TLS",
    "EMAIL_BACKEND",
    "DEFAULT_FROM_EMAIL",
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


def resolved(*names, **env):
    """Settings as a fresh process reads them from `env`, as JSON-friendly values."""
    code = (
        "import json, os, django; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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


@pytest.mark.parametrize("command", [["check"], ["migrate"], ["check", "--deploy"]])
def test_manage_refuses_to_start_without_a_secret_key(command):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage(*command, **env)
    assert result.returncode != 0
    assert result.stderr.strip() == "Samverkansregistret: SECRET_KEY must be set when DEBUG is off."


def test_source_commands_need_no_secret_key():
    """Checking that migrations are in sync signs nothing: tooling runs it bare."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("makemigrations", "--check", "--dry-run", **env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_manage_refuses_the_development_key():
    env = {**PRODUCTION, "SECRET_KEY": "django-insecure-local-development-key-not-for-production"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Samverkansregistret: SECRET_KEY is a development key; "
        "set a long random one when DEBUG is off."
    ]


def test_development_needs_no_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_mail_settings_come_from_the_environment():
    assert resolved(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        EMAIL_HOST="smtp.kommun.se",
        EMAIL_PORT="25",
        EMAIL_HOST_USER="samverkan",
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Samverkansregistret <samverkan@kommun.se>",
    ) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.kommun.se",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "samverkan",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Samverkansregistret <samverkan@kommun.se>",
        "SERVER_EMAIL": "Samverkansregistret <samverkan@kommun.se>",
    }


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
    result = manage("diffsettings", "--all", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert f"'NAME': {ROOT / 'var' / 'samverkan.sqlite3'!r}" in result.stdout


def test_sqlite_by_url_gets_the_same_settings_as_the_default(tmp_path):
    default = resolved("DATABASES")["DATABASES"]["default"]
    path = tmp_path / "samverkan.sqlite3"
    by_url = resolved("DATABASES", DATABASE_URL=f"sqlite:///{path}")["DATABASES"]["default"]
    assert by_url.pop("NAME") == str(path)
    assert default.pop("NAME") == str(ROOT / "var" / "samverkan.sqlite3")
    assert by_url == default
    assert default["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Writes get their transaction from WritesInOneTransactionMiddleware; reads none.
    assert default["ATOMIC_REQUESTS"] is False
    assert resolved("MIDDLEWARE")["MIDDLEWARE"][-1] == (
        "municipality.middleware.WritesInOneTransactionMiddleware"
    )


def test_sqlite_url_options_win(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}?timeout=60"
    options = resolved("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert options["timeout"] == 60
    assert options["transaction_mode"] == "IMMEDIATE"


def test_login_and_session_defaults():
    assert resolved(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "AXES_LOCKOUT_PARAMETERS",
        "TRUSTED_PROXY_COUNT",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    ) == {
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_TIME": "0:30:00",
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "TRUSTED_PROXY_COUNT": 0,
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }


def test_login_and_session_from_the_environment():
    assert resolved(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "TRUSTED_PROXY_COUNT",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        LOGIN_FAILURE_LIMIT="10",
        LOGIN_LOCKOUT_MINUTES="90",
        TRUSTED_PROXY_COUNT="1",
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="0",
    ) == {
        "AXES_FAILURE_LIMIT": 10,
        "AXES_COOLOFF_TIME": "1:30:00",
        "TRUSTED_PROXY_COUNT": 1,
        "SESSION_COOKIE_AGE": 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": False,
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOGIN_FAILURE_LIMIT", "0", "must be at least 1, not '0'"),
        ("LOGIN_FAILURE_LIMIT", "fem", "must be a whole number, not 'fem'"),
        ("LOGIN_LOCKOUT_MINUTES", "0", "must be at least 1, not '0'"),
        ("TRUSTED_PROXY_COUNT", "-1", "must be at least 0, not '-1'"),
        ("SESSION_COOKIE_AGE", "8h", "must be a whole number, not '8h'"),
        ("SESSION_EXPIRE_AT_BROWSER_CLOSE", "ja", "must be 0 or 1, not 'ja'"),
    ],
)
def test_bad_login_or_session_value_stops_with_one_line(name, value, message):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"Samverkansregistret: {name} {message}."]


def test_deploy_check_is_clean_with_every_new_variable_and_sqlite_by_url(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{
            **PRODUCTION,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_LOCKOUT_MINUTES": "60",
            "TRUSTED_PROXY_COUNT": "1",
            "SESSION_COOKIE_AGE": "3600",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE": "1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
