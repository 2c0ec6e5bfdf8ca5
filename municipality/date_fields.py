"""The only date, time and date-and-time fields in the product: form fields, filters and
admin fields that read what a Swede writes through municipality.swedish_time, never
through Django's own parsing (whose DateTimeField tries `fromisoformat` first and reads
`11.30` as eleven o'clock and 0.3 seconds). Every date is held to 1900–2200.

tests/test_date_fields.py walks every form, filter and admin page and fails on a date or
time field that is not one of these."""

import datetime

import django_filters
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipality import swedish_time
from municipality.inputs import date_in_range


class DateInput(forms.DateInput):
    """A plain text field showing ÅÅÅÅ-MM-DD, for dates copied from a decision, an
    agreement or a bank statement. Not the browser's date field: that shows the date in
    the browser's language, and an English-language Chromium shows 7 December as
    12/07/2026, which a Swede reads as the 12th of July."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("YYYY-MM-DD"), "inputmode": "numeric", **(attrs or {})},
            format="%Y-%m-%d",
        )


class CalendarDateInput(forms.DateInput):
    """The browser's own date field (`type=date`), for the day of a meeting, where the
    calendar it opens helps choose a weekday: on the keyboard a field per part, changed
    with the digits or the arrow keys. Whatever the browser shows (ÅÅÅÅ-MM-DD in a
    Swedish-language browser), it sends ISO, 2026-12-07; a form posted any other way may
    send the date as typed text, which the field reads the same."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A text field for the time, not `type=time`: Chromium and Firefox show the latter
    with AM/PM under an English-language system, and read only what they type themselves,
    while a person writes 13.30, 9 or kl 13, which the server reads exactly and otherwise
    refuses with the form to use. No numeric `inputmode`: a phone's number pad has
    neither `:` nor `.` everywhere, and `kl` needs letters. Seconds are shown when there
    are any, so saving the form again never drops them."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("HH:MM"), "autocomplete": "off", "size": 8, **(attrs or {})}
        )

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return swedish_time.write_time(value)
        return value


class DateTimeInput(forms.DateTimeInput):
    """ÅÅÅÅ-MM-DD TT:MM in one text field, for a date and time kept in one value."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": _("YYYY-MM-DD HH:MM"), **(attrs or {})})

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return swedish_time.write_datetime(timezone.localtime(value))
        return value


class DateAndTimeInput(forms.SplitDateTimeWidget):
    """A date field and a time field, each with its own visible label (Datum, Tid)
    inside the fieldset that the field's own label names."""

    template_name = "widgets/date_and_time.html"
    part_labels = (_("Date"), _("Time"))

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (CalendarDateInput(attrs), TimeInput(attrs)), attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, label in zip(context["widget"]["subwidgets"], self.part_labels, strict=True):
            part["label"] = label
        context["widget"]["invalid"] = context["widget"]["attrs"].get("aria-invalid") == "true"
        return context


class PartsDescribed(BoundField):
    """A field in parts is a fieldset; Django then points only the fieldset at the error
    and help text. Each part points there too, so a screen reader in the time field hears
    why it was refused."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.aria_describedby and "aria-describedby" not in attrs:
            attrs["aria-describedby"] = self.aria_describedby
        return attrs


class DateField(forms.DateField):
    widget = DateInput
    default_validators = [date_in_range]
    default_error_messages = {"invalid": swedish_time.DATE_MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return swedish_time.read_date(value)


class TimeField(forms.TimeField):
    widget = TimeInput
    default_error_messages = {"invalid": swedish_time.TIME_MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        return swedish_time.read_time(value)


class DateTimeField(forms.DateTimeField):
    """A date and time in one text field (the meeting form splits them instead)."""

    widget = DateTimeInput
    default_validators = [date_in_range]
    default_error_messages = {"invalid": swedish_time.DATETIME_MESSAGE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        return from_current_timezone(swedish_time.read_datetime(value))


class SplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time of day in two fields, read as one local date and time; a part
    left empty or unreadable is refused with the form to use."""

    widget = DateAndTimeInput
    bound_field_class = PartsDescribed
    default_error_messages = {
        "invalid_date": swedish_time.DATE_MESSAGE,
        "invalid_time": swedish_time.TIME_MESSAGE,
    }

    def __init__(self, **kwargs):
        kwargs.pop("input_date_formats", None)
        kwargs.pop("input_time_formats", None)
        forms.MultiValueField.__init__(self, (DateField(), TimeField()), **kwargs)


def form_field_class(model_field):
    """The field a model's date, time or date-and-time field is edited with."""
    if isinstance(model_field, models.DateTimeField):
        return SplitDateTimeField
    if isinstance(model_field, models.DateField):
        return DateField
    if isinstance(model_field, models.TimeField):
        return TimeField
    return None


class DateFilter(django_filters.DateFilter):
    field_class = DateField


# ModelAdmin.formfield_overrides: the admin's own widgets (its calendar and clock write
# ISO dates and 24-hour times), these fields under them.
ADMIN_OVERRIDES = {
    models.DateTimeField: {
        "form_class": SplitDateTimeField,
        "widget": admin_widgets.AdminSplitDateTime,
    },
    models.DateField: {"form_class": DateField, "widget": admin_widgets.AdminDateWidget},
    models.TimeField: {"form_class": TimeField, "widget": admin_widgets.AdminTimeWidget},
}
