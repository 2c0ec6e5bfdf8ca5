"""Login throttling with django-axes: per user name and address, on the site and the admin."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.urls import reverse

from municipality.login import client_ip
from tests.cast import PASSWORD

WRONG = "Please enter a correct username and password. Note that both fields may be case-sensitive."
LOCKED = (
    "Too many failed attempts to log in. Try again in 30 minutes, "
    "or ask an administrator to unlock your login."
)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def log_in(client, username, password, url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def errors(response):
    return list(response.context["form"].non_field_errors())


def logged_in(client):
    return "_auth_user_id" in client.session


def page(response, username):
    """The page without the user name typed and the CSRF token."""
    html = response.content.decode().replace(f'value="{username}"', 'value="X"')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(english, cast):
    refused = settings.AXES_FAILURE_LIMIT - 1  # "wrong password"; the next failure locks
    responses = [log_in(english, "staff", f"fel-{n}") for n in range(50)]
    assert [r.status_code for r in responses] == [200] * refused + [429] * (50 - refused)
    assert [errors(r) for r in responses[:refused]] == [[WRONG]] * refused
    assert [errors(r) for r in responses[refused:]] == [[LOCKED]] * (50 - refused)

    right = log_in(english, "staff", PASSWORD)
    assert right.status_code == 429
    assert errors(right) == [LOCKED]
    assert LOCKED in right.content.decode()
    assert not logged_in(english)


def test_admin_login_is_locked_out_the_same_way(english, cast):
    url = reverse("admin:login")
    for n in range(50):
        log_in(english, "admin", f"fel-{n}", url=url)
    right = log_in(english, "admin", PASSWORD, url=url)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert 'id="login-form"' in right.content.decode()  # the admin's own login page
    assert not logged_in(english)
    assert english.get(reverse("admin:index")).status_code == 302


def test_lockout_does_not_tell_whether_the_user_exists(english, cast):
    limit = settings.AXES_FAILURE_LIMIT
    existing = [log_in(english, "staff", "fel") for _ in range(limit)][-1]
    missing = [log_in(english, "finns-inte", "fel") for _ in range(limit)][-1]
    assert (existing.status_code, errors(existing)) == (429, [LOCKED])
    assert (missing.status_code, errors(missing)) == (429, [LOCKED])
    assert page(existing, "staff") == page(missing, "finns-inte")


def test_another_user_name_from_the_same_address_is_not_held_up(client, cast):
    for _ in range(50):
        log_in(client, "staff", "fel")
    other = log_in(client, "elected", PASSWORD)
    assert other.headers["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.elected.pk)


def test_the_same_user_name_from_another_address_is_not_held_up(client, cast):
    for _ in range(50):
        log_in(client, "staff", "fel", REMOTE_ADDR="203.0.113.9")
    assert log_in(client, "staff", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    elsewhere = log_in(client, "staff", PASSWORD, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.headers["Location"] == reverse("home")


def test_fewer_failures_than_the_limit_and_a_success_start_the_count_again(client, cast):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        log_in(client, "staff", "fel")
    assert log_in(client, "staff", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert log_in(client, "staff", "fel").status_code == 200
    assert log_in(client, "staff", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=datetime.timedelta(minutes=10))
def test_limit_and_cool_off_follow_the_settings(english, cast):
    assert log_in(english, "staff", "fel").status_code == 200
    locked = log_in(english, "staff", "fel")
    assert locked.status_code == 429
    assert "Try again in 10 minutes" in errors(locked)[0]


def test_the_lockout_ends_after_the_cool_off(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "fel")
    assert log_in(client, "staff", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    assert log_in(client, "staff", PASSWORD).headers["Location"] == reverse("home")


def test_the_reset_command_unlocks_a_user_name(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "fel")
    assert log_in(client, "staff", PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("axes_reset_username", "staff", stdout=out)
    assert out.getvalue() == "1 attempts removed.\n"
    assert log_in(client, "staff", PASSWORD).headers["Location"] == reverse("home")


def test_an_administrator_unlocks_from_the_admin(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "fel")
    attempt = AccessAttempt.objects.get(username="staff")

    admin = client.__class__()
    admin.force_login(cast.admin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "staff" in listing.content.decode()
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.headers["Location"] == reverse("admin:axes_accessattempt_changelist")
    assert not AccessAttempt.objects.exists()

    assert log_in(client, "staff", PASSWORD).headers["Location"] == reverse("home")


def test_only_administrators_see_the_access_attempts(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7, 192.0.2.10", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
    ids=[
        "no-proxy-ignores-header",
        "proxy-without-header",
        "one-proxy",
        "client-supplied-entries-ignored",
        "two-proxies",
        "fewer-entries-than-proxies",
        "garbage",
    ],
)
def test_failures_are_counted_against_the_address_the_trusted_proxy_saw(
    proxies, forwarded, expected
):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().post("/konto/login/", REMOTE_ADDR="10.0.0.1", **extra)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


@override_settings(LOGIN_ADDRESS_LIMIT=10)
def test_password_spraying_from_one_address_locks_the_address_for_every_name(english, cast):
    """Two passwords on each of ten user names, each under the per-name limit: the address
    is then locked for everyone, a real user with the right password included, while
    another address logs in as usual."""
    sprayer = "203.0.113.66"
    for number in range(10):
        for password in ("Sommar2026", "Malmo123"):
            log_in(english, f"anvandare{number}", password, REMOTE_ADDR=sprayer)
    refused = log_in(english, "elected", PASSWORD, REMOTE_ADDR=sprayer)
    assert refused.status_code == 429
    assert errors(refused) == [LOCKED]
    assert not logged_in(english)
    elsewhere = log_in(english, "elected", PASSWORD, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.headers["Location"] == reverse("home")


@override_settings(LOGIN_ADDRESS_LIMIT=10)
def test_a_few_names_mistyped_from_one_office_do_not_lock_it(client, cast):
    office = "192.0.2.10"
    for number in range(9):
        log_in(client, f"kollega{number}", "fel", REMOTE_ADDR=office)
    assert log_in(client, "elected", PASSWORD, REMOTE_ADDR=office).status_code == 302
