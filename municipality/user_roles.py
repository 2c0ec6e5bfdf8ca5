"""Who holds which role, where: the administrators' overview of users, as a list and a
workbook. Everything a row shows is fetched up front, so the number of queries does not
grow with the number of users."""

import io

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from municipality.models import Membership, User
from municipality.spreadsheet import Book, Column


def for_table(users=None):
    """Users with their municipality, memberships and representations, in a fixed number
    of queries (the base app names the representations by relation, not by import)."""
    users = User.objects.all() if users is None else users
    return (
        users.select_related("municipality")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("body")),
            "representations__organisation",
        )
        .order_by("last_name", "first_name", "username")
    )


def memberships_of(user):
    """Body names, each with the title held there."""
    return [
        f"{m.body.name} ({m.title})" if m.title else m.body.name for m in user.memberships.all()
    ]


def representations_of(user):
    return [r.organisation.name for r in user.representations.all()]


def status_of(user):
    if not user.is_active:
        return _("Inactive")
    if not user.has_usable_password():
        return _("Invited, no password yet")
    return _("Active")


def workbook(users, today=None):
    """The list as .xlsx bytes, by the service's one spreadsheet writer (names and titles
    that look like formulas stay text)."""
    today = today or timezone.localdate()
    columns = [
        Column(_("Name")),
        Column(_("User name")),
        Column(_("E-mail")),
        Column(_("Role")),
        Column(_("Municipality")),
        Column(_("Memberships")),
        Column(_("Represents")),
        Column(_("Status")),
        Column(_("Last login"), "datetime"),
    ]
    rows = (
        [
            user.get_full_name(),
            user.get_username(),
            user.email,
            user.get_role_display(),
            user.municipality.name if user.municipality else "",
            "; ".join(memberships_of(user)),
            "; ".join(representations_of(user)),
            status_of(user),
            timezone.localtime(user.last_login).replace(tzinfo=None) if user.last_login else None,
        ]
        for user in users
    )
    book = Book()
    count = book.table(_("Users and roles"), columns, rows)
    book.facts(_("About the export"), [(_("Exported"), today), (_("Users"), count)])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
