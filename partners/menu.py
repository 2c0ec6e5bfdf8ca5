"""The app's entries in the main menu (municipality.navigation)."""

from django.utils.translation import gettext_lazy as _

from municipality.navigation import register

register(40, "organisation_list", _("Organisations"), "read_register")
register(50, "partnership_list", _("IOP agreements"), "read_register")
