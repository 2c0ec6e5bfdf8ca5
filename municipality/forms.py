"""The base of every form: crispy's Bootstrap 5 layout and the input layer's bounds."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipality.inputs import date_in_range, refuse_line_breaks


class DateInput(forms.DateInput):
    """A plain text field showing ÅÅÅÅ-MM-DD: a browser date picker would show the
    browser's own format (often month/day) instead of ISO."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("YYYY-MM-DD"), "inputmode": "numeric", **(attrs or {})},
            format="%Y-%m-%d",
        )


def formfield_for(model_field, **kwargs):
    """A web address typed without a scheme is taken to be https://."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class InputLayer:
    """Holds every field to the input layer: single-line text stays on one line (a line
    break would split an e-mail header or a calendar line), dates fall within 1900–2200."""

    def apply_input_layer(self):
        for field in self.fields.values():
            single_line = isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.Textarea
            )
            if single_line:
                field.validators.append(refuse_line_breaks)
            if isinstance(field, (forms.DateField, forms.DateTimeField)):
                field.validators.append(date_in_range)


class SafeModelForm(InputLayer, forms.ModelForm):
    """A model form held to the input layer (formsets' rows, the admin)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_input_layer()


class CrispyModelForm(SafeModelForm):
    """Bootstrap 5 layout from crispy; the template supplies <form> and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
