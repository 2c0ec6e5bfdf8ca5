"""gunicorn serves the application, and whitenoise its static files, as in production."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_settings import ROOT, clean_environ

VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_gunicorn_serves_pages_and_hashed_static_files(tmp_path):
    port = free_port()
    env = {
        **clean_environ(),
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-8f3kd93jf83hf0s",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
        )
    server = subprocess.Popen(
        [VENV_BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, headers, body = fetch(f"{base}/konto/login/")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]
        assert "no-store" in headers["Cache-Control"]
        html = body.decode()
        assert "<title>Logga in – Samverkansregistret</title>" in html
        css = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "Bootstrap is linked by its hashed name from the manifest"
        status, headers, body = fetch(base + css.group(1))
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert b"Bootstrap" in body[:200]
    finally:
        server.terminate()
        server.wait(timeout=10)
