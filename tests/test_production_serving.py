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


def request(url, host, **headers):
    """(status, headers, body) of a GET with this Host; redirects are not followed."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    req = urllib.request.Request(url, headers={"Host": host, **headers})
    try:
        with opener.open(req, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_behind_https_the_health_check_answers_a_load_balancer_and_a_wrong_host_is_one_line(
    tmp_path,
):
    """With HTTPS=1 a load balancer probes each gunicorn over plain HTTP, by the server's
    address: /halsa/ answers 200, while every other page still goes to HTTPS. A request
    for a host name not in ALLOWED_HOSTS is refused with one line in the log."""
    port = free_port()
    env = {
        **clean_environ(),
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-8f3kd93jf83hf0s",
        "ALLOWED_HOSTS": "samverkan.kommun.example",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [VENV_BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, headers, body = request(f"{base}/halsa/", f"127.0.0.1:{port}")
                break
            except OSError:
                time.sleep(0.1)
        assert (status, body) == (200, b"ok")
        assert "no-cache" in headers["Cache-Control"]
        assert request(f"{base}/halsa/", "10.0.0.7")[::2] == (200, b"ok")
        assert request(f"{base}/halsa/", "samverkan.kommun.example")[::2] == (200, b"ok")
        status, headers, _ = request(f"{base}/konto/login/", "samverkan.kommun.example")
        assert (status, headers["Location"]) == (
            301,
            "https://samverkan.kommun.example/konto/login/",
        )
        status, headers, _ = request(
            f"{base}/", "samverkan.kommun.example", **{"X-Forwarded-Proto": "https"}
        )
        assert (status, headers["Location"]) == (302, "/konto/login/?next=/")
        before = log.read_text()
        status, _, _ = request(f"{base}/konto/login/", "evil.example")
        assert status == 400
    finally:
        server.terminate()
        server.wait(timeout=10)
    logged = log.read_text()[len(before) :]
    lines = [line for line in logged.splitlines() if "[INFO]" not in line]
    assert lines == [
        "Invalid HTTP_HOST header: 'evil.example'. "
        "You may need to add 'evil.example' to ALLOWED_HOSTS."
    ], logged
