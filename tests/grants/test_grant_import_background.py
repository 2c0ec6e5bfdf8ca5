"""A large grant file is checked and imported by the background worker, as a small one
is at once: the same preview, one grant with its payment, written once."""

import pytest
from django.core.management import call_command

from grants.models import Grant, Payment
from municipality.models import RegisterImport
from tests.grants.test_grant_import import csv_file, row
from tests.import_steps import upload_and_map

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_grant_file_is_checked_and_imported_in_the_background(client, cast, book, settings):
    settings.IMPORT_DIRECT_MAX_BYTES = 10
    before = Grant.objects.count(), Payment.objects.count()
    client.force_login(cast.staff)
    data = csv_file([row(), row(**{"år": "2025", "beslutsreferens": "ASN § 13"})])
    url = upload_and_map(client, "grants", data, name="bidrag.csv")["Location"]
    page = client.get(url)
    assert "Filen kontrolleras rad för rad." in page.content.decode()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page = client.get(url)
    assert page.context["counts"] == {"create": 4, "update": 0, "unchanged": 0, "problems": 0}
    assert "4 poster skapas." in page.content.decode()
    record = page.context["record"]
    client.post(url, {"digest": record.digest, "plan": page.context["plan"]["fingerprint"]})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert RegisterImport.objects.get().state == RegisterImport.State.IMPORTED
    assert (Grant.objects.count(), Payment.objects.count()) == (before[0] + 2, before[1] + 2)
    done = client.get(url).content.decode()
    assert "bidrag.csv importerades" in done and "4 skapade" in done
