"""Amounts of money: whole kronor, written the Swedish way (1 234 567 kr)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.formats import number_format

from municipality.inputs import MAX_AMOUNT


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
    """An amount in whole kronor, 0 to 100 000 000 000 (each model backs the bound with a
    check constraint). History, tables and exports know to write it as `1 234 567 kr`."""

    default_validators = [MaxValueValidator(MAX_AMOUNT)]

    def formfield(self, **kwargs):
        return super().formfield(**{"max_value": MAX_AMOUNT, **kwargs})


def amount_bounded(*fields, model):
    """Check constraints keeping each amount field within the bound, in the database."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__lte": MAX_AMOUNT}),
            name=f"{model}_{field}_bounded",
        )
        for field in fields
    ]
