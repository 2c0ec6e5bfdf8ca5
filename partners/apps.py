from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Organisations and IOP agreements")

    def ready(self):
        # Register menu entries, rules, gallring, the representatives' columns of the
        # user import, and the organisations and agreements of the register import.
        from partners import menu, register_import, retention, rules, user_import  # noqa: F401
