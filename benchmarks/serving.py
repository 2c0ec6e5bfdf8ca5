"""Serving a throwaway database through gunicorn for the benchmarks that ask over HTTP,
as production does: the project's settings, gunicorn's own defaults unless told."""

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SESSION = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from municipality.models import User
user = User.objects.filter(username__startswith={prefix!r}).order_by("pk").first()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def session_cookie(env, username_prefix):
    """A logged-in session of the first user whose name starts so, as a Cookie header."""
    output = manage(env, "shell", "-c", SESSION.format(prefix=username_prefix), capture=True)
    return output.strip().splitlines()[-1]


@contextlib.contextmanager
def gunicorn(env, *options):
    """gunicorn on a free port with `options` (else its defaults: one sync worker, a 30 s
    timeout); yields the port once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(VENV_BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"),
            *("--log-level", "warning", *options),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(10)
