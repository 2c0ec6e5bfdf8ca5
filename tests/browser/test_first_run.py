"""Going live in a real browser: from an empty installation to an invited user's first
login, as Driftsättning steg för steg in docs/operations.md describes it."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from municipality.models import Body, Municipality, Role, User
from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Första-administratören-2026"
NEW_PASSWORD = "Ett-eget-lösenord-för-Anna-7"


def save(page):
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_from_an_empty_installation_to_an_invited_users_first_login(
    page, browser, live_server, monkeypatch, mailoutbox
):
    assert not User.objects.exists() and not Municipality.objects.exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    call_command("createsuperuser", interactive=False, username="it", email="it@kalmar.se")

    log_in(page, "it", ADMIN_PASSWORD)
    steps = page.get_by_role("region", name="Kom igång")
    expect(steps).to_be_visible()

    steps.get_by_role("link", name="Lägg till kommunen").click()
    page.locator("#id_name").fill("Kalmar kommun")
    page.locator("#id_code").fill("0880")
    save(page)

    page.goto("/")
    expect(steps.get_by_role("link", name="Lägg till kommunen")).to_have_count(0)
    steps.get_by_role("link", name="Lägg till dess nämnder och förvaltningar").click()
    for name, short, kind in [
        ("Socialnämnden", "SN", "committee"),
        ("Socialförvaltningen", "SOC", "administration"),
    ]:
        page.goto("/admin/municipality/body/add/")
        page.locator("#id_municipality").select_option(label="Kalmar kommun")
        page.locator("#id_name").fill(name)
        page.locator("#id_short_name").fill(short)
        page.locator("#id_kind").select_option(kind)
        save(page)
    assert Body.objects.count() == 2

    page.goto("/")
    steps.get_by_role("link", name="Bjud in de första användarna").click()
    page.locator("#id_username").fill("anna.ek")
    page.locator("#id_first_name").fill("Anna")
    page.locator("#id_last_name").fill("Ek")
    page.locator("#id_email").fill("anna.ek@kalmar.se")
    page.locator("#id_role").select_option(Role.CIVIL_SERVANT.value)
    page.locator("#id_municipality").select_option(label="Kalmar kommun")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("inbjudan")
    [invitation] = mail.outbox
    assert invitation.to == ["Anna Ek <anna.ek@kalmar.se>"]
    path = re.search(r"https?://[^/\s]+(/konto/inbjudan/\S+/)", invitation.body).group(1)

    page.goto("/")
    expect(page.get_by_role("region", name="Kom igång")).to_have_count(0)

    newcomer = browser.new_context(locale="sv-SE", base_url=live_server.url).new_page()
    newcomer.goto(path)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Välj ditt lösenord")
    newcomer.locator("#id_new_password1").fill(NEW_PASSWORD)
    newcomer.locator("#id_new_password2").fill(NEW_PASSWORD)
    newcomer.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")
    assert User.objects.get(username="anna.ek").check_password(NEW_PASSWORD)
    newcomer.context.close()
