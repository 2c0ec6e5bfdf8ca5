from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue forums and meetings")

    def ready(self):
        # Menu entries, rules, gallring and the lists' exports.
        from dialogues import lists_export, menu, retention, rules  # noqa: F401
