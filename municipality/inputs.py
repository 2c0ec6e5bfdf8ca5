"""One input layer: the bounds every form and query string is held to, and the parsers
that read them. Bad input gets a Swedish message or is ignored, never a 500.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2200, 12, 31)
MAX_AMOUNT = 100_000_000_000  # kronor
MAX_PER_PAGE = 200
MAX_ID = 2**63 - 1  # the largest primary key either database can hold


def refuse_line_breaks(value):
    """Single-line text: a CR or LF would split an e-mail header, .ics line or CSV row."""
    if value and ("\r" in value or "\n" in value or "\x00" in value):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")


def date_in_range(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": MIN_DATE.isoformat(), "last": MAX_DATE.isoformat()},
            code="date_range",
        )


amount_validators = [
    MinValueValidator(0, _("An amount cannot be negative.")),
    MaxValueValidator(MAX_AMOUNT, _("An amount can be at most 100 000 000 000 kr.")),
]


def digits(value):
    """A number as typed, in any Unicode digits, with spaces and hyphens of any kind
    removed: `８０２００２–３４３１` and `802002 3431` both give `8020023431`."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Pd")


def normalised_text(value):
    """Unicode NFKC, so full-width and compatibility characters compare as they read."""
    return unicodedata.normalize("NFKC", value or "")


# Query strings ------------------------------------------------------------------------------


def int_param(params, name, default=None, minimum=None, maximum=None):
    """An integer from the query string; anything else, or out of range, is the default."""
    try:
        value = int(params.get(name, ""))
    except (TypeError, ValueError):
        return default
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return default
    return value


def id_param(params, name):
    """A record id from the query string (say, to preselect a choice); junk is None."""
    return int_param(params, name, minimum=1, maximum=MAX_ID)


def date_param(params, name, default=None):
    """An ISO date from the query string within the service's date range, else the default."""
    try:
        value = datetime.date.fromisoformat(params.get(name, "") or "")
    except (TypeError, ValueError):
        return default
    return value if MIN_DATE <= value <= MAX_DATE else default


def month_param(params, name, default):
    """The first day of a `YYYY-MM` month from the query string, within range."""
    return date_param({name: f"{params.get(name, '')}-01"}, name, default)
