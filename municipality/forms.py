"""The base of every form: crispy's Bootstrap 5 layout, the input layer's bounds, and
the edit guard against lost updates."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from municipality import date_fields
from municipality.inputs import MAX_ID, refuse_line_breaks, without_controls


class QuickSelect(forms.Select):
    """A <select> written out in Python rather than through a template per option: a
    choice among thousands (every organisation of a large city) renders in milliseconds
    instead of a second. With `label_field`, a model choice's options are read as (id,
    label) pairs, not as objects (the label field must be what the model prints). Flat
    choices only; anything else renders as Django's Select."""

    def __init__(self, attrs=None, choices=(), label_field=None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def options(self):
        choices = self.choices
        if not (self.label_field and isinstance(choices, ModelChoiceIterator)):
            return list(iter(choices))  # not list(choices): its length is a COUNT query
        field = choices.field
        head = [] if field.empty_label is None else [("", field.empty_label)]
        if getattr(field, "null_label", None) is not None:  # django-filter's "none" choice
            head.append((field.null_value, field.null_label))
        return head + list(choices.queryset.values_list("pk", self.label_field))

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.options()
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = {str(v) for v in self.format_value(value)}
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            selected = " selected" if option in chosen else ""
            parts.append(f'<option value="{escape(option)}"{selected}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value in it was escaped above


def formfield_for(model_field, **kwargs):
    """A web address typed without a scheme is taken to be https://; dates and times are
    read as Swedes write them (municipality.date_fields), whatever field class is asked."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if date_field := date_fields.form_field_class(model_field):
        kwargs["form_class"] = date_field
    return model_field.formfield(**kwargs)


class SafeModelFormMetaclass(forms.models.ModelFormMetaclass):
    """A model form's fields come through `formfield_for` unless its Meta names another
    callback (the admin's, with its own overrides), so no form can forget it."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(formfield_for)
        return super().__new__(mcs, name, bases, attrs)


def ids_in_range(field, clean):
    """A choice of records by id refuses what no id can be (text, 2^70) before the
    database is asked: SQLite cannot even bind such a number."""

    def checked(value):
        chosen = value if isinstance(value, list | tuple) else [value]
        for item in chosen:
            text = str(item).strip() if item is not None else ""
            if text and not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return clean(value)

    return checked


def without_controls_after(to_python):
    """Text of several lines keeps its lines; Word's Shift+Enter becomes one of them and
    other control characters go, so every export can hold what was saved."""

    def cleaned(value):
        return without_controls(to_python(value))

    return cleaned


class InputLayer:
    """Holds every field to the input layer: single-line text stays on one line (a line
    break would split an e-mail header or a calendar line) without control characters,
    longer text loses them. Dates are held to 1900–2200 by their fields
    (municipality.date_fields)."""

    def apply_input_layer(self):
        for field in self.fields.values():
            single_line = isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.Textarea
            )
            if single_line:
                field.validators.append(refuse_line_breaks)
            elif isinstance(field, forms.CharField):
                field.to_python = without_controls_after(field.to_python)
            if isinstance(field, forms.ModelChoiceField):
                field.clean = ids_in_range(field, field.clean)


def comparable(value):
    """A field's value as the edit guard compares it: JSON-safe and the same whether it
    comes from the database or from a cleaned form."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (models.QuerySet, list, tuple)):
        return sorted(getattr(item, "pk", item) for item in value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return str(value)


class EditGuard:
    """Optimistic concurrency: an edit form carries, signed, the record's values as they
    were when it was shown. Saving over someone else's change since then is refused with
    a message naming what they changed; the user's own input stays in the form, and a
    second save (after looking) goes through."""

    SEEN = "seen"
    SALT = "samverkan.edit-guard"

    def add_edit_guard(self):
        if not self.instance.pk:
            return
        self.fields[self.SEEN] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[self.SEEN] = signing.dumps(self._stored(), salt=self.SALT)

    def _guarded_names(self):
        # The record's own fields: not a reverse relation that a form field may share a
        # name with (an agreement's steering group is a forum's link to it).
        model_fields = {
            f.name for f in self.instance._meta.get_fields() if f.concrete or f.many_to_many
        }
        return [name for name in self.fields if name in model_fields]

    def _stored(self, lock=False):
        """The guarded fields as stored now, in a form that survives JSON."""
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection().in_atomic_block:
            # Saving: the check and the save hold the row, so a second save at the same
            # instant waits for the first and then sees its change (PostgreSQL reads each
            # statement's committed rows; without the lock both would pass the check).
            rows = rows.select_for_update()
        fresh = rows.first()
        if fresh is None:
            return {}
        values = {}
        for name in self._guarded_names():
            field = fresh._meta.get_field(name)
            if field.many_to_many:
                values[name] = comparable(list(getattr(fresh, name).values_list("pk", flat=True)))
            else:
                values[name] = comparable(field.value_from_object(fresh))
        return values

    def _take_theirs(self, name, value):
        """Show the other person's value in a field this user left as it was."""
        field = self.fields[name]
        key = self.add_prefix(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            self.data.setlist(key, [str(pk) for pk in value])
        elif isinstance(field, forms.BooleanField):
            if value == "True":
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        else:
            self.data[key] = "" if value is None else value

    def check_edit_guard(self):
        token = self.data.get(self.add_prefix(self.SEEN)) if self.instance.pk else None
        if not token:
            return
        try:
            seen = signing.loads(token, salt=self.SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The form was changed outside the page. Reload it and try again."),
                code="tampered",
            ) from None
        stored = self._stored(lock=True)
        changed = [name for name, value in seen.items() if stored.get(name, value) != value]
        if not changed:
            return
        # The next save is made with the other person's change in view: fields this user
        # left alone show theirs, fields both changed keep this user's input.
        self.data = self.data.copy()
        self.data[self.add_prefix(self.SEEN)] = signing.dumps(stored, salt=self.SALT)
        for name in changed:
            if name in self.cleaned_data and comparable(self.cleaned_data[name]) == seen[name]:
                self._take_theirs(name, stored[name])
        labels = ", ".join(str(self.fields[name].label or name) for name in changed)
        raise forms.ValidationError(
            _(
                "Someone else saved this while you were editing it and changed: %(fields)s. "
                "Nothing was saved. Your changes are still in the form: check theirs on the "
                "record's page, then save again to keep yours."
            )
            % {"fields": labels},
            code="stale",
        )


class SafeModelForm(InputLayer, EditGuard, forms.ModelForm, metaclass=SafeModelFormMetaclass):
    """A model form held to the input layer, guarding against lost updates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_input_layer()
        self.add_edit_guard()

    def clean(self):
        cleaned = super().clean()
        self.check_edit_guard()
        return cleaned


# Checkboxes with a search box over them (static/js/checkbox-filter.js, loaded by
# form_page.html), for a choice among many organisations: no Ctrl-click.
ORGANISATION_CHECKBOXES = "fields/organisation_checkboxes.html"


def checkbox_layout(fields, name):
    """Every field in order, the organisations' choice `name` as searchable checkboxes."""
    return Layout(*[Field(f, template=ORGANISATION_CHECKBOXES) if f == name else f for f in fields])


class CrispyModelForm(SafeModelForm):
    """Bootstrap 5 layout from crispy; the template supplies <form> and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class UserImportForm(forms.Form):
    """The file of users to invite; what it holds is read by municipality.tabular."""

    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("Excel workbook, or CSV with semicolons or commas. At most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,.txt,text/csv,application/vnd.ms-excel"}
        ),
    )


class RegisterImportForm(forms.Form):
    """The file of organisations, agreements or grants; municipality.tabular reads it."""

    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("Excel workbook, or CSV with semicolons or commas. At most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,.txt,text/csv,application/vnd.ms-excel"}
        ),
    )


class ColumnMappingForm(forms.Form):
    """The mapping step: for each column of the file, the field it holds, or none. A
    required field must be chosen, and no field for two columns."""

    def __init__(self, *args, file_columns, kind_columns, initial_choice, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_columns = file_columns
        self.kind_columns = kind_columns
        choices = [("", _("Not used"))] + [
            (column.key, capfirst(str(column.header))) for column in kind_columns
        ]
        for column in file_columns:
            self.fields[f"column_{column.index}"] = forms.ChoiceField(
                label=column.header or _("Column %(number)d") % {"number": column.index + 1},
                choices=choices,
                required=False,
                initial=initial_choice.get(column.index, ""),
            )

    def rows(self):
        """(the file's column, its bound field), for the template's table."""
        return [(column, self[f"column_{column.index}"]) for column in self.file_columns]

    def clean(self):
        cleaned = super().clean()
        chosen = {
            column.index: cleaned.get(f"column_{column.index}", "") for column in self.file_columns
        }
        by_key = {}
        for index, key in chosen.items():
            if key:
                by_key.setdefault(key, []).append(index)
        for column in self.kind_columns:
            indexes = by_key.get(column.key, [])
            if len(indexes) > 1:
                for index in indexes:
                    self.add_error(
                        f"column_{index}",
                        _("“%(field)s” is chosen for more than one column: choose it once.")
                        % {"field": capfirst(str(column.header))},
                    )
            if column.required and not indexes:
                self.add_error(
                    None,
                    _("Choose the column that holds “%(field)s”: the import needs it.")
                    % {"field": capfirst(str(column.header))},
                )
        cleaned["chosen"] = chosen
        return cleaned
