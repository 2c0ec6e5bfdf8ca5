"""No doubled imports: two people confirm the same file at the same moment, each from
their own preview, through two sessions and two database connections. The register gets
the file's rows once; the second confirmation is told the register changed and writes
nothing. (On PostgreSQL, without the import's lock, both planned against the register
without the other's rows and both wrote: ten grants from a five-row file.)
"""

import pytest
from django.test import Client

from grants.models import Grant, GrantScheme, Payment, PaymentAccount
from municipality.models import Membership, RegisterImport, Role, User
from partners.models import Organisation
from tests.at_once import post_at_once
from tests.cast import build_cast
from tests.grants.test_grant_import import HEADER as GRANT_HEADER
from tests.grants.test_grant_import import csv_file as grant_csv
from tests.grants.test_grant_import import row as grant_row
from tests.import_steps import upload_and_map
from tests.partners.test_register_import import csv_file

TRIES = 3


def colleague(cast):
    """A second tjänsteperson at the same förvaltning as cast.staff."""
    user = User.objects.create_user(
        username="colleague", email="colleague@example.se", role=Role.CIVIL_SERVANT,
        municipality=cast.malmo,
    )  # fmt: skip
    Membership.objects.create(user=user, body=cast.staff.memberships.get().body)
    return user


def previewed(user, kind, data):
    """A session of `user` that has uploaded and mapped the file, and what its preview's
    confirm button posts."""
    session = Client()
    session.force_login(user)
    url = upload_and_map(session, kind, data)["Location"]
    page = session.get(url)
    assert page.context["plan"].may_import, page.context["plan"].problems
    posted = {"digest": page.context["record"].digest, "plan": page.context["plan"].fingerprint()}
    return session, url, posted


def confirm_at_once(previews):
    """Both confirmations posted at one moment; the page each was shown then (its
    content: the test client's context is not kept apart between threads)."""
    responses = post_at_once([(session, url, posted, True) for session, url, posted in previews])
    return [response.content.decode() for response in responses]


def refusals(told):
    return sum("Inget importerades" in page for page in told)


@pytest.mark.django_db(transaction=True)
def test_a_grant_file_confirmed_twice_at_once_is_written_once():
    cast = build_cast()
    other = colleague(cast)
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    PaymentAccount.objects.create(organisation=cast.org, kind="bankgiro", number="505-0109")
    for attempt in range(TRIES):
        years = [2010 + attempt * 5 + n for n in range(5)]
        rows = [
            grant_row(år=str(year), beslutsreferens=f"§ {year}",
                      **{"sökt belopp": "5 000", "beviljat belopp": "5 000",
                         "utbetalt belopp": "5 000"})
            for year in years
        ]  # fmt: skip
        data = grant_csv(rows, header=GRANT_HEADER)
        told = confirm_at_once(
            [previewed(cast.staff, "grants", data), previewed(other, "grants", data)]
        )
        grants = Grant.objects.filter(scheme=scheme, year__in=years)
        assert grants.count() == 5, f"try {attempt}: {grants.count()} grants"
        assert Payment.objects.filter(grant__in=grants).count() == 5
        assert refusals(told) == 1
        imported = RegisterImport.objects.filter(kind="grants", imported_at__isnull=False)
        assert imported.count() == attempt + 1


@pytest.mark.django_db(transaction=True)
def test_organisations_without_a_number_confirmed_twice_at_once_are_created_once():
    cast = build_cast()
    other = colleague(cast)
    for attempt in range(TRIES):
        names = [f"Nätverket Grannar {attempt}-{n}" for n in range(30)]
        data = csv_file(["organisationsnummer", "namn", "ort"], [["", n, "Malmö"] for n in names])
        told = confirm_at_once(
            [previewed(cast.staff, "organisations", data), previewed(other, "organisations", data)]
        )
        created = Organisation.objects.filter(name__in=names)
        assert created.count() == 30, f"try {attempt}: {created.count()} organisations"
        assert refusals(told) == 1
        imported = RegisterImport.objects.filter(kind="organisations", imported_at__isnull=False)
        assert imported.count() == attempt + 1
