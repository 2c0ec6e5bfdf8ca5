import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.models import Forum, Meeting, Observation
from municipality import text_search
from municipality.archive import ArchivedFilterSet
from municipality.date_fields import DateFilter
from municipality.forms import QuickSelect
from municipality.models import Body
from partners.models import Organisation


def owner_filter(queryset, name, body):
    prefix = "forum__" if queryset.model is Meeting else ""
    return queryset.filter(**{f"{prefix}owner": body})


class ForumFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Search"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Forum.Kind.choices, empty_label=_("All")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=Body.objects.none(), method=owner_filter, empty_label=_("All")
    )

    class Meta:
        model = Forum
        fields = ["name", "kind", "owner"]

    def __init__(self, *args, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = Body.objects.filter(municipality_id=municipality_id)


class MeetingFilter(ArchivedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Title, place, agenda or forum"),
    )
    forum = django_filters.ModelChoiceFilter(
        label=_("Forum"),
        queryset=Forum.objects.none(),
        empty_label=_("All"),
        widget=QuickSelect(label_field="name"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=Body.objects.none(),
        method=owner_filter,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="forum__kind", choices=Forum.Kind.choices, empty_label=_("All")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        method="filter_organisation",
        empty_label=_("All"),
        widget=QuickSelect(label_field="name"),
    )
    after = DateFilter(label=_("From"), field_name="start", method="filter_after")
    before = DateFilter(label=_("To"), field_name="start", method="filter_before")
    mine = django_filters.BooleanFilter(
        label=_("Only my bodies' meetings"), method="filter_mine", widget=forms.CheckboxInput
    )
    unlogged = django_filters.BooleanFilter(
        label=_("Only those not yet logged"), method="filter_unlogged", widget=forms.CheckboxInput
    )

    class Meta:
        model = Meeting
        fields = [
            "q",
            "forum",
            "owner",
            "kind",
            "organisation",
            "after",
            "before",
            "mine",
            "unlogged",
            "archived",
        ]

    def __init__(self, *args, user=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["forum"].queryset = Forum.objects.visible_to(user)
        self.filters["owner"].queryset = Body.objects.filter(municipality_id=municipality_id)
        self.filters["organisation"].queryset = Organisation.objects.visible_to(user)

    def search(self, queryset, name, value):
        """Not the minutes: a representative, who may not read them, could search them."""
        return text_search.search(queryset, value, ["title", "place", "agenda", "forum__name"])

    def filter_after(self, queryset, name, day):
        return queryset.starting_on(first=day)

    def filter_before(self, queryset, name, day):
        return queryset.starting_on(last=day)

    def filter_organisation(self, queryset, name, organisation):
        return queryset.filter(invitations__organisation=organisation).distinct()

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Meeting.objects.mine(self.user).values("pk"))

    def filter_unlogged(self, queryset, name, value):
        return queryset.awaiting_log() if value else queryset


class ObservationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("What was raised, its theme, the response or the organisation"),
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Forwarded to"),
        field_name="forwarded_to",
        queryset=Body.objects.none(),
        empty_label=_("All"),
    )
    NOT_HANDLED = "ej_hanterad"
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(NOT_HANDLED, _("not yet handled")), *Observation.Status.choices],
        method="filter_status",
        empty_label=_("All"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Only forwarded to my bodies"), method="filter_mine", widget=forms.CheckboxInput
    )

    class Meta:
        model = Observation
        fields = ["q", "body", "status", "overdue", "mine"]

    def __init__(self, *args, user=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["body"].queryset = Body.objects.filter(municipality_id=municipality_id)

    def search(self, queryset, name, value):
        return text_search.search(
            queryset, value, ["theme", "text", "response", "organisation__name"]
        )

    def filter_status(self, queryset, name, value):
        if value == self.NOT_HANDLED:
            return queryset.not_handled()
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        mine = Observation.objects.forwarded_to_own_bodies(self.user)
        return queryset.filter(pk__in=mine.values("pk"))
