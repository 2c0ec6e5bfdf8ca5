import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Grant, GrantScheme
from municipality.forms import QuickSelect
from municipality.models import Body
from partners.models import Organisation


class GrantFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    scheme = django_filters.ModelChoiceFilter(
        label=_("Scheme"),
        queryset=GrantScheme.objects.none(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"),
        field_name="scheme__committee",
        queryset=Body.objects.none(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("All"),
        widget=QuickSelect(label_field="name"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Grant.Status.choices, empty_label=_("All"), method="by_status"
    )
    mine = django_filters.BooleanFilter(
        label=_("Only those I keep"), method="filter_mine", widget=forms.CheckboxInput
    )
    report_overdue = django_filters.BooleanFilter(
        label=_("Only with a report back overdue"),
        method="filter_report_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Grant
        fields = ["year", "scheme", "committee", "organisation", "status", "mine", "report_overdue"]

    def __init__(self, *args, user, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not Grant.objects.editable_by(user).exists():
            del self.filters["mine"]  # nothing of their own to narrow to
        self.filters["scheme"].queryset = GrantScheme.objects.visible_to(user)
        self.filters["committee"].queryset = Body.objects.filter(
            municipality_id=municipality_id, kind=Body.Kind.COMMITTEE
        )
        self.filters["organisation"].queryset = Organisation.objects.visible_to(user)

    def by_status(self, queryset, name, value):
        """The status follows from payments and reports: figured for every grant here."""
        return queryset.with_figures().filter(status=value)

    def chosen(self):
        """(label, value) of each filter set, in words."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return [
            (str(self.filters[name].label), str(_("yes")) if value is True else str(value))
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False)
        ]

    def describe(self):
        """The filter in words, for the workbook's "Om uttaget" sheet."""
        return self.chosen() or [(str(_("Filter")), str(_("none")))]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Grant.objects.editable_by(self.user).values("pk"))

    def filter_report_overdue(self, queryset, name, value):
        return queryset.report_overdue() if value else queryset
