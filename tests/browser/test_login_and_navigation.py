import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from devdata.demo.municipality import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERYONE = [
    "Start",
    "Möten",
    "Forum",
    "Frågor",
    "Organisationer",
    "IOP-avtal",
    "Bidrag",
    "Nämnder",
]
MENUS = {
    "tjansteperson": ("Tjänsteperson", [*EVERYONE, "Dialogstrukturer", "Kalender"]),
    "fortroendevald": ("Förtroendevald", [*EVERYONE, "Dialogstrukturer", "Kalender"]),
    "foretradare": ("Organisationsföreträdare", [*EVERYONE, "Kalender"]),
    "revisor": ("Revisor", [*EVERYONE, "Dialogstrukturer", "Kalender"]),
    "admin": (
        "Administratör",
        [*EVERYONE, "Dialogstrukturer", "Kalender", "Användare och roller", "Administration"],
    ),
}


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_each_demo_role_logs_in_and_sees_its_menu_in_swedish(page):
    call_command("load_demo", quiet_logins=True)
    for username, (role, menu) in MENUS.items():
        log_in(page, username)
        assert page.locator("html").get_attribute("lang") == "sv"
        assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
        navigation = page.get_by_role("navigation", name="Huvudmeny")
        links = navigation.locator(".navbar-nav.me-auto .nav-link").all_inner_texts()
        assert links == menu
        assert page.get_by_test_id("role").inner_text() == role
        page.get_by_role("button", name=role).click()
        page.get_by_role("button", name="Logga ut").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Logga in"


def test_wrong_password_gets_a_swedish_message(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson", "fel-lösenord")
    alert = page.locator(".alert-danger, .invalid-feedback, .alert-block").first
    assert "Ange ett korrekt användarnamn och lösenord" in alert.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in"


def test_english_can_be_chosen_and_is_kept(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "tjansteperson")
    page.get_by_role("button", name="In English").click()  # in the footer
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Elin"
    page.get_by_role("link", name="Committees", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Committees and administrations"


def test_administrator_reaches_the_admin_in_swedish(page):
    call_command("load_demo", quiet_logins=True)
    log_in(page, "admin")
    page.get_by_role("link", name="Administration", exact=True).click()
    expect(page.get_by_role("link", name="Samverkansregistret – administration")).to_be_visible()
    expect(page.get_by_role("link", name="Nämnder och förvaltningar").first).to_be_visible()
