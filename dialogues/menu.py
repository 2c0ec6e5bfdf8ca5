"""The app's entries in the main menu (municipality.navigation)."""

from django.utils.translation import gettext_lazy as _

from municipality.navigation import register

register(10, "meeting_list", _("Meetings"), "read_register")
register(20, "forum_list", _("Forums"), "read_register")
register(30, "observation_list", _("Raised issues"), "read_register")
register(80, "structures_report", _("Dialogue structures"), "read_municipality_reports")
register(90, "calendar_subscriptions", _("Calendar"), "read_register")
