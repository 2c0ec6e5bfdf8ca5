import django_filters
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

    class Meta:
        model = Grant
        fields = ["year", "scheme", "committee", "organisation", "status"]

    def __init__(self, *args, user, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["scheme"].queryset = GrantScheme.objects.visible_to(user)
        self.filters["committee"].queryset = Body.objects.filter(
            municipality_id=municipality_id, kind=Body.Kind.COMMITTEE
        )
        self.filters["organisation"].queryset = Organisation.objects.visible_to(user)

    def by_status(self, queryset, name, value):
        """The status follows from payments and reports: figured for every grant here."""
        return queryset.with_figures().filter(status=value)

    def describe(self):
        """The filter in words, for the workbook's "Om uttaget" sheet."""
        nothing = [(str(_("Filter")), str(_("none")))]
        if not self.is_bound or not self.form.is_valid():
            return nothing
        return [
            (str(self.filters[name].label), str(value))
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        ] or nothing
