from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        # Registers its exports, menu entry, rules and the grants of the register import.
        from grants import exports, grant_import, lists_export, menu, rules  # noqa: F401
