"""Accessibility as the law asks of a municipality's service (WCAG 2.1 AA).

Lagen (2018:1937) om tillgänglighet till digital offentlig service points to EN 301 549,
which takes in WCAG 2.1 level AA. axe-core runs in Chromium on every kind of page each
role of the cast reaches, found by following links as tests/test_crawl.py does: every
list, detail page and form is checked once per role (a second organisation's page is the
same template with other words). The same pages are laid out at a phone's, a small
laptop's and two common desktop widths, in Swedish and English, and must never be wider
than the window. The menu, the user menu, the language switch and the filter panel are
then checked where they are hardest to reach.

axe-core comes from the npm registry: `make browser` installs the pinned version under
var/node.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import policy
from tests.test_crawl import followed, links_in, rich_cast  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(django_settings.BASE_DIR) / "var/node/node_modules/axe-core/axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One user of each role, and no one: the two other civil servants of the cast see the
# same pages as the first, with other data.
ROLES = ("staff", "elected", "representative", "auditor", "admin", "anonymous")
WIDTHS = (375, 992, 1280, 1366)
NOT_PAGES = ("/logout/",)
STATEMENT = "/tillganglighet/"


def kind_of(url):
    """/organisationer/12/ and /organisationer/13/ are one kind of page; so are a list's
    sortings and filters."""
    return re.sub(r"/\d+(?=/|$|\.)", "/N", urlsplit(url).path)


@pytest.fixture(scope="module")
def axe_source():
    assert AXE.exists(), "run `make browser` to install axe-core"
    return AXE.read_text()


@pytest.fixture
def open_page(browser, live_server, settings):
    """Opens pages as a user in a language (by the session and language cookies the
    site itself would set); every page must keep to the Content-Security-Policy."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    contexts, refused = [], []
    host = urlsplit(live_server.url).hostname

    def open_page(user=None, language="sv", width=1280):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        cookies = [(settings.LANGUAGE_COOKIE_NAME, language)]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append(
                (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
            )
        context.add_cookies(
            [{"name": name, "value": value, "domain": host, "path": "/"} for name, value in cookies]
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: refused.append(msg.text) if policy(msg) else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert refused == []


def axe_violations(page, source):
    """axe's WCAG 2.0/2.1 A and AA findings for the page as it stands.

    The pages' Content-Security-Policy allows no injected <script>, so add_script_tag is
    refused; page.evaluate runs the source through the DevTools protocol, which the
    policy does not govern, and so leaves the policy in force for the page itself (a
    context with bypass_csp would switch it off, and with it the check on every page
    that nothing inline is refused).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


def too_wide(page, widths=WIDTHS):
    """The widths at which the page is wider than the window (it scrolls sideways)."""
    wide = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide.append(width)
    return wide


def walk(page, start="/"):
    """Visit one page of each kind the user is shown a link to, from `start`, yielding
    each URL while its page is open."""
    seen = {kind_of(start)}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        page.set_viewport_size({"width": 1280, "height": 800})
        try:
            response = page.goto(url)
        except PlaywrightError:
            continue  # a download (.ics, .xlsx) rather than a page
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        yield url
        for link in links_in(page.url, page.content()):
            if followed(link, NOT_PAGES) and kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append(link)


@pytest.fixture(scope="module")
def laid_out_in_english():
    """Kinds of page already laid out in English in this run. Page bodies are the same
    templates for every role, so each kind is laid out in English once, by the first
    role to reach it; the menu, which differs by role, is checked for each role below."""
    return set()


@pytest.mark.parametrize("role", ROLES)
def test_every_kind_of_page_a_role_reaches_passes_axe_and_fits_the_window(
    open_page,
    rich_cast,  # noqa: F811 (the fixture imported above)
    role,
    axe_source,
    laid_out_in_english,
):
    user = rich_cast.user(role)
    page, english = open_page(user), None
    failures, visited = {}, []
    for url in walk(page):
        visited.append(url)
        problems = axe_violations(page, axe_source)
        if page.locator(f'footer a[href="{STATEMENT}"]').count() != 1:
            problems.append("no link to the accessibility statement in the footer")
        problems += [f"wider than {width} px" for width in too_wide(page)]
        if kind_of(url) not in laid_out_in_english:
            laid_out_in_english.add(kind_of(url))
            english = english or open_page(user, language="en")
            english.goto(url)
            assert english.locator("html").get_attribute("lang") == "en"
            problems += [f"in English wider than {width} px" for width in too_wide(english)]
        if problems:
            failures[url] = problems
    report = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in failures.items())
    assert len(visited) > (3 if role == "anonymous" else 15)
    assert failures == {}, f"{len(failures)} of {len(visited)} pages fail for {role}:\n{report}"


def in_window(page, locator):
    """Whether the element is shown, whole, within the window's width."""
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("role", ("staff", "elected", "representative", "auditor", "admin"))
def test_every_menu_entry_and_the_user_menu_are_within_reach_at_every_width(
    open_page,
    cast,
    role,
):
    """Folded behind the menu button below 1200 px, in a row (wrapping) above it: at no
    width is an entry or the user menu with "Log out" cut off."""
    for language, log_out in (("sv", "Logga ut"), ("en", "Log out")):
        page = open_page(cast.user(role), language=language)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto("/")
            toggler = page.locator(".navbar-toggler")
            assert toggler.is_visible() == (width < 1200)
            if toggler.is_visible():
                toggler.click()
                expect(toggler).to_have_attribute("aria-expanded", "true")
            entries = page.locator("#main-nav .nav-link:not(.dropdown-toggle)")
            assert entries.count() >= 9
            for entry in entries.all():
                entry.scroll_into_view_if_needed()
                assert in_window(page, entry), f"{entry.inner_text()} at {width} px ({language})"
            page.locator("#user-menu").click()
            button = page.get_by_role("button", name=log_out)
            expect(button).to_be_visible()
            assert in_window(page, button), f"{log_out} at {width} px"


def test_the_language_switch_in_the_header_is_reached_by_keyboard(open_page, cast):
    page = open_page(cast.staff)
    page.goto("/")
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "user-menu":
            break
    else:
        pytest.fail("the user menu is not reached with Tab")
    page.keyboard.press("Enter")
    for _press in range(6):
        page.keyboard.press("ArrowDown")
        if page.evaluate("document.activeElement.lang") == "en":
            break
    else:
        pytest.fail("the language switch is not in the user menu")
    assert page.evaluate("document.activeElement.closest('header') !== null")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#user-menu").click()
    expect(page.locator("header").get_by_role("button", name="På svenska")).to_be_visible()


def test_the_filter_panel_folds_on_a_phone_and_opens_from_its_button(open_page, cast):
    page = open_page(cast.staff, width=375)
    page.goto("/organisationer/")
    toggle = page.locator("button.filter-toggle")
    panel = page.locator("#filter-panel")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-controls", "filter-panel")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
    table_top = page.locator("main table").first.bounding_box()["y"]
    assert table_top < 800, "the list starts on the first screen"
    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Sök").fill("Brukar")
    panel.get_by_role("button", name="Filtrera").click()
    # Filtered, the panel is open at once, so what narrows the list is in sight.
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Sök")).to_have_value("Brukar")
    # On a wide screen there is no button: the panel is simply there.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/organisationer/")
    expect(toggle).to_be_hidden()
    expect(panel).to_be_visible()
