"""`manage.py seed_scale`: a large-city data set, synthetic and reproducible, for measuring.

It writes into every app (bodies and users, organisations and agreements, forums and
meetings, grants and payments, and their change history), so like `load_demo` it is a
composition root and lives beside it in `devdata`, at the top, which may know every app.
Unlike `load_demo` it makes no attempt to be idempotent: it refuses a database that
already holds data unless told otherwise (`--allow-existing`, alias `--force`), and then
adds new municipalities beside what is there.

Everything is written with bulk operations in one transaction, and every value is drawn
from `random.Random(--seed)` relative to `--today`, so the same options give the same data.
Sizes are totals, shared evenly between the municipalities. The builders, one per feature,
are in `devdata.scale`.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devdata import scale
from dialogues import feed_revisions
from municipality.models import Municipality, User

PASSWORD = "samverkan2026"

# The sizes of the large city (one municipality), the defaults here.
LARGE = {
    "municipalities": 1,
    "organisations": 5000,
    "meetings": 50000,
    "observations": 20000,
    "agreements": 2000,
    "grants": 50000,
}


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large, synthetic, reproducible data set (a large city): "
        "bodies, users, organisations, forums, meetings with attendance and issues, IOP "
        "agreements with follow-ups, grants with payments and reports back, and history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=LARGE["municipalities"])
        parser.add_argument("--organisations", type=int, default=LARGE["organisations"])
        parser.add_argument(
            "--forums", type=int, default=None, help="Default: one per 20 organisations."
        )
        parser.add_argument("--meetings", type=int, default=LARGE["meetings"])
        parser.add_argument(
            "--invited",
            type=float,
            default=5.4,
            help="Organisations invited per meeting, on average.",
        )
        parser.add_argument("--observations", type=int, default=LARGE["observations"])
        parser.add_argument("--agreements", type=int, default=LARGE["agreements"])
        parser.add_argument("--grants", type=int, default=LARGE["grants"])
        parser.add_argument(
            "--years", type=int, default=20, help="How far back the history goes (years)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data is drawn around (YYYY-MM-DD); default today.",
        )
        parser.add_argument("--password", default=PASSWORD, help="Every user's password.")
        parser.add_argument(
            "--allow-existing",
            "--force",
            action="store_true",
            dest="allow_existing",
            help="Add to a database that already holds data (new municipalities beside it).",
        )

    def handle(self, *args, **options):
        if options["municipalities"] < 1 or options["organisations"] < options["municipalities"]:
            raise CommandError("At least one municipality, with at least one organisation each.")
        if not options["allow_existing"] and (
            Municipality.objects.exists() or User.objects.exists()
        ):
            raise CommandError(
                "The database already holds data. seed_scale fills an empty database; "
                "give --allow-existing to add to this one anyway."
            )
        run = scale.Run(options, self.stdout)
        with transaction.atomic():
            counts = scale.build(run)
            # Written in bulk, past the signals that raise a feed's revision.
            feed_revisions.everything_changed()
        seconds = time.perf_counter() - run.began
        self.stdout.write(self.style.SUCCESS(f"seed_scale: built in {seconds:.1f} s"))
        for name, number in counts.items():
            self.stdout.write(f"  {name}: {number}")
        self.stdout.write(f"Logins (password {options['password']!r}):")
        for role, username in run.logins:
            self.stdout.write(f"  {role}: {username}")
