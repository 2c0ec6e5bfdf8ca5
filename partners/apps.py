from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Organisations and IOP agreements")

    def ready(self):
        # Register menu entries, rules, gallring, the representatives' columns of the
        # user import, the organisations and agreements of the register import, and the
        # lists' exports.
        from partners import (  # noqa: F401
            lists_export,
            menu,
            register_import,
            retention,
            rules,
            user_import,
        )
