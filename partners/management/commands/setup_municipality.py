from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipality import founding
from partners.founding import add_default_choices


class Command(BaseCommand):
    help = (
        "Set up a municipality: its name, kommunkod and, from an optional CSV file, its "
        "nämnder and the förvaltningar serving them (format: municipality/founding.py); "
        "default target groups and areas where there are none. Safe to run again: only "
        "what is missing is added."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The municipality's name, e.g. 'Lunds kommun'.")
        parser.add_argument("code", help="Kommunkod, four digits, e.g. 1281.")
        parser.add_argument("--bodies", type=Path, help="CSV file of nämnder and förvaltningar.")

    def handle(self, *args, name, code, bodies=None, **options):
        try:
            rows = founding.read_bodies(bodies.read_text(encoding="utf-8")) if bodies else []
            with transaction.atomic():
                municipality, added = founding.found(name=name, code=code, rows=rows)
                added += add_default_choices(municipality)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{bodies}: {error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in added:
            self.stdout.write(f"lade till {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality.name} ({municipality.code}) är på plats"
                + ("." if added else "; inget behövde läggas till.")
            )
        )
