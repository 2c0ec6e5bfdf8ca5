from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogue forums and meetings")

    def ready(self):
        # Menu entries, rules, gallring and the lists' exports.
        from dialogues import feed_revisions, lists_export, menu, retention, rules  # noqa: F401

        feed_revisions.connect()
