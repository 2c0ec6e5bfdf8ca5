"""Thin out personal data past its retention period; safe to run daily from cron."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from municipality import personal_data


class Command(BaseCommand):
    help = "Thin out personal data past its retention period (gallring). Safe to run daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be thinned out; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = personal_data.gallra(dry_run=dry_run)
        for kind, (label, _step) in personal_data.RETENTION.items():
            self.stdout.write(f"{label}: {counts[kind]}")
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
