import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_an_organisation_and_find_it_by_number(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson")
    page.get_by_role("link", name="Organisationer").click()
    page.get_by_role("link", name="Ny organisation").click()
    page.get_by_label("Namn").fill("Föreningen Husrum")
    page.get_by_label("Organisationsnummer").fill("8020066596")
    page.get_by_label("Associationsform").select_option(label="ekonomisk förening")
    page.get_by_label("hemlöshet").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Föreningen Husrum")
    expect(page.locator(".alert-warning").first).to_contain_text("Kontrollera associationsformen")
    expect(page.locator("dd", has_text="802006-6596")).to_be_visible()
    page.get_by_role("link", name="Organisationer").first.click()
    page.get_by_label("Sök").fill("802006-6596")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Föreningen Husrum")


def test_bad_organisation_number_is_explained_in_swedish(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson")
    page.goto("/organisationer/ny/")
    page.get_by_label("Namn").fill("Fel nummer")
    page.get_by_label("Organisationsnummer").fill("802006-6597")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ingenting sparades")
    expect(page.locator("#id_org_number_error")).to_contain_text("kontrollsiffra")


def test_representative_sees_only_their_own_organisation(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "foretradare")
    page.get_by_role("link", name="Organisationer").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Röda Korset Malmö krets")
    page.get_by_role("link", name="IOP-avtal").click()
    expect(page.locator("table tbody")).to_contain_text("IOP Värmestugor")
    expect(page.locator("table tbody")).not_to_contain_text("IOP Crossroads")
