import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipality import text_search
from municipality.archive import ArchivedFilterSet
from municipality.models import Body
from partners import orgnr
from partners.models import Area, Organisation, Partnership, TargetGroup


class OrganisationFilter(ArchivedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=Organisation.LegalForm.choices, empty_label=_("All")
    )
    target_groups = django_filters.ModelChoiceFilter(
        label=_("Target group"), queryset=TargetGroup.objects.all(), empty_label=_("All")
    )
    areas = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.none(), empty_label=_("All")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Active"),
        choices=[("1", _("Active")), ("0", _("Inactive"))],
        method="filter_active",
        empty_label=_("All"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "legal_form", "target_groups", "areas", "is_active", "archived"]

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].field.help_text = _("Name, city or organisation number")
        self.filters["areas"].queryset = Area.objects.filter(municipality_id=municipality_id)

    def search(self, queryset, name, value):
        """Name, or the organisation number written with or without its hyphen."""
        value = value.strip()
        if orgnr.looks_like_orgnr(value):
            digits = orgnr.digits_of(value)[-10:]
            return queryset.filter(org_number=f"{digits[:6]}-{digits[6:]}")
        return text_search.search(
            queryset, value, ["name", "city"], also=Q(org_number__startswith=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class PartnershipFilter(ArchivedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Partnership.Status.choices,
        method="filter_status",
        empty_label=_("All"),
    )
    run_by = django_filters.ModelChoiceFilter(
        label=_("Run by"), queryset=Body.objects.none(), empty_label=_("All")
    )
    mine = django_filters.BooleanFilter(
        label=_("Only those I keep"), method="filter_mine", widget=forms.CheckboxInput
    )
    follow_up_overdue = django_filters.BooleanFilter(
        label=_("Only with a follow-up overdue"),
        method="filter_follow_up_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Partnership
        fields = ["q", "status", "run_by", "mine", "follow_up_overdue", "archived"]

    def __init__(self, *args, user=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not Partnership.objects.editable_by(user).exists():
            del self.filters["mine"]  # nothing of their own to narrow to
        self.filters["q"].field.help_text = _("Title, case number or party")
        self.filters["run_by"].queryset = Body.objects.filter(
            municipality_id=municipality_id, kind=Body.Kind.ADMINISTRATION
        )

    def search(self, queryset, name, value):
        value = value.strip()
        matching = Q(title__icontains=value) | Q(case_number__icontains=value)
        parties = Partnership.objects.filter(parties__name__icontains=value).values("pk")
        return queryset.filter(matching | Q(pk__in=parties))

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Partnership.objects.editable_by(self.user).values("pk"))

    def filter_follow_up_overdue(self, queryset, name, value):
        return queryset.follow_up_overdue() if value else queryset
