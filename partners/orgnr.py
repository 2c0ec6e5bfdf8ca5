"""Swedish organisationsnummer: normalised to NNNNNN-NNNN, checked, and read for its group.

stdnum's check alone also accepts a personnummer; an organisationsnummer's third digit is
2 or more. The 12-digit form with the "16" century prefix is accepted and stripped.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr as stdnum_orgnr

from municipality.inputs import digits

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
    """The typed number's digits: any Unicode digits, spaces and dashes are read as typed
    (full-width `８０２００２` is 802002), so one number cannot be stored twice."""
    return digits(value)


def normalise(value):
    """The number as NNNNNN-NNNN, or ValidationError with a message for the form field."""
    number = digits_of(value)
    if len(number) == 12 and number.startswith("16"):
        number = number[2:]
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        raise ValidationError(
            _("An organisation number has ten digits, written as NNNNNN-NNNN."), code="format"
        )
    if int(number[2]) < 2:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."),
            code="personnummer",
        )
    if not stdnum_orgnr.is_valid(number):
        raise ValidationError(
            _("The organisation number's check digit is wrong. Check the number."),
            code="checksum",
        )
    return f"{number[:6]}-{number[6:]}"


def looks_like_orgnr(query):
    """Whether a search text is an organisation number, with or without the hyphen."""
    number = digits_of(query)
    return len(number) in (10, 12) and number.isascii() and number.isdigit()


def group_of(number):
    return GROUPS.get(number[:1]) if number else None
