import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipality.models import Body, Membership, Municipality, Role, User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("All"))
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all(), empty_label=_("All")
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Committee or administration"),
        queryset=Body.objects.select_related("municipality"),
        method="filter_body",
        empty_label=_("All"),
    )

    class Meta:
        model = User
        fields = ["q", "role", "municipality", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].field.help_text = _("Name, user name, e-mail or organisation")

    def search(self, queryset, name, value):
        value = value.strip()
        represents = User.objects.filter(
            representations__organisation__name__icontains=value
        ).values("pk")
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(username__icontains=value)
            | Q(email__icontains=value)
            | Q(pk__in=represents)
        )

    def filter_body(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.filter(body=value).values("user_id"))
