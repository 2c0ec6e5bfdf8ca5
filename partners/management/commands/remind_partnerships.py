import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners import reminders


class Command(BaseCommand):
    help = (
        "E-mail the responsible förvaltning's staff about IOP agreements ending within "
        "--days, whose last day to give notice falls within --days, or whose follow-up for "
        "last year is missing. Each reminder goes once per agreement and threshold: safe to "
        "run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Look this many days ahead.")
        parser.add_argument("--today", help="Run as if today were YYYY-MM-DD (for testing).")
        parser.add_argument(
            "--base-url", default="", help="Prefix for links, e.g. https://samverkan.kommun.se"
        )

    def handle(self, *args, days, today=None, base_url="", **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            today = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date written YYYY-MM-DD.") from None
        sent, without = reminders.send_due(today, days, base_url=base_url.rstrip("/"))
        for reminder in sent:
            self.stdout.write(f"skickad: {reminder.subject}")
        for reminder in without:
            self.stderr.write(
                f"ingen mottagare: {reminder.subject} ({reminder.partnership.run_by} saknar "
                "tjänstepersoner med e-post)"
            )
        self.stdout.write(f"{len(sent)} påminnelser skickade.")
