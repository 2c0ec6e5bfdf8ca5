"""In Chromium: pages work under the strict Content-Security-Policy, and a locked-out login
says so and is unlocked from the admin."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from devdata.demo.municipality import DEMO_PASSWORD
from tests.browser.test_login_and_navigation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED = (
    "Too many failed attempts to log in. Try again in 30 minutes, "
    "or ask an administrator to unlock your login."
)


def test_the_watch_on_the_policy_sees_a_refused_inline_script(page, refused):
    page.goto("/konto/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === undefined") is True
    assert [text for text in refused if "script-src" in text] != []
    refused.clear()  # seen; the fixture would fail the test otherwise


def test_print_button_works_without_inline_javascript(page):
    call_command("load_demo", quiet_logins=True)
    page.add_init_script("window.print = () => { window.printed = true; }")
    log_in(page, "tjansteperson")
    page.goto("/bidrag/delegationsbeslut/")
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.printed") is True


def test_locked_out_login_says_so_and_an_administrator_unlocks_it(page):
    call_command("load_demo", quiet_logins=True)
    page.goto("/")
    page.get_by_role("button", name="In English").click()
    for _ in range(5):
        page.get_by_label("Username").fill("tjansteperson")
        page.get_by_label("Password").fill("fel-lösenord")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(LOCKED)).to_be_visible()
    page.get_by_label("Password").fill(DEMO_PASSWORD)  # the right one, refused all the same
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(LOCKED)).to_be_visible()

    # Another user at the same address logs in; the administrator deletes the lockout.
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/axes/accessattempt/")
    expect(page.locator("#result_list tbody tr")).to_contain_text("tjansteperson")
    page.locator("#result_list tbody th a").click()
    page.get_by_role("link", name="Delete").click()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    page.context.clear_cookies()

    page.goto("/")
    page.get_by_label("Användarnamn").fill("tjansteperson")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
