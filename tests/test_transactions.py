"""Requests and transactions: a write lands whole or not at all, and readers never wait
for a writer (on SQLite, where every transaction takes the write lock, GET and HEAD run
without one)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from partners.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def half_a_write(request):
    """Writes one row, then fails: the row must not stay."""
    Organisation.objects.filter(name="Halvskrivet").delete()
    org = Organisation.objects.get(name="Röda Korset Malmö krets")
    org.name = "Halvskrivet"
    org.save()
    raise RuntimeError("the second row failed")


def read_in_a_get(request):
    return HttpResponse(str(connection.in_atomic_block))


urlpatterns = [
    path("halvt/", half_a_write),
    path("las/", read_in_a_get),
]


class Writer(threading.Thread):
    """Another connection holding a write transaction until told to let go."""

    def __init__(self, hold):
        super().__init__(daemon=True)
        self.hold, self.began, self.release = hold, threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                Organisation.objects.filter(name=self.hold).update(phone="040-123 45")
                self.began.set()
                self.release.wait(10)
        finally:
            connection.close()


def held_by_another(cast):
    writer = Writer(cast.other_org.name)
    writer.start()
    assert writer.began.wait(10)
    return writer


def test_a_list_page_answers_at_once_while_another_connection_writes(cast):
    client = Client()
    client.force_login(cast.staff)
    writer = held_by_another(cast)
    try:
        began = time.monotonic()
        response = client.get(reverse("organisation_list"))
        waited = time.monotonic() - began
    finally:
        writer.release.set()
        writer.join()
    assert response.status_code == 200
    assert cast.org.name in response.content.decode()
    assert waited < 5, f"the reader waited {waited:.1f} s for the writer"


def test_a_save_waits_for_the_other_writer_and_then_lands(cast):
    client = Client()
    client.force_login(cast.staff)
    form = client.get(reverse("organisation_update", args=[cast.org.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["phone"] = "040-99 88 77"
    writer = held_by_another(cast)
    threading.Timer(0.5, writer.release.set).start()
    response = client.post(reverse("organisation_update", args=[cast.org.pk]), data)
    writer.join()
    assert response.status_code == 302
    assert Organisation.objects.get(pk=cast.org.pk).phone == "040-99 88 77"
    assert Organisation.objects.get(pk=cast.other_org.pk).phone == "040-123 45"


@pytest.mark.urls(__name__)
def test_a_failed_post_leaves_nothing_behind(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.staff)
    response = client.post("/halvt/")
    assert response.status_code == 500
    assert not Organisation.objects.filter(name="Halvskrivet").exists()
    assert Organisation.objects.filter(pk=cast.org.pk, name=cast.org.name).exists()


@pytest.mark.urls(__name__)
def test_a_get_holds_no_transaction_on_sqlite_and_one_on_postgresql(cast):
    client = Client()
    client.force_login(cast.staff)
    in_transaction = client.get("/las/").content.decode()
    assert in_transaction == str(connection.vendor == "postgresql")
    assert client.post("/las/").content.decode() == "True"
