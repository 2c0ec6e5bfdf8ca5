"""What the service answers outside the register itself: the health check, a refused
form (CSRF) and a refused page."""

import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_settings import ROOT, clean_environ

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login_cookies_or_caching(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert reverse("health") == "/halsa/"


def test_health_says_unavailable_when_the_database_does_not_answer(tmp_path):
    """A fresh process whose database cannot be opened: 503, and nothing about why."""
    script = (
        "import os, django; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "django.setup(); "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "from django.test import Client; "
        "r = Client().get('/halsa/'); "
        "print(r.status_code, r.content.decode())"
    )
    missing = tmp_path / "no-such-directory" / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean_environ(), "DATABASE_URL": f"sqlite:///{missing}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503 unavailable"


@pytest.mark.parametrize("host", ["10.0.0.7", "10.0.0.7:8001", "samverkan.kommun.example"])
def test_health_answers_a_load_balancer_over_http_whatever_the_host(settings, host):
    """As with HTTPS=1: a probe of one server, over plain HTTP and by its address."""
    settings.ALLOWED_HOSTS = ["samverkan.kommun.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
    client = Client(HTTP_HOST=host)
    response = client.get("/halsa/")
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.get("/konto/login/").status_code == (301 if host.startswith("s") else 400)


def test_health_answers_get_only(client):
    assert client.post(reverse("health")).status_code == 405


def test_a_form_without_a_valid_csrf_token_gets_a_swedish_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formuläret kunde inte skickas" in text
    assert "Ladda om sidan" in text
    assert "logga in igen" in text


def test_a_page_the_role_may_not_open_says_so_plainly(cast, client):
    client.force_login(cast.representative)
    response = client.get(reverse("structures_report"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Din roll ger inte tillgång till den här sidan." in text
    assert "men din roll ger dig inte rätt att ändra det" not in text


def test_something_the_user_sees_but_may_not_change_says_that(cast, client):
    client.force_login(cast.auditor)
    response = client.get(reverse("meeting_update", kwargs={"pk": cast.meeting.pk}))
    assert response.status_code == 403
    assert "men din roll ger dig inte rätt att ändra det" in response.content.decode()


def test_favicon_answers_for_every_visitor(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
