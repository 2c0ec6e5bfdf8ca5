from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Pages that gather across the features: above them, known by none of them."""

    name = "overview"
    verbose_name = _("Overview")

    def ready(self):
        from overview import menu, rules  # noqa: F401 - register its menu entry and rules
