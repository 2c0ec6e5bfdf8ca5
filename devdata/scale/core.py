"""What every part of a scale build shares: the run's random draws and day, the bulk
writer with its counts, the change history written beside the rows, and the city being
built, which each feature's builder fills in for those after it."""

import datetime
import random
import time
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from devdata.scale.words import FIRST_NAMES, LAST_NAMES

BATCH = 2000


def chunks(items, size=BATCH):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class City:
    """One municipality as it is built: each feature's builder sets its part."""

    index: int
    place: Any
    bodies: Any = None  # devdata.scale.municipality.Bodies
    areas: Any = None
    orgs: Any = None  # devdata.scale.partners.Organisations
    forums: Any = None  # devdata.scale.dialogues.Forums
    meetings: Any = None  # [devdata.scale.dialogues.MeetingRow]


class Run:
    """One seed_scale run. Every value is drawn from `rng`, in the order the builders
    ask, so the same options give the same data."""

    def __init__(self, options, out):
        self.rng = random.Random(options["seed"])
        self.today = options["today"] or timezone.localdate()
        self.years = options["years"]
        self.first_day = self.today - relativedelta(years=self.years)
        self.options = options
        self.out = out
        self.counts = {}
        self.began = time.perf_counter()
        self.password = make_password(options["password"])
        self.zone = timezone.get_current_timezone()
        self.logins = []

    def say(self, message):
        if self.options["verbosity"] >= 1:
            self.out.write(f"  {time.perf_counter() - self.began:6.1f} s  {message}")

    def count(self, model, n):
        name = model._meta.label
        self.counts[name] = self.counts.get(name, 0) + n

    def bulk(self, model, objects):
        """bulk_create in batches from an iterable; returns the created objects (with pks)."""
        created = []
        for batch in chunks(objects):
            created += model.objects.bulk_create(batch)
        self.count(model, len(created))
        return created

    def history(self, model, objects, when, who, update=False):
        """One historical record per object: `when(obj)` and `who(obj)` say when and by
        whom. Returns the records, in the order of `objects`."""
        records = []
        for batch in chunks(objects):
            for obj in batch:
                obj._history_date = when(obj)
                obj._history_user = who(obj)
            records += model.history.bulk_history_create(batch, update=update)
        self.counts["history rows"] = self.counts.get("history rows", 0) + len(records)
        return records

    def history_sets(self, model, records):
        """The many-to-many sets kept with each historical record (HistoryWithSets): the
        sets as they stand now, which is what they were when the records were made."""
        ids = sorted({record.id for record in records})
        for m2m_field in model.history.model._history_m2m_fields:
            history_through = getattr(model.history.model, m2m_field.name).model
            through = getattr(model, m2m_field.name).through
            source = m2m_field.m2m_field_name()
            target = m2m_field.m2m_reverse_field_name()
            current = {}
            for batch in chunks(ids):
                for pk, source_id, target_id in through.objects.filter(
                    **{f"{source}_id__in": batch}
                ).values_list("pk", f"{source}_id", f"{target}_id"):
                    current.setdefault(source_id, []).append((pk, target_id))
            rows = (
                history_through(
                    id=pk,
                    history_id=record.history_id,
                    **{f"{source}_id": record.id, f"{target}_id": target_id},
                )
                for record in records
                for pk, target_id in current.get(record.id, ())
            )
            created = 0
            for batch in chunks(rows):
                created += len(history_through.objects.bulk_create(batch))
            self.counts["history rows"] = self.counts.get("history rows", 0) + created

    def links(self, through, rows):
        """Many-to-many rows in batches (not counted: the sets belong to their rows)."""
        for batch in chunks(rows):
            through.objects.bulk_create(batch)

    def moment(self, day, hour=10, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    def day_between(self, first, last):
        span = (last - first).days
        return first + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def weekday_between(self, first, last):
        day = self.day_between(first, last)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
