"""Our calendar output in a real CalDAV server (Radicale on loopback), read back by the
`caldav` client: the server must accept each event and give back what we meant."""

import datetime
import socket
import subprocess
import sys
import time
import zoneinfo

import caldav
import pytest
from django.utils import timezone
from icalendar import Calendar

from dialogues import ical
from dialogues.models import Meeting

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
BASE = "https://samverkan.example.se"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--auth-delay",
            "0",
            "--storage-filesystem-folder",
            str(tmp_path / "collections"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"Radicale did not start: {server.stderr.read().decode()}")
            time.sleep(0.1)
    client = caldav.DAVClient(
        url=f"http://127.0.0.1:{port}/",
        username="samverkan",
        password="-",
        require_tls=False,
        enable_rfc6764=False,
    )
    try:
        yield client.principal().make_calendar(name="Samverkan")
    finally:
        server.terminate()
        server.wait(timeout=10)


def at(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute), STOCKHOLM)


def put(calendar, meeting):
    """Store our bytes as they are (the client would otherwise bump SEQUENCE itself)."""
    calendar.add_event(ical.single(meeting, BASE).decode(), increase_seqno=False)


def stored(calendar, meeting):
    """The event as the server gives it back, parsed."""
    resource = calendar.event_by_uid(meeting.calendar_uid)
    return Calendar.from_ical(resource.data).walk("VEVENT")[0]


def test_server_keeps_uid_local_times_status_and_sequence(cast, radicale):
    summer = Meeting.objects.create(
        forum=cast.asn_forum, title="Temadag i juni", start=at(2026, 6, 11, 9), place="Rådhuset"
    )
    winter = Meeting.objects.create(
        forum=cast.asn_forum,
        title="Temadag i december",
        start=at(2026, 12, 10, 9),
        end=at(2026, 12, 10, 11, 30),
    )
    for meeting in (summer, winter):
        put(radicale, meeting)

    back = stored(radicale, summer)
    assert str(back["uid"]) == summer.calendar_uid
    assert back.decoded("dtstart").astimezone(STOCKHOLM).time() == datetime.time(9, 0)
    assert back.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)
    assert back.decoded("dtend") - back.decoded("dtstart") == datetime.timedelta(hours=2)
    assert str(back["location"]) == "Rådhuset"
    assert (str(back["status"]), int(back["sequence"])) == ("CONFIRMED", 0)

    back = stored(radicale, winter)
    assert back.decoded("dtstart").astimezone(STOCKHOLM).time() == datetime.time(9, 0)
    assert back.decoded("dtstart").utcoffset() == datetime.timedelta(hours=1)
    assert back.decoded("dtend").astimezone(STOCKHOLM).time() == datetime.time(11, 30)


def test_server_finds_the_meeting_by_its_local_time(cast, radicale):
    """The server's own time-range query must place 09:00 Stockholm at 07:00 UTC in June."""
    meeting = Meeting.objects.create(
        forum=cast.asn_forum, title="Träff", start=at(2026, 6, 11, 9), end=at(2026, 6, 11, 10)
    )
    put(radicale, meeting)
    utc = datetime.UTC
    found = radicale.search(
        event=True,
        start=datetime.datetime(2026, 6, 11, 7, 0, tzinfo=utc),
        end=datetime.datetime(2026, 6, 11, 7, 30, tzinfo=utc),
    )
    missed = radicale.search(
        event=True,
        start=datetime.datetime(2026, 6, 11, 8, 0, tzinfo=utc),
        end=datetime.datetime(2026, 6, 11, 9, 0, tzinfo=utc),
    )
    assert [Calendar.from_ical(e.data).walk("VEVENT")[0]["uid"] for e in found] == [
        meeting.calendar_uid
    ]
    assert missed == []


def test_a_moved_then_cancelled_meeting_replaces_itself_in_the_server(cast, radicale):
    meeting = Meeting.objects.create(
        forum=cast.asn_forum, title="Föreningsträff", start=at(2026, 3, 26, 18)
    )
    put(radicale, meeting)

    meeting.start = at(2026, 4, 2, 18)
    meeting.save()
    put(radicale, meeting)
    back = stored(radicale, meeting)
    assert int(back["sequence"]) == 1
    assert back.decoded("dtstart").astimezone(STOCKHOLM) == at(2026, 4, 2, 18)

    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    put(radicale, meeting)
    back = stored(radicale, meeting)
    assert (str(back["status"]), int(back["sequence"])) == ("CANCELLED", 2)
    assert len(radicale.events()) == 1
