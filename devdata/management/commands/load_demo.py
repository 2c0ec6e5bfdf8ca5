"""`manage.py load_demo`: the demo municipalities, bodies, users and each feature's demo
data (devdata.demo), with the logins printed. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from devdata.demo import FEATURES
from devdata.demo.municipality import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo municipalities, bodies and users (and each app's demo data). "
        "Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, quiet_logins=False, **options):
        with transaction.atomic():
            users = []
            for feature in FEATURES:
                users = feature.build() or users
        self.stdout.write(self.style.SUCCESS("Demodata är på plats."))
        if not quiet_logins:
            self.stdout.write(login_table(users))


def login_table(users):
    rows = [("roll", "användarnamn", "lösenord")]
    rows += [(user.get_role_display(), user.username, DEMO_PASSWORD) for user in users]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["Demoinloggningar:"]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(("  " + " | ".join(cells)).rstrip())
    return "\n".join(lines)
