"""Meetings as iCalendar (RFC 5545): downloads, subscribable feeds and e-mailed invitations.

Plain functions from meetings to bytes. Times are written in Europe/Stockholm with its
VTIMEZONE, so a 09:00 meeting shows 09:00 in every client on both sides of a DST switch.
Every text is written in Swedish whatever the language of the request: the calendar
clients of organisations are not logged in and have no language of ours.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from municipality.mail import one_line

PRODID = "-//Samverkansregistret//Dialogforum//SV"
# Part of every feed's ETag: raise it when what an event says, or how, changes, so that
# subscribed calendars fetch the new text instead of hearing "not modified".
FORMAT = 1
FEED_REFRESH = datetime.timedelta(hours=1)

_STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def feed(meetings, name, base_url):
    """A subscribable calendar of `meetings` (select the forum and its owner with them)."""
    with translation.override("sv"):
        calendar = _calendar(name=name)
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        # Outlook reads this one; icalendar would write an x-property's timedelta as
        # "1:00:00", which is no duration: give the value its type.
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        now = timezone.now()
        for meeting in meetings:
            calendar.add_component(_event(meeting, base_url, now))
        return _finish(calendar)


def single(meeting, base_url):
    """One meeting, for "Lägg till i kalender"."""
    return feed([meeting], meeting.title, base_url)


def invitation(meeting, base_url, recipients, cancel=False):
    """An iTIP message (RFC 5546) for `recipients`, a list of (name, e-mail address).

    REQUEST invites or updates (same UID, the meeting's current SEQUENCE); CANCEL takes
    the meeting out of the recipients' calendars.
    """
    with translation.override("sv"):
        calendar = _calendar(method="CANCEL" if cancel else "REQUEST")
        event = _event(meeting, base_url, timezone.now())
        if cancel:
            event["status"] = "CANCELLED"
        for name, email in recipients:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = vText(one_line(name))
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee, encode=0)
        calendar.add_component(event)
        return _finish(calendar)


def _calendar(name=None, method=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", one_line(name))
        calendar.add("name", one_line(name))
    return calendar


def _finish(calendar):
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(meeting, base_url, now):
    forum = meeting.forum
    url = base_url + meeting.get_absolute_url()
    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("dtstamp", now)
    event.add("dtstart", timezone.localtime(meeting.start))
    event.add("dtend", timezone.localtime(meeting.calendar_end))
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at)
    event.add("status", _STATUS[meeting.status])
    event.add("summary", one_line(meeting.title))
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", one_line(location))
    event.add("description", _description(meeting, url))
    event.add("url", url)
    event.add("categories", [str(forum.get_kind_display())])
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(one_line(forum.owner))
    event.add("organizer", organizer, encode=0)
    return event


def _description(meeting, url):
    parts = [f"{meeting.forum} – {meeting.forum.owner}"]
    if meeting.status == "cancelled":
        parts.insert(0, _("The meeting is cancelled."))
    if meeting.agenda:
        parts.append(_("Agenda:") + "\n" + meeting.agenda)
    if meeting.online_link:
        parts.append(_("Online link:") + " " + meeting.online_link)
    parts.append(_("More in Samverkansregistret:") + " " + url)
    return "\n\n".join(parts)
