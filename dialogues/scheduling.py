"""Warnings when a meeting is scheduled: a Swedish holiday, or a clash within the body.

They come before anything is saved, and never block: a temadag on a holiday may be
intended, so "Save anyway" saves it once the user has seen exactly these warnings.
"""

import datetime
import hashlib
from functools import cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Meeting

DEFAULT_LENGTH = datetime.timedelta(hours=2)
# A day chosen in the month view starts the new meeting at nine.
DEFAULT_START = datetime.timedelta(hours=9)
# The button that saves despite the warnings, and the hidden field naming what was seen.
SAVE_ANYWAY = "save_anyway"
WARNED = "warned"


@cache
def swedish_holidays(year):
    """Public holidays plus the eves most people are off (midsommar-, jul-, nyårsafton)."""
    return holidays.Sweden(years=year, language="sv", categories=("public", "de_facto"))


def holiday_name(day):
    return swedish_holidays(day.year).get(day)


def end_of(meeting):
    return meeting.end or meeting.start + DEFAULT_LENGTH


def clashes(meeting):
    """Other meetings of the same owning body at an overlapping time, not cancelled."""
    forum = meeting.forum
    candidates = (
        Meeting.objects.filter(forum__owner_id=forum.owner_id)
        .exclude(pk=meeting.pk)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(start__lt=end_of(meeting), start__gt=meeting.start - datetime.timedelta(days=1))
        .select_related("forum")
    )
    return [other for other in candidates if end_of(other) > meeting.start]


def warnings_for(meeting):
    messages = []
    day = timezone.localtime(meeting.start).date()
    name = holiday_name(day)
    if name:
        messages.append(
            _("%(date)s is a public holiday in Sweden (%(holiday)s).")
            % {"date": day.isoformat(), "holiday": name}
        )
    for other in clashes(meeting):
        messages.append(
            _("It overlaps “%(title)s” (%(forum)s) at %(time)s, also held by %(body)s.")
            % {
                "title": other.title,
                "forum": other.forum.name,
                "time": timezone.localtime(other.start).strftime("%Y-%m-%d %H:%M"),
                "body": meeting.forum.owner,
            }
        )
    return messages


def fingerprint(warnings):
    """Names the warnings shown, so a confirmation holds for those and no others."""
    if not warnings:
        return ""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:20]


def confirmed(data, warnings):
    """Nothing to warn of, or "Save anyway" pressed after seeing these very warnings (a
    changed date or time that warns of something else is warned of again)."""
    if not warnings:
        return True
    return SAVE_ANYWAY in data and data.get(WARNED) == fingerprint(warnings)
