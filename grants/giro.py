"""Bankgiro and plusgiro numbers: digits and Luhn check (python-stdnum), written the usual way."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError

from municipality import inputs

LENGTHS = {"bankgiro": (7, 8), "plusgiro": tuple(range(2, 9))}


def validate(kind, number):
    """The number normalised (bankgiro 123-4567 / 1234-5678, plusgiro 1234567-8), or a
    ValidationError in Swedish."""
    digits = inputs.digits(number)
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(_("Use digits only (spaces and a hyphen are allowed)."))
    if len(digits) not in LENGTHS[kind]:
        if kind == "bankgiro":
            raise ValidationError(_("A bankgiro number has 7 or 8 digits."))
        raise ValidationError(_("A plusgiro number has 2 to 8 digits."))
    if not digits.strip("0"):
        raise ValidationError(_("This is not a real account number."))
    try:
        luhn.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("The check digit does not match: check the number against the invoice or letter.")
        ) from None
    if kind == "bankgiro":
        return f"{digits[:-4]}-{digits[-4:]}"
    return f"{digits[:-1]}-{digits[-1]}"
