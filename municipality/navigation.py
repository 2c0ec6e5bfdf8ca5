"""The main navigation, fitted to the user's role.

Each entry names the access rule that opens its page, so the menu never offers a page
that would answer 403.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipality import access

# (place, url name, label, rule): each app adds its own entries from its `menu.py`, so
# the base names no feature's page.
NAVIGATION = []


def register(place, url_name, label, rule):
    """Add a menu entry; `place` orders the entries across apps."""
    NAVIGATION.append((place, url_name, label, rule))
    NAVIGATION.sort(key=lambda entry: entry[0])


register(70, "body_list", _("Committees"), "read_register")
register(110, "user_list", _("Users and roles"), "see_users_and_roles")
register(120, "admin:index", _("Administration"), "administer")


def items_for(user, current_path=""):
    items = []
    for _place, url_name, label, rule in NAVIGATION:
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
