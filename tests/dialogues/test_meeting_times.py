"""A meeting's time through the real form, as a Swede writes it: `11.30` is half past
eleven (not eleven o'clock and 0.3 seconds, as Python's fromisoformat would read it), and
what cannot be read exactly is refused, in Swedish, with nothing saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dialogues.models import Meeting
from tests.dialogues.test_forums_and_meetings import meeting_data

TIME_MESSAGE = "Skriv tiden som 13:30 eller 13.30."
DATE_MESSAGE = "Skriv datumet som 2026-12-07."


def schedule(client, cast, start_time, end_time="", day="2026-12-07", **changes):
    client.force_login(cast.staff)
    data = {
        **meeting_data(cast.asf_forum, title="Föreningsträff om tider", **changes),
        "start_0": day,
        "start_1": start_time,
        "end_0": day if end_time else "",
        "end_1": end_time,
    }
    return client.post(reverse("meeting_create"), data)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("11.30", datetime.time(11, 30)),
        ("11:30", datetime.time(11, 30)),
        ("9.00", datetime.time(9, 0)),
        ("9", datetime.time(9, 0)),
        ("kl 13", datetime.time(13, 0)),
        ("kl. 13.30", datetime.time(13, 30)),
        ("Kl.13", datetime.time(13, 0)),
        ("13:30:00", datetime.time(13, 30)),
        ("13.30.15", datetime.time(13, 30, 15)),
        (" ０９:１５ ", datetime.time(9, 15)),  # full-width digits, as some keyboards type
    ],
)
def test_a_time_as_swedes_write_it_is_stored_exactly(client, cast, written, stored):
    response = schedule(client, cast, written)
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get(title="Föreningsträff om tider")
    assert timezone.localtime(meeting.start).replace(tzinfo=None) == datetime.datetime.combine(
        datetime.date(2026, 12, 7), stored
    )


@pytest.mark.parametrize(
    "written", ["11.3", "25:00", "24:00", "13:60", "11:30.3", "11:30:00.3", "11,30", "1130",
                "13:30.00", "kl", "=1+1", "13:30\r\n14:00", "9999999999", "11.30 pm"],
)  # fmt: skip
def test_a_time_not_read_exactly_is_refused_in_swedish_and_nothing_saved(client, cast, written):
    before = Meeting.objects.count()
    response = schedule(client, cast, written)
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [TIME_MESSAGE]
    assert TIME_MESSAGE in response.content.decode()
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("day", ["05/10/2026", "2026-02-30", "7 dec 2026", "20261207"])
def test_a_date_not_read_exactly_is_refused_in_swedish(client, cast, day):
    before = Meeting.objects.count()
    response = schedule(client, cast, "10:00", day=day)
    assert response.context["form"].errors["start"] == [DATE_MESSAGE]
    assert Meeting.objects.count() == before


def test_a_start_without_a_time_is_refused(client, cast):
    response = schedule(client, cast, "")
    assert response.context["form"].errors["start"] == ["Detta fält måste fyllas i."]
    assert not Meeting.objects.filter(title="Föreningsträff om tider").exists()


def test_an_end_with_a_date_but_no_time_says_so(client, cast):
    client.force_login(cast.staff)
    data = {
        **meeting_data(cast.asf_forum, title="Utan sluttid"),
        "end_0": "2026-09-10",
        "end_1": "",
    }
    response = client.post(reverse("meeting_create"), data)
    assert response.context["form"].errors["end"] == [TIME_MESSAGE]
    assert not Meeting.objects.filter(title="Utan sluttid").exists()


def test_the_invitation_file_carries_the_time_as_written(client, cast):
    assert schedule(client, cast, "11.30", end_time="kl 13").status_code == 302
    meeting = Meeting.objects.get(title="Föreningsträff om tider")
    ics = client.get(reverse("meeting_ics", args=[meeting.pk]))
    assert "DTSTART;TZID=Europe/Stockholm:20261207T113000" in ics.content.decode()
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime.datetime(2026, 12, 7, 11, 30)
    assert event.decoded("dtend").replace(tzinfo=None) == datetime.datetime(2026, 12, 7, 13, 0)


def test_the_edit_form_shows_the_time_as_it_reads_back(client, cast):
    assert schedule(client, cast, "13.30.15").status_code == 302
    meeting = Meeting.objects.get(title="Föreningsträff om tider")
    html = client.get(reverse("meeting_update", args=[meeting.pk])).content.decode()
    assert 'name="start_0" value="2026-12-07"' in html
    assert 'name="start_1" value="13:30:15"' in html  # the seconds kept, not dropped


def test_the_parts_are_labelled_date_and_time_in_the_start_fieldset(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_create")).content.decode()
    assert '<label class="form-label small mb-1" for="id_start_0">Datum</label>' in html
    assert '<label class="form-label small mb-1" for="id_start_1">Tid</label>' in html
    assert 'type="date" name="start_0"' in html
    assert 'placeholder="TT:MM"' in html


def test_a_holiday_is_still_warned_of_with_a_time_written_the_swedish_way(client, cast):
    response = schedule(client, cast, "kl 10", end_time="12.00", day="2026-12-25")
    assert response.status_code == 200
    assert response.context["warnings"] == ["2026-12-25 är en helgdag i Sverige (Juldagen)."]
    assert not Meeting.objects.filter(title="Föreningsträff om tider").exists()


def test_a_clash_is_found_from_a_time_written_with_a_period(client, cast):
    Meeting.objects.create(
        forum=cast.asf_forum,
        title="Tidigare träff",
        start=timezone.make_aware(datetime.datetime(2026, 12, 8, 11, 0)),
    )
    response = schedule(client, cast, "11.30", end_time="12.30", day="2026-12-08")
    assert response.status_code == 200
    assert "Tidigare träff" in response.context["warnings"][0]


def test_a_filter_date_is_read_the_same_way(client, cast):
    client.force_login(cast.staff)
    good = client.get(reverse("meeting_list"), {"after": "2026-3-1"})
    assert good.status_code == 200
    bad = client.get(reverse("meeting_list"), {"after": "11.30"})
    assert bad.status_code == 200
    assert DATE_MESSAGE in bad.content.decode()
