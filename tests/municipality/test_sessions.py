"""A session lasts a working day from login and ends when the browser closes."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.cast import PASSWORD

EIGHT_HOURS = datetime.timedelta(hours=8)


def log_in(client):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.headers["Location"] == reverse("home")
    return response.cookies[settings.SESSION_COOKIE_NAME]


def test_the_session_cookie_ends_with_the_browser(client, cast):
    cookie = log_in(client)
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert cookie["httponly"] is True


def test_the_session_lasts_eight_hours_from_login(client, cast):
    before = timezone.now()
    cookie = log_in(client)
    expires = Session.objects.get(session_key=cookie.value).expire_date
    assert before + EIGHT_HOURS <= expires <= timezone.now() + EIGHT_HOURS


def test_after_eight_hours_the_login_page_comes_back(client, cast):
    cookie = log_in(client)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=cookie.value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.headers["Location"] == f"{reverse('login')}?next=/"
