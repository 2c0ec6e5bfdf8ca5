"""No lost updates at the same instant: two people save the same record from forms shown
before either change, through two sessions and two database connections at once. Exactly
one save lands; the other is told so and changes nothing. (The edit guard's check and the
save hold the row: on PostgreSQL, without the lock, both passed the check nearly always.)
"""

import pytest
from django.test import Client
from django.urls import reverse

from grants.models import Grant, GrantScheme
from partners.models import Organisation, Partnership
from tests.at_once import post_at_once
from tests.cast import build_cast
from tests.test_edit_guard import shown

TRIES = 4


def save_at_once(user, url, changes):
    """Both forms are shown first, then posted at one moment; the status codes."""
    sessions = []
    for change in changes:
        session = Client()
        session.force_login(user)
        sessions.append((session, {**shown(session, url), **change}))
    responses = post_at_once([(session, url, data, False) for session, data in sessions])
    return sorted(response.status_code for response in responses)


def records(cast):
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    grant = Grant.objects.create(
        organisation=cast.org,
        scheme=scheme,
        year=2026,
        purpose="Värmestuga",
        applied_amount=100_000,
    )
    return {
        "organisation": ("organisation_update", cast.org.pk, Organisation, "phone"),
        "partnership": ("partnership_update", cast.partnership.pk, Partnership, "title"),
        "grant": ("grant_update", grant.pk, Grant, "purpose"),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["organisation", "partnership", "grant"])
def test_two_saves_at_the_same_instant_land_one_and_refuse_the_other(kind):
    cast = build_cast()
    url_name, pk, model, field = records(cast)[kind]
    url = reverse(url_name, args=[pk])
    for attempt in range(TRIES):
        first, second = f"040-11 11 1{attempt}", f"040-22 22 2{attempt}"
        if field != "phone":
            first, second = f"Först {attempt}", f"Sedan {attempt}"
        before = model.objects.get(pk=pk).history.count()
        results = save_at_once(cast.staff, url, [{field: first}, {field: second}])
        assert results == [200, 302], f"try {attempt}: {results}"
        stored = model.objects.get(pk=pk)
        assert getattr(stored, field) in (first, second)
        assert stored.history.count() == before + 1
