"""Swedish formats: ISO dates in and out, amounts as 1 234 567 kr."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from municipality import date_fields
from municipality.money import format_kronor, format_number


class DateForm(forms.Form):
    day = date_fields.DateField()
    at = date_fields.DateTimeField()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_iso_dates_are_accepted(language):
    with translation.override(language):
        form = DateForm({"day": "2026-02-27", "at": "2026-02-27 09:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 2, 27)
    assert form.cleaned_data["at"].strftime("%Y-%m-%d %H:%M") == "2026-02-27 09:30"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("value", ["05/10/2026", "05/10/26", "10.05.2026"])
def test_us_and_other_date_forms_are_refused(language, value):
    with translation.override(language):
        form = DateForm({"day": value, "at": "2026-02-27 09:30"})
        assert not form.is_valid()
    if language == "sv":
        assert form.errors["day"] == ["Skriv datumet som 2026-12-07."]


def test_dates_display_as_iso_in_swedish():
    template = Template("{{ day }} {{ at }} {{ day|date:'SHORT_DATE_FORMAT' }}")
    context = Context(
        {"day": datetime.date(2026, 2, 27), "at": datetime.datetime(2026, 2, 27, 9, 30)}
    )
    with translation.override("sv"):
        assert template.render(context) == "2026-02-27 2026-02-27 09:30 2026-02-27"


def test_kronor_with_non_breaking_spaces():
    with translation.override("sv"):
        assert format_kronor(1234567) == "1\xa0234\xa0567\xa0kr"
        assert format_kronor(0) == "0\xa0kr"
        assert format_kronor(None) == ""
        assert format_number(25000) == "25\xa0000"


def test_kronor_filter_in_templates():
    with translation.override("sv"):
        rendered = Template("{% load money %}{{ amount|kronor }}").render(
            Context({"amount": 850000})
        )
    assert rendered == "850\xa0000\xa0kr"


def test_plain_numbers_are_not_grouped():
    """Years and ids print as they are; grouping is asked for, never implied."""
    with translation.override("sv"):
        assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"
