"""Each kind of calendar feed, and its 304, asks the database the same few times however
many meetings it holds (the issue's targets: at most 6 queries, and 4 for a 304). A 304
reads the feed's row and its holder's scope, never a meeting: 3 queries; the calendar
reads its meetings once more."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dialogues.models import CalendarFeed, Invitation, Meeting

pytestmark = pytest.mark.django_db

SUBJECTS = {
    # kind: (the cast's subject, the user who may hold its feed)
    "organisation": ("org", "representative"),
    "forum": ("asf_forum", "staff"),
    "body": ("asf", "staff"),
    "personal": (None, "staff"),
}


def add_meetings(cast, count):
    """`count` meetings in each path a feed can take: the ASF forum (the forum, body and
    personal feeds) with the organisation invited, and the ASN forum it is a member of."""
    now = timezone.now()
    for number in range(count):
        start = now + datetime.timedelta(days=number + 1)
        ours = Meeting.objects.create(forum=cast.asf_forum, title=f"Möte {number}", start=start)
        Invitation.objects.create(meeting=ours, organisation=cast.org)
        Meeting.objects.create(forum=cast.asn_forum, title=f"Temadag {number}", start=start)


def feed_queries(client, cast, kind):
    subject, holder = SUBJECTS[kind]
    target = {} if subject is None else {kind: getattr(cast, subject)}
    feed = CalendarFeed.objects.create(kind=kind, owner=getattr(cast, holder), **target)
    url = reverse("calendar_feed", args=[feed.token])
    with CaptureQueriesContext(connection) as full:
        response = client.get(url)
    with CaptureQueriesContext(connection) as unchanged:
        again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert (response.status_code, again.status_code) == (200, 304)
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return asked(full), asked(unchanged), len(events)


def asked(queries):
    """The queries, not the savepoints a test's transaction turns the request's into (on
    PostgreSQL, where each request is one transaction)."""
    return sum(1 for q in queries if "SAVEPOINT" not in q["sql"].split(" ", 2)[:2])


@pytest.mark.parametrize("kind", SUBJECTS)
def test_a_feed_asks_the_same_few_queries_at_any_size(client, cast, kind):
    add_meetings(cast, 2)
    small = feed_queries(client, cast, kind)
    add_meetings(cast, 40)
    large = feed_queries(client, cast, kind)
    assert large[2] > small[2] >= 2  # the feed did grow
    assert large[:2] == small[:2]
    full, not_modified, _ = large
    assert full <= 4, f"{kind} feed: {full} queries"
    assert not_modified <= 3, f"{kind} feed, 304: {not_modified} queries"


def test_the_organisation_feed_holds_its_forums_and_its_invitations_only(client, cast):
    add_meetings(cast, 3)
    elsewhere = Meeting.objects.create(
        forum=cast.frf_forum, title="Fritid", start=timezone.now() + datetime.timedelta(days=2)
    )
    feed = CalendarFeed.objects.create(
        kind="organisation", owner=cast.representative, organisation=cast.org
    )
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert {"Möte 0", "Möte 2", "Temadag 0", "Temadag 2"} <= summaries
    assert elsewhere.title not in summaries
