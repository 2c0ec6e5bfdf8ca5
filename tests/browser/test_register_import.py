"""Importing organisations from a file in the browser: upload, which column is what,
preview, confirm."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partners.models import Organisation
from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_import_organisations_after_a_preview(page, tmp_path):
    call_command("load_demo", quiet_logins=True)
    path = tmp_path / "organisationer.csv"
    path.write_bytes(
        "organisationsnummer;namn;ort\r\n802479-1454;Föreningen Ängen;Malmö\r\n".encode("cp1252")
    )
    log_in(page, "tjansteperson")
    page.get_by_role("link", name="Organisationer").click()
    page.get_by_role("link", name="Importera från fil").click()
    page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Ladda upp och förhandsgranska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vilken kolumn är vad?")
    # Each column's choice is a labelled select, pre-filled from the headers; by keyboard.
    expect(page.get_by_label("ort", exact=True)).to_have_value("city")
    page.get_by_label("ort", exact=True).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Visa förhandsgranskningen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 post skapas.")
    assert not Organisation.objects.filter(name="Föreningen Ängen").exists()
    page.get_by_role("button", name="Importera filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importerat")
    expect(page.get_by_role("status")).to_contain_text("1 skapade, 0 uppdaterade")
    assert Organisation.objects.get(name="Föreningen Ängen").city == "Malmö"
