"""SQLite named by DATABASE_URL behaves as the default SQLite under var/: sixteen people
logging in at the same moment, each on their own connection, all get in."""

import json
import subprocess
import sys

from tests.test_settings import ROOT, clean_environ

PEOPLE = 16

# Runs in a fresh process, so that settings are read from DATABASE_URL.
SCRIPT = """
import json, os, threading
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

setup_test_environment()
call_command("migrate", verbosity=0)
from municipality.models import Role, User

PEOPLE = %(people)d
start = threading.Barrier(PEOPLE)
results = [None] * PEOPLE


def log_in(n):
    client = Client()
    start.wait()
    try:
        response = client.post(
            "/konto/login/", {"username": f"user{n}", "password": f"lösenord-{n}"}
        )
        results[n] = [response.status_code, response.get("Location"),
                      client.session.get("_auth_user_id") is not None]
    except Exception as error:
        results[n] = f"{type(error).__name__}: {error}"
    finally:
        connection.close()


with override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
):
    for n in range(PEOPLE):
        User.objects.create_user(username=f"user{n}", password=f"lösenord-{n}", role=Role.ADMIN)
    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print(json.dumps(results))
"""


def test_sixteen_simultaneous_logins_on_sqlite_by_url_all_succeed(tmp_path):
    env = {**clean_environ(), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT % {"people": PEOPLE}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [[302, "/", True]] * PEOPLE
