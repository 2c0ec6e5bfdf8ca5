"""The auditor asks for a workbook large enough to go to the background, watches it being
prepared by a real worker (manage.py db_worker), downloads it, and nobody else can."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from openpyxl import load_workbook
from playwright.sync_api import expect

from grants.models import Grant
from municipality.models import Export
from tests.browser.test_login_and_navigation import log_in
from tests.grants.test_workbook import table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def run_worker():
    """A real worker in its own process, on this test's database, that does what is
    queued and stops: `manage.py db_worker --batch`."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        )
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_auditor_watches_a_background_workbook_and_takes_it_alone(page, browser, settings):
    settings.EXPORT_DIRECT_MAX_GRANTS = 1
    call_command("load_demo", quiet_logins=True)
    log_in(page, "revisor")
    page.get_by_role("link", name="Bidrag").first.click()
    page.get_by_label("Startvärde för stickprovet").fill("11")
    page.get_by_role("button", name="Ladda ner arbetsboken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisorns arbetsbok över bidrag")
    expect(page.get_by_role("status")).to_have_text("Väntar på sin tur.")
    expect(page.locator("progress")).to_be_visible()
    export_url = page.url
    run_worker()
    # The page follows by itself: no reload by hand.
    expect(page.get_by_role("status")).to_have_text("Klart att ladda ner.", timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner bidrag-").click()
    assert download.value.suggested_filename.endswith("-startvarde-11.xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    decisions = table(book["Beslut"])
    grants = Grant.objects.filter(scheme__committee__municipality__name="Malmö stad")
    assert len(decisions) == grants.count() > 1
    granted = sum(row["Beviljat belopp"] or 0 for row in decisions)
    assert granted == grants.aggregate(total=Sum("granted_amount"))["total"]
    page.get_by_role("button", name="Revisor").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina uttag").click()
    expect(page.get_by_role("cell", name="klart")).to_be_visible()

    export = Export.objects.get()
    other = browser.new_context(locale="sv-SE", base_url=page.url.split("/uttag")[0])
    stranger = other.new_page()
    log_in(stranger, "tjansteperson")
    assert stranger.goto(export_url).status == 404
    assert stranger.goto(f"{export_url}fil/").status == 404
    assert export.user.username == "revisor"
    other.close()
