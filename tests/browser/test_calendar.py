import pytest
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_representative_makes_copies_and_uses_a_feed_link(page):
    call_command("load_demo", quiet_logins=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "foretradare")
    page.get_by_role("link", name="Kalender", exact=True).click()
    panel = page.locator("section", has_text="Möten: Röda Korset Malmö krets")
    panel.get_by_role("button", name="Skapa prenumerationslänk").click()
    expect(page.get_by_role("status")).to_contain_text("Kalenderlänken är skapad")
    panel = page.locator("section", has_text="Möten: Röda Korset Malmö krets")
    https = panel.get_by_label("Länk (https)").input_value()
    webcal = panel.get_by_label("Länk (webcal)", exact=False).input_value()
    assert webcal == "webcal://" + https.split("://", 1)[1]
    panel.get_by_role("button", name="Kopiera").first.click()
    expect(panel.get_by_role("button", name="Kopierad")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == https

    feed = page.request.get(https)
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(feed.body())
    assert str(parsed["x-wr-calname"]) == "Röda Korset Malmö krets – möten"
    assert parsed.walk("VEVENT")

    panel.get_by_role("button", name="Återkalla länken").click()
    assert page.request.get(https).status == 404


def test_staff_download_a_meeting_for_their_calendar(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson")
    page.get_by_role("link", name="Möten").first.click()
    page.locator("table tbody a").first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Lägg till i kalender").click()
    path = download.value.path()
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) in title
