"""Every date, time and date-and-time field in the product reads what a Swede writes
(municipality.date_fields), found from the forms themselves: every form class in the
apps' modules, every filter set's filters, and every admin page's form and inlines. A new
field of Django's own kind, anywhere, fails here."""

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from municipality import date_fields

APPS = ["municipality", "partners", "dialogues", "grants", "overview"]
TEMPORAL = (forms.DateField, forms.TimeField, forms.DateTimeField, forms.SplitDateTimeField)
SWEDISH = (
    date_fields.DateField,
    date_fields.TimeField,
    date_fields.DateTimeField,
    date_fields.SplitDateTimeField,
)


def project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name:
                yield importlib.import_module(info.name)


def subclasses(base):
    found, queue = set(), [base]
    while queue:
        for cls in queue.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                queue.append(cls)
    return found


def ours(cls):
    return cls.__module__.split(".")[0] in APPS


def form_classes():
    list(project_modules())  # every form class is defined once its module is imported
    return sorted(
        (cls for cls in subclasses(forms.BaseForm) if ours(cls)), key=lambda c: c.__qualname__
    )


def temporal(fields):
    return {name: field for name, field in fields.items() if isinstance(field, TEMPORAL)}


def not_swedish(where, fields):
    return [
        f"{where}.{name}: {type(field).__module__}.{type(field).__name__}"
        for name, field in temporal(fields).items()
        if not isinstance(field, SWEDISH)
    ]


def form_fields():
    """(where, fields) for every form class, filter set and admin form in the product."""
    for cls in form_classes():
        yield f"{cls.__module__}.{cls.__qualname__}", cls.base_fields
    list(project_modules())
    for filterset in subclasses(django_filters.FilterSet):
        if ours(filterset):
            fields = {name: f.field for name, f in filterset.base_filters.items()}
            yield f"{filterset.__module__}.{filterset.__qualname__}", fields


def admin_fields(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not ours(model):
            continue
        for obj in (None, model()):
            where = f"admin {model._meta.label}"
            yield where, model_admin.get_form(request, obj).base_fields
            for inline in model_admin.get_inline_instances(request, obj):
                formset = inline.get_formset(request, obj)
                yield f"{where} inline {inline.model._meta.label}", formset.form.base_fields


def test_every_form_and_filter_reads_dates_as_swedes_write_them():
    wrong = [line for where, fields in form_fields() for line in not_swedish(where, fields)]
    assert wrong == []


@pytest.mark.django_db
def test_every_admin_page_reads_dates_as_swedes_write_them(cast):
    wrong = [
        line for where, fields in admin_fields(cast.admin) for line in not_swedish(where, fields)
    ]
    assert wrong == []


def test_the_walk_finds_the_date_fields_people_fill():
    """The walk above is not vacuous: it sees the meeting's start, a filter's date and a
    plain form's date."""
    found = {f"{where}.{name}" for where, fields in form_fields() for name in temporal(fields)}
    assert {
        "dialogues.forms.MeetingForm.start",
        "dialogues.forms.MeetingForm.end",
        "dialogues.filters.MeetingFilter.after",
        "grants.forms.ReversalForm.paid_on",
        "partners.forms.FollowUpForm.plan_next",
    } <= found


@pytest.mark.django_db
def test_the_admin_walk_finds_the_meetings_start(cast):
    found = {
        f"{where}.{name}" for where, fields in admin_fields(cast.admin) for name in temporal(fields)
    }
    assert "admin dialogues.Meeting.start" in found
    assert "admin partners.Partnership inline partners.FollowUp.date" in found


def test_a_field_of_djangos_own_kind_would_be_found():
    class Careless(forms.Form):
        day = forms.DateField()
        at = forms.SplitDateTimeField()

    assert not_swedish("Careless", Careless.base_fields) == [
        "Careless.day: django.forms.fields.DateField",
        "Careless.at: django.forms.fields.SplitDateTimeField",
    ]
