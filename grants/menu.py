"""The app's entries in the main menu (municipality.navigation)."""

from django.utils.translation import gettext_lazy as _

from municipality.navigation import register

register(60, "grant_list", _("Grants"), "read_register")
