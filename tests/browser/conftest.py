"""End-to-end tests in Debian's headless Chromium, driven by Playwright."""

import os

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test body are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def refused():
    """What the browser refused under the Content-Security-Policy, or could not make of
    the Permissions-Policy: any of it fails the test, as every page keeps to its headers."""
    return []


@pytest.fixture
def page(browser, live_server, settings, refused):
    # The live server finds static files by their source names, as runserver does, so
    # pages reference them unhashed here (production's manifest is tested elsewhere).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    page = context.new_page()
    page.on("console", lambda message: refused.append(message.text) if policy(message) else None)
    yield page
    context.close()
    assert refused == []


def policy(message):
    return "Content Security Policy" in message.text or "Permissions-Policy" in message.text
