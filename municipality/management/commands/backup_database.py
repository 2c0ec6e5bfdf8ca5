from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from municipality import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file, safely while the service runs: SQLite with "
        "its online backup API, PostgreSQL with pg_dump --format=custom."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out",
            nargs="?",
            help="The file to write (default: var/backups/samverkan-<date and time>).",
        )

    def handle(self, *args, out=None, **options):
        settings_dict = connections["default"].settings_dict
        if out is None:
            stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
            out = f"var/backups/samverkan-{stamp}{backups.suffix(settings_dict)}"
        try:
            backups.back_up(settings_dict, out)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Säkerhetskopian är skriven till {out}.")
