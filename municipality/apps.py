from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalityConfig(AppConfig):
    name = "municipality"
    verbose_name = _("Municipality and bodies")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import pre_delete

        # Their gallring, and the exports' rule.
        from municipality import exports, personal_data, register_import, user_import  # noqa: F401

        pre_delete.connect(
            personal_data.scrub_before_delete,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="scrub_deleted_user",
        )
