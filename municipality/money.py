"""Amounts of money: whole kronor, written the Swedish way (1 234 567 kr)."""

from django.db import models
from django.utils.formats import number_format


def format_kronor(value):
    """`1 234 567 kr` with non-breaking spaces, so an amount never breaks over two lines."""
    if value is None or value == "":
        return ""
    return f"{number_format(int(value), decimal_pos=0, use_l10n=True, force_grouping=True)}\xa0kr"


def format_number(value):
    """A whole number grouped in thousands the active language's way."""
    if value is None or value == "":
        return ""
    return number_format(value, use_l10n=True, force_grouping=True)


class KronorField(models.PositiveBigIntegerField):
    """An amount in whole kronor, never negative. History, tables and exports know to
    write it as `1 234 567 kr`."""
