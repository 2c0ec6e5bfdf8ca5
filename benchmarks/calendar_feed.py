"""Benchmark: a calendar feed of 5,000 meetings against plain icalendar serialisation.

Run: .venv/bin/python benchmarks/calendar_feed.py [--meetings 5000] [--repeat 5]

Builds a throwaway SQLite database, fills one forum with meetings, then times
(a) the floor: the same events built and serialised with plain icalendar calls from
    rows already in memory, and
(b) the real feed: an HTTP GET of /kalender/<token>.ics through Django, database
    queries included.
Prints the best of --repeat runs for each, their ratio and the feed's SQL query count.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="samverkan-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("STATIC_ROOT", WORKDIR)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar, Event, vCalAddress, vText  # noqa: E402

from dialogues.models import CalendarFeed, Forum, Meeting  # noqa: E402
from municipality.models import Body, Municipality, User  # noqa: E402


def build(count):
    call_command("migrate", verbosity=0)
    malmo = Municipality.objects.create(name="Malmö stad", code="1280")
    body = Body.objects.create(municipality=malmo, name="Fritidsnämnden", kind="committee")
    forum = Forum(name="Föreningsträffar", kind="association_meeting")
    forum.owner = body
    forum.save()
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    Meeting.objects.bulk_create(
        Meeting(
            forum=forum,
            title=f"Föreningsträff {n}",
            start=start + datetime.timedelta(days=n // 4, hours=n % 4),
            end=start + datetime.timedelta(days=n // 4, hours=n % 4 + 1),
            place="Stadshuset, sal 3",
            agenda="1. Välkommen\n2. Frågor; svar\n3. Övrigt",
        )
        for n in range(count)
    )
    user = User.objects.create_user("bench", role="civil_servant", municipality=malmo)
    return CalendarFeed.objects.create(kind="body", body=body, owner=user)


def plain_icalendar(rows, owner):
    """The floor: the same properties, written with plain icalendar calls."""
    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Fritidsnämnden – möten")
    now = timezone.now()
    for row in rows:
        event = Event()
        event.add("uid", f"meeting-{row['pk']}@samverkansregistret")
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(row["start"]))
        event.add("dtend", timezone.localtime(row["end"]))
        event.add("sequence", row["sequence"])
        event.add("last-modified", row["updated_at"])
        event.add("status", "CONFIRMED")
        event.add("summary", row["title"])
        event.add("location", row["place"])
        event.add("description", f"Föreningsträffar – {owner}\n\nDagordning:\n{row['agenda']}")
        event.add("url", f"http://testserver/moten/{row['pk']}/")
        event.add("categories", ["föreningsträff"])
        organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organizer.params["cn"] = vText(owner)
        event.add("organizer", organizer, encode=0)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def best_of(repeat, function):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    feed = build(args.meetings)
    rows = list(
        Meeting.objects.values(
            "pk", "start", "end", "sequence", "updated_at", "title", "place", "agenda"
        )
    )
    floor, floor_bytes = best_of(args.repeat, lambda: plain_icalendar(rows, "Fritidsnämnden"))
    client = Client()
    url = reverse("calendar_feed", args=[feed.token])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    ours, response = best_of(args.repeat, lambda: client.get(url))
    not_modified, _ = best_of(
        args.repeat, lambda: client.get(url, headers={"if-none-match": response["ETag"]})
    )
    events = response.content.count(b"BEGIN:VEVENT")
    print(f"meetings in feed:            {events}")
    print(f"plain icalendar (floor):     {floor * 1000:8.1f} ms  {len(floor_bytes):>9} bytes")
    print(f"feed GET, database included: {ours * 1000:8.1f} ms  {len(response.content):>9} bytes")
    print(f"ratio feed / floor:          {ours / floor:8.2f}  (aim: at most 1.5)")
    print(f"conditional GET (304):       {not_modified * 1000:8.1f} ms")
    print(f"SQL queries per feed GET:    {len(queries):8d}")


if __name__ == "__main__":
    main()
