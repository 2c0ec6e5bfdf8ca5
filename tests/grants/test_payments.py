"""Money writes: serialised under a lock on the grant, recorded once per form, and never
deleted: a wrong payment is taken back by a reversing entry with its reason."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from grants.models import Grant, Payment
from tests.grants.test_grants import post_payment


def paid(grant):
    return Grant.objects.with_figures().get(pk=grant.pk).paid_total


def test_a_double_click_records_one_payment(client, cast, book):
    token = str(uuid.uuid4())
    first = post_payment(client, cast, book.paid, amount="1", excess_reason="Index", token=token)
    second = post_payment(client, cast, book.paid, amount="1", excess_reason="Index", token=token)
    assert first.status_code == second.status_code == 302
    assert book.paid.payments.count() == 2  # the fixture's one and this one
    assert paid(book.paid) == 300_001


def test_a_payment_is_reversed_with_a_reason_never_deleted(client, cast, book):
    payment = book.paid.payments.get()
    url = reverse("payment_reverse", args=[payment.pk])
    client.force_login(cast.staff)
    response = client.post(url, {"paid_on": "2026-04-01", "reason": ""})
    assert response.status_code == 200
    assert Payment.objects.filter(reverses=payment).count() == 0
    response = client.post(url, {"paid_on": "2026-04-01", "reason": "Fel organisation"})
    assert response.status_code == 302
    reversal = Payment.objects.get(reverses=payment)
    assert (reversal.amount, reversal.reversal_reason, reversal.created_by) == (
        300_000,
        "Fel organisation",
        cast.staff,
    )
    assert paid(book.paid) == 0
    assert Payment.objects.filter(pk=payment.pk).exists()
    client.post(url, {"paid_on": "2026-04-02", "reason": "Igen"})
    assert Payment.objects.filter(reverses=payment).count() == 1
    page = client.get(book.paid.get_absolute_url()).content.decode()
    assert "Fel organisation" in page and "−300" in page


def test_only_the_grants_keepers_reverse(client, cast, book):
    payment = book.paid.payments.get()
    for person in ("elected", "auditor", "other_staff", "representative"):
        client.force_login(cast.user(person))
        response = client.post(
            reverse("payment_reverse", args=[payment.pk]), {"paid_on": "2026-04-01", "reason": "x"}
        )
        assert response.status_code in (403, 404)
    assert not Payment.objects.filter(reverses=payment).exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_paying_at_once_are_checked_one_after_the_other(cast_committed):
    """Two sessions, two database connections, the same payment at the same moment: the
    second sees the first inside the lock and is asked for a reason."""
    cast, grant = cast_committed
    barrier = threading.Barrier(2, timeout=20)
    results = []

    def pay():
        try:
            session = Client()
            session.force_login(cast.staff)
            barrier.wait()
            response = session.post(
                reverse("payment_create", args=[grant.pk]),
                {
                    "paid_on": "2026-03-01",
                    "amount": str(grant.granted_amount),
                    "reference": "Samtidig",
                    "token": str(uuid.uuid4()),
                },
            )
            results.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 302]
    assert grant.payments.count() == 1
    assert connection.vendor in ("postgresql", "sqlite")


def test_the_workbook_shows_a_reversal_as_money_back(client, cast, book):
    from tests.grants.test_workbook import build, table

    payment = book.paid.payments.get()
    client.force_login(cast.staff)
    client.post(
        reverse("payment_reverse", args=[payment.pk]),
        {"paid_on": "2026-04-01", "reason": "Fel organisation"},
    )
    sheets = build(cast)
    rows = [r for r in table(sheets["Utbetalningar"]) if r["Bidrags-id"] == book.paid.pk]
    assert sorted(r["Belopp"] for r in rows) == [-300_000, 300_000]
    reversal = next(r for r in rows if r["Belopp"] < 0)
    assert reversal["Skäl till återföringen"] == "Fel organisation"
    decisions = {r["Bidrags-id"]: r for r in table(sheets["Beslut"])}
    assert decisions[book.paid.pk]["Utbetalt"] == 0
