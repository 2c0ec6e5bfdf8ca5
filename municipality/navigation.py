"""The main navigation, fitted to the user's role.

Each app adds its entries to NAVIGATION; an entry names the roles that see it, so the
menu never offers a page that would answer 403.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipality import access

ALL_ROLES = frozenset({"staff", "elected", "representative", "auditor", "admin"})

NAVIGATION = [
    # (url name, label, roles)
    ("home", _("Start"), ALL_ROLES),
    ("meeting_list", _("Meetings"), ALL_ROLES),
    ("forum_list", _("Forums"), ALL_ROLES),
    ("observation_list", _("Raised issues"), ALL_ROLES),
    ("organisation_list", _("Organisations"), ALL_ROLES),
    ("partnership_list", _("IOP agreements"), ALL_ROLES),
    ("grant_list", _("Grants"), ALL_ROLES),
    ("body_list", _("Committees"), ALL_ROLES),
    ("structures_report", _("Dialogue structures"), ALL_ROLES - {"representative"}),
    ("calendar_subscriptions", _("Calendar"), ALL_ROLES),
]


def items_for(user, current_path=""):
    scope = access.scope_for(user)
    items = []
    for url_name, label, roles in NAVIGATION:
        if scope.role not in roles:
            continue
        url = reverse(url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return items


def navigation(request):
    """Template context: `nav_items` for the menu, `scope` for role-dependent bits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "scope": access.ANONYMOUS}
    return {"nav_items": items_for(user, request.path), "scope": access.scope_for(user)}
