from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue forums and meetings")

    def ready(self):
        from dialogues import menu, retention, rules  # noqa: F401 - menu, rules, gallring
