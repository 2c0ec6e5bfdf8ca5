"""Change history read in SQL: the auditor's workbook and the history pages ask the
database the same few times however long the history is, and the workbook's period is
chosen in the database, each object's first change in it told against the record before."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grants import workbook
from grants.models import Grant, GrantReport, Payment
from partners.models import ContactPerson, FollowUp
from tests.grants.conftest import grant, pay
from tests.grants.test_workbook import malmo_grants, table

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def more_history(cast, book, count):
    """`count` grants of both organisations, each paid and reported back, and changed."""
    for number in range(count):
        organisation = cast.org if number % 2 else cast.other_org
        made = grant(organisation, book.scheme, 2010 + number, 10_000 + number, 9_000)
        payment = pay(made, 9_000, D(2026, 1, 10))
        payment.account_number = "123-4566"
        payment.save()
        GrantReport.objects.create(grant=made, due_on=D(2026, 12, 31))
        made.purpose = f"Ändrat syfte {number}"
        made.save()


def workbook_queries(cast):
    with CaptureQueriesContext(connection) as queries:
        data = workbook.as_bytes(malmo_grants(cast), user=cast.auditor, sample_size=2, seed=1)
    return len(queries), load_workbook(io.BytesIO(data))


def test_the_workbook_asks_the_same_few_queries_however_long_the_history(cast, book):
    more_history(cast, book, 2)
    small, small_book = workbook_queries(cast)
    more_history(cast, book, 25)
    large, large_book = workbook_queries(cast)
    assert len(table(large_book["Ändringshistorik"])) > len(table(small_book["Ändringshistorik"]))
    assert large == small
    assert large <= 40, f"{large} queries"


def test_the_period_is_chosen_in_the_database_and_told_against_the_change_before(cast, book):
    old = Grant(
        organisation=cast.org,
        scheme=book.scheme,
        year=2019,
        applied_amount=50_000,
        purpose="Före perioden",
    )
    old._history_date = at(D(2019, 3, 1))
    old.save()
    old.purpose = "Också före perioden"
    old._history_date = at(D(2019, 6, 1))
    old.save()
    old.purpose = "I perioden"
    old._history_date = at(D(2026, 5, 1))
    old.save()
    old.purpose = "Efter perioden"
    old._history_date = at(D(2027, 2, 1))
    old.save()
    sheet = workbook.as_bytes(
        malmo_grants(cast),
        user=cast.auditor,
        changes_from=D(2026, 1, 1),
        changes_to=D(2026, 12, 31),
    )
    rows = table(load_workbook(io.BytesIO(sheet))["Ändringshistorik"])
    about_old = [r for r in rows if r["Avser"] == str(old)]
    assert [(r["Händelse"], r["Fält"], r["Före"], r["Efter"]) for r in about_old] == [
        ("ändrad", "syfte", "Också före perioden", "I perioden")
    ]


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_grant_page_asks_the_same_queries_however_long_its_history(client, cast, book):
    client.force_login(cast.auditor)
    url = reverse("grant_detail", args=[book.paid.pk])
    page_queries(client, url)  # warm: the session, the scope
    small = page_queries(client, url)
    for number in range(15):
        payment = pay(book.paid, 100 + number, D(2026, 4, 1))
        payment.account_number = "123-4566"
        payment.save()
        book.paid.purpose = f"Syfte {number}"
        book.paid.save()
    assert page_queries(client, url) == small


def test_the_organisation_and_agreement_pages_too(client, cast, book):
    client.force_login(cast.auditor)
    organisation = reverse("organisation_detail", args=[cast.org.pk])
    agreement = reverse("partnership_detail", args=[cast.partnership.pk])
    page_queries(client, organisation)
    small = page_queries(client, organisation), page_queries(client, agreement)
    for number in range(15):
        contact = ContactPerson.objects.create(
            organisation=cast.org, name=f"Person {number}", legal_basis="public_interest"
        )
        contact.role = "kassör"
        contact.save()
        cast.org.phone = f"040-{number:06d}"
        cast.org.save()
        cast.partnership.purpose = f"Syfte {number}"
        cast.partnership.save()
    FollowUp.objects.create(
        partnership=cast.partnership, date=D(2026, 2, 1), year=2025, assessment="good"
    )
    FollowUp.objects.filter(partnership=cast.partnership).update(summary="x")
    assert (page_queries(client, organisation), page_queries(client, agreement)) == small
    assert Payment.objects.exists()
