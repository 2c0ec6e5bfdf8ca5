"""Swedish organisationsnummer: normalised to NNNNNN-NNNN, checked, and read for its group.

stdnum's check alone also accepts a personnummer; an organisationsnummer's third digit is
2 or more. The 12-digit form with the "16" century prefix is accepted and stripped.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr as stdnum_orgnr

# The group of legal forms each first digit stands for (Bolagsverket).
GROUPS = {
    "1": _("estates of deceased persons"),
    "2": _("state, regions, municipalities, parishes and registered religious communities"),
    "3": _("foreign companies"),
    "5": _("limited companies"),
    "6": _("simple partnerships"),
    "7": _("economic associations and housing cooperatives"),
    "8": _("non-profit associations and foundations"),
    "9": _("trading and limited partnerships"),
}


def digits_of(value):
    return re.sub(r"\D", "", value or "")


def normalise(value):
    """The number as NNNNNN-NNNN, or ValidationError with a message for the form field."""
    digits = digits_of(value)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10 or re.search(r"[^\d\s-]", value.strip()):
        raise ValidationError(
            _("An organisation number has ten digits, written as NNNNNN-NNNN."), code="format"
        )
    if int(digits[2]) < 2:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."),
            code="personnummer",
        )
    if not stdnum_orgnr.is_valid(digits):
        raise ValidationError(
            _("The organisation number's check digit is wrong. Check the number."),
            code="checksum",
        )
    return f"{digits[:6]}-{digits[6:]}"


def looks_like_orgnr(query):
    """Whether a search text is an organisation number, with or without the hyphen."""
    digits = digits_of(query)
    return len(digits) in (10, 12) and not re.search(r"[^\d\s-]", query.strip())


def group_of(number):
    return GROUPS.get(number[:1]) if number else None
