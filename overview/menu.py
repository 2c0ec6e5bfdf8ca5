"""The app's entries in the main menu (municipality.navigation)."""

from django.utils.translation import gettext_lazy as _

from municipality.navigation import register

register(0, "home", _("Start"), "read_register")
