import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from municipality import user_roles
from municipality.models import User


def lines(values):
    return format_html_join(mark_safe("<br>"), "{}", ((value,) for value in values))


class UserTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), empty_values=(), order_by=("last_name", "first_name")
    )
    username = tables.Column(verbose_name=_("User name"))
    email = tables.Column(verbose_name=_("E-mail"))
    role = tables.Column(verbose_name=_("Role"))
    municipality = tables.Column(verbose_name=_("Municipality"), order_by="municipality__name")
    memberships = tables.Column(verbose_name=_("Memberships"), empty_values=(), orderable=False)
    representations = tables.Column(verbose_name=_("Represents"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta:
        model = User
        fields = [
            "name",
            "username",
            "email",
            "role",
            "municipality",
            "memberships",
            "representations",
            "status",
        ]
        empty_text = _("No users match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_name(self, record):
        return record.get_full_name() or "–"

    def render_role(self, record):
        return record.get_role_display()

    def render_memberships(self, record):
        return lines(user_roles.memberships_of(record)) or "–"

    def render_representations(self, record):
        return lines(user_roles.representations_of(record)) or "–"

    def render_status(self, record):
        return user_roles.status_of(record)
