"""Benchmark: a calendar feed of 5,000 meetings against plain icalendar serialisation.

Run: .venv/bin/python benchmarks/calendar_feed.py [--meetings 5000] [--repeat 5]

Builds a throwaway database (SQLite, or on DATABASE_URL's PostgreSQL server), fills one
forum with meetings, then times
(a) the floor: the same events built and serialised with plain icalendar calls from
    rows already in memory, and
(b) the real feed: an HTTP GET of /kalender/<token>.ics through Django, database
    queries included.
Prints the best of --repeat runs for each, their ratio and the feed's SQL query count.
"""

import argparse
import datetime
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import throwaway  # noqa: E402  (benchmarks/, beside this file)

NOT_MODIFIED_REPEAT = 50


def setup(database_url, static_root):
    os.environ.update(throwaway.settings_environment(database_url, static_root))
    import django

    django.setup()


def build(count):
    from django.core.management import call_command
    from django.utils import timezone

    from dialogues.models import CalendarFeed, Forum, Meeting
    from municipality.models import Body, Membership, Municipality, User

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
    # The feed answers only while its maker keeps the body: staff of its förvaltning.
    administration = Body.objects.create(
        municipality=malmo, name="Fritidsförvaltningen", kind="administration"
    )
    administration.serves.add(body)
    Membership.objects.create(user=user, body=administration)
    return CalendarFeed.objects.create(kind="body", body=body, owner=user)


def plain_icalendar(rows, owner, site="http://testserver"):
    """The floor: the same properties, written with plain icalendar calls."""
    from django.conf import settings
    from django.utils import timezone
    from icalendar import Calendar, Event, vCalAddress, vText

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
        event.add("url", f"{site}/moten/{row['pk']}/")
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


def measure_feed(feed, repeat, client=None):
    """The feed's GET and 304 through Django, and the floor for the same events: best of
    `repeat` each (seconds), the feed's SQL queries, its events and bytes."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = client or Client()
    url = reverse("calendar_feed", args=[feed.token])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    assert client.get(url).status_code == 200
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    ours, response = best_of(repeat, lambda: client.get(url))
    unchanged = {"if-none-match": response["ETag"]}
    not_modified_queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: not_modified_queries.append(sql) or execute(sql, *rest)
    ):
        assert client.get(url, headers=unchanged).status_code == 304
    # A 304 costs a few milliseconds, as much as a garbage collection of what the pages
    # before it left behind: collect first, and take the best of many.
    gc.collect()
    not_modified, _ = best_of(
        max(repeat, NOT_MODIFIED_REPEAT), lambda: client.get(url, headers=unchanged)
    )
    rows = list(
        feed.meetings()
        .order_by("start")
        .values("pk", "start", "end", "sequence", "updated_at", "title", "place", "agenda")
    )
    for row in rows:
        row["end"] = row["end"] or row["start"] + datetime.timedelta(hours=2)
    floor, floor_bytes = best_of(repeat, lambda: plain_icalendar(rows, str(feed.subject)))
    return {
        "events": response.content.count(b"BEGIN:VEVENT"),
        "feed_seconds": ours,
        "floor_seconds": floor,
        "not_modified_seconds": not_modified,
        "queries": len(queries),
        "not_modified_queries": len(not_modified_queries),
        "bytes": len(response.content),
        "floor_bytes": len(floor_bytes),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    static_root = tempfile.mkdtemp(prefix="samverkan-bench-static-")  # empty: a feed has none
    try:
        with throwaway.database("feed") as url:
            setup(url, static_root)
            feed = build(args.meetings)
            result = measure_feed(feed, args.repeat)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print(f"meetings in feed:            {result['events']}")
    print(
        f"plain icalendar (floor):     {result['floor_seconds'] * 1000:8.1f} ms"
        f"  {result['floor_bytes']:>9} bytes"
    )
    print(
        f"feed GET, database included: {result['feed_seconds'] * 1000:8.1f} ms"
        f"  {result['bytes']:>9} bytes"
    )
    ratio = result["feed_seconds"] / result["floor_seconds"]
    print(f"ratio feed / floor:          {ratio:8.2f}  (aim: at most 1.5)")
    print(f"conditional GET (304):       {result['not_modified_seconds'] * 1000:8.1f} ms")
    print(f"SQL queries per feed GET:    {result['queries']:8d}")


if __name__ == "__main__":
    main()
