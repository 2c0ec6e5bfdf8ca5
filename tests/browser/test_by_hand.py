"""The keyboard hands fail a page where a keyboard user would be stuck or lost."""

import pytest
from playwright.sync_api import expect

from tests.browser.by_hand import Keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_page(page):
    page.goto("/")
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    return page.get_by_role("button", name="Logga in")


def style(button, **properties):
    """Inline styles, which outrank the style sheets (the CSP allows styles set so)."""
    for name, value in properties.items():
        button.evaluate(f"el => el.style.setProperty('{name}', '{value}', 'important')")


def test_the_login_button_is_reached_and_shows_its_focus(page):
    button = login_page(page)
    Keyboard(page).reach(button)
    expect(button).to_be_focused()


def test_a_focus_nobody_can_see_fails(page):
    button = login_page(page)
    style(button, outline="none", **{"box-shadow": "none"})
    with pytest.raises(AssertionError, match="no visible focus"):
        Keyboard(page).reach(button)


def test_a_faint_focus_ring_fails(page):
    button = login_page(page)
    style(button, outline="2px solid #dddddd", **{"box-shadow": "none"})
    with pytest.raises(AssertionError, match=r"focus at 1\.\d:1"):
        Keyboard(page).reach(button)


def test_a_page_without_its_skip_link_fails(page):
    button = login_page(page)
    page.evaluate("document.activeElement.blur(); document.querySelector('.skip-link').remove()")
    with pytest.raises(AssertionError, match="first Tab stop is not the skip link"):
        Keyboard(page).reach(button)


def test_a_control_out_of_the_tab_order_is_not_reached(page):
    button = login_page(page)
    button.evaluate("el => el.setAttribute('tabindex', '-1')")
    with pytest.raises(AssertionError, match=r"focus left the page|did not reach"):
        Keyboard(page).reach(button)
