"""Dates and times as Swedes write them, read exactly or not at all.

A time is 24-hour: `13:30`, `13.30`, `9.00`, `9`, `kl 13`, `kl. 13.30`, `kl.13`, with or
without seconds (`13:30:00`, `13.30.00`, one separator throughout). A date is ISO,
`2026-12-07` (month and day may drop their leading zero, the year is written in full);
05/10/2026 is refused, since a Swede reads it as the 5th of October and an American as
the 10th of May. A date and time is a date, a space or `T`, and a time.

Nothing is guessed: `11.3`, `11:30.3` (Python's `fromisoformat` reads a fraction of a
second there), `24:00`, `13:60` and anything else not read exactly are refused with a
message that shows the form to use. Every value read is written back by `write_*` as a
form that reads to the same value.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TIME_MESSAGE = _("Write the time as 13:30 or 13.30.")
DATE_MESSAGE = _("Write the date as 2026-12-07.")
DATETIME_MESSAGE = _("Write the date and time as 2026-12-07 13:30.")

# kl, kl. or neither; the hour; then minutes and seconds, both after the same : or .
_TIME = (
    r"(?:kl\.? *)?(?P<hour>[0-9]{1,2})"
    r"(?:(?P<sep>[:.])(?P<minute>[0-9]{2})(?:(?P=sep)(?P<second>[0-9]{2}))?)?"
)
_DATE = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
TIME = re.compile(_TIME, re.IGNORECASE)
DATE = re.compile(_DATE)
DATETIME = re.compile(rf"{_DATE}(?: +|T){_TIME}", re.IGNORECASE)


def _written(value):
    """The text as typed, full-width digits and no-break spaces read as their plain kind."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _time_of(match):
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime.time(hour, minute, second)


def _date_of(match):
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:  # 2026-02-30, 2026-13-01, year 0000
        return None


def read_time(value):
    """The time of day written in `value`; ValidationError(code="time") otherwise."""
    match = TIME.fullmatch(_written(value))
    time = _time_of(match) if match else None
    if time is None:
        raise ValidationError(TIME_MESSAGE, code="time")
    return time


def read_date(value):
    """The date written in `value` (ISO); ValidationError(code="date") otherwise."""
    match = DATE.fullmatch(_written(value))
    day = _date_of(match) if match else None
    if day is None:
        raise ValidationError(DATE_MESSAGE, code="date")
    return day


def read_datetime(value):
    """The naive date and time written in `value`; ValidationError(code="datetime")
    otherwise. A date alone is refused: a meeting at midnight is rarely what was meant."""
    match = DATETIME.fullmatch(_written(value))
    day = _date_of(match) if match else None
    time = _time_of(match) if match else None
    if day is None or time is None:
        raise ValidationError(DATETIME_MESSAGE, code="datetime")
    return datetime.datetime.combine(day, time)


def write_time(value):
    """13:30, or 13:30:15 when there are seconds: what `read_time` reads back the same."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def write_date(value):
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def write_datetime(value):
    return f"{write_date(value)} {write_time(value)}"
