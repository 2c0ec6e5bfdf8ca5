"""The main navigation, fitted to the user's role.

Each entry names the access rule that opens its page, so the menu never offers a page
that would answer 403.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipality import access

NAVIGATION = [
    # (url name, label, rule)
    ("home", _("Start"), "read_register"),
    ("meeting_list", _("Meetings"), "read_register"),
    ("forum_list", _("Forums"), "read_register"),
    ("observation_list", _("Raised issues"), "read_register"),
    ("organisation_list", _("Organisations"), "read_register"),
    ("partnership_list", _("IOP agreements"), "read_register"),
    ("grant_list", _("Grants"), "read_register"),
    ("body_list", _("Committees"), "read_register"),
    ("structures_report", _("Dialogue structures"), "read_municipality_reports"),
    ("calendar_subscriptions", _("Calendar"), "read_register"),
    ("user_list", _("Users and roles"), "see_users_and_roles"),
    ("admin:index", _("Administration"), "administer"),
]


def items_for(user, current_path=""):
    items = []
    for url_name, label, rule in NAVIGATION:
        if not access.allows(user, rule):
            continue
        url = reverse(url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return items


def navigation(request):
    """Template context: `nav_items` for the menu. Pages ask named rules, not roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(user, request.path)}
