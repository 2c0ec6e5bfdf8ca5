"""One input layer: the bounds every form and query string is held to, and the parsers
that read them. Bad input gets a Swedish message or is ignored, never a 500.
"""

import datetime
import functools
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2200, 12, 31)
MAX_AMOUNT = 100_000_000_000  # kronor
MAX_PER_PAGE = 200
MAX_ID = 2**63 - 1  # the largest primary key either database can hold


# Line breaks of every kind: CR, LF, the vertical tab Word pastes for Shift+Enter, form
# feed, the file/group/record separators, NEL and the Unicode line and paragraph
# separators; NUL with them, as no database text may hold it.
LINE_BREAKS = re.compile("[\x00\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The other C0 control characters (tab excepted) and DEL: no one types them, and an .xlsx
# cannot hold them.
CONTROLS = re.compile("[\x01-\x08\x0e-\x1b\x1f\x7f]")


def refuse_line_breaks(value):
    """Single-line text: a line break would split an e-mail header, .ics line or CSV row,
    and a control character (pasted from Word or another program) breaks a workbook."""
    if not value:
        return
    if LINE_BREAKS.search(value):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")
    if found := CONTROLS.search(value):
        raise ValidationError(
            _(
                "The text holds an invisible control character (U+%(code)04X), often left "
                "by copying from another program. Type the text in again."
            )
            % {"code": ord(found.group())},
            code="control_character",
        )


def without_controls(value):
    """Text that may have several lines, as stored: Word's Shift+Enter (a vertical tab)
    and form feeds become line breaks, other control characters and NUL go."""
    if not value:
        return value
    return CONTROLS.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n")).replace("\x00", "")


def single_line(value):
    """Stored single-line text made safe: each line break or control character becomes a
    space, runs of spaces one (for cleaning what was stored before the rule)."""
    if not value:
        return value
    cleaned = CONTROLS.sub("", LINE_BREAKS.sub(" ", value))
    return re.sub(" {2,}", " ", cleaned).strip() if cleaned != value else value


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


def clean_stored_text(apps, app_label):
    """For a data migration: the app's stored text held to the rules above, single-line
    fields (CharField) by `single_line`, longer ones (TextField) by `without_controls`.
    Only rows holding such a character are read and written."""
    from django.db import models
    from django.db.models import Q

    # What a single-line field may not hold, and what a longer one may not (NUL aside:
    # neither database stores it).
    one_line = f"{LINE_BREAKS.pattern[:-1]}{CONTROLS.pattern[1:-1]}]".replace("\x00", "")
    lines = f"[\x0b\x0c{CONTROLS.pattern[1:-1]}]"
    for model in apps.get_app_config(app_label).get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and not field.primary_key
        ]
        if not fields:
            continue
        found = Q()
        for field in fields:
            rule = lines if isinstance(field, models.TextField) else one_line
            found |= Q(**{f"{field.attname}__regex": rule})
        changed = []
        for row in model._base_manager.filter(found).only("pk", *(f.attname for f in fields)):
            dirty = False
            for field in fields:
                value = getattr(row, field.attname)
                clean = (
                    without_controls(value)
                    if isinstance(field, models.TextField)
                    else single_line(value)
                )
                if clean != value:
                    setattr(row, field.attname, clean)
                    dirty = True
            if dirty:
                changed.append(row)
        if changed:
            model._base_manager.bulk_update(changed, [f.attname for f in fields], batch_size=500)


# Redirect targets -------------------------------------------------------------------------

MAX_REDIRECT_LENGTH = 2048  # as Django's url_has_allowed_host_and_scheme


def local_path(request, candidate, fallback):
    """A redirect target from user input (a form's `next`) if it is a path on this site,
    else `fallback`.

    Only a path: one leading "/", no scheme, no host, no control characters. Django's
    `redirect()` reverses a bare word such as `abc` as a view name (a 500), and
    `url_has_allowed_host_and_scheme` alone lets `abc` or `-1` through as relative URLs.
    """
    if not isinstance(candidate, str) or not 0 < len(candidate) <= MAX_REDIRECT_LENGTH:
        return fallback
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return fallback
    if any(unicodedata.category(ch).startswith("C") for ch in candidate):
        return fallback  # CR, LF, NUL, tabs and invisible format characters
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return fallback
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return candidate


def local_next(view, fallback=None):
    """Wrap a view that reads `next` itself (Django's login, logout, set_language) so
    that it only ever sees a local path: a junk `next` is dropped, so the view goes to its
    own default, or replaced by `fallback` when one is given."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        for name in ("GET", "POST"):
            params = getattr(request, name)
            if "next" not in params and fallback is None:
                continue
            target = local_path(request, params.get("next"), fallback)
            params = params.copy()
            if target is None:
                params.pop("next", None)
            else:
                params["next"] = str(target)  # the fallback may be lazy
            setattr(request, name, params)
        return view(request, *args, **kwargs)

    return wrapped
