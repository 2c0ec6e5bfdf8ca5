from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from municipality import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by backup_database. "
        "Stop the service first: what was written after the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The file backup_database wrote.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, backup, interactive=True, **options):
        connection = connections["default"]
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"Allt i databasen {name} ersätts med {backup}. Skriv 'ja': ")
            if answer.strip().lower() != "ja":
                raise CommandError("Återställningen avbröts.")
        connection.close()
        try:
            backups.restore(connection.settings_dict, backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Databasen {name} är återställd från {backup}.")
