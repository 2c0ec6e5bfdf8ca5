from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Only the management commands: no models, no migrations, no pages."""

    name = "devdata"
