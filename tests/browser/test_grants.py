import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_filters_grants_and_downloads_the_workbook(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "revisor")
    page.get_by_role("link", name="Bidrag").first.click()
    page.get_by_label("År").fill("2025")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_test_id("total-granted")).to_have_text("1 500 000 kr")
    page.get_by_label("Startvärde för stickprovet").fill("2026")
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner arbetsboken").click()
    assert download.value.suggested_filename.endswith("-startvarde-2026.xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    years = {row[5] for row in book["Beslut"].iter_rows(min_row=2, values_only=True)}
    assert years == {2025}


def test_a_new_bankgiro_is_checked_then_confirmed_by_a_second_person(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson")
    page.get_by_role("link", name="Organisationer").first.click()
    page.get_by_role("link", name="Röda Korset Malmö krets").click()
    page.locator("#grants-heading ~ p").get_by_role("link", name="Ändra").click()
    page.get_by_label("Kontonummer").fill("5050-1056")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ingenting sparades")
    expect(page.locator("#id_number_error")).to_contain_text("Kontrollsiffran stämmer inte")
    page.get_by_label("Kontonummer").fill("5050-1055")
    page.get_by_label("Firmatecknare").fill("Eva Ek, ordförande")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("nytt konto väntar på bekräftelse")).to_be_visible()
    organisation_page = page.url
    page.context.clear_cookies()
    log_in(page, "admin")
    page.goto(organisation_page)
    page.get_by_role("link", name="Visa ändringen som väntar").click()
    page.get_by_role("button", name="Bekräfta det nya kontot").click()
    expect(page.get_by_text("Det nya betalkontot är bekräftat")).to_be_visible()
    expect(page.locator("#grants-heading ~ p")).to_contain_text("5050-1055")
