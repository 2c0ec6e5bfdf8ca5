"""Change history read from django-simple-history, field by field, for "Historik" sections.

Many-to-many fields declared with `HistoryWithSets(m2m_fields=…)` count as fields: each
record keeps the whole set, shown as the names joined. Saving a form writes one record for
the fields and then one for each change of a set, marked `SET_CHANGE`; those that follow
within `SAME_EDIT` by the same user are shown in the entry before them, as the person made
one change.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.base import ModelState
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipality.money import KronorField, format_kronor

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("removed")}
SAME_EDIT = datetime.timedelta(seconds=5)
SET_CHANGE = "set changed"


class HistoryWithSets(HistoricalRecords):
    """Historical records whose records of a changed many-to-many set are marked as such."""

    def m2m_changed(self, instance, *args, **kwargs):
        instance._change_reason = SET_CHANGE
        try:
            super().m2m_changed(instance, *args, **kwargs)
        finally:
            del instance._change_reason


@dataclass
class Change:
    label: str
    old: str | None  # None when the object was created
    new: str


@dataclass
class Entry:
    when: object
    who: object
    action: str
    title: str
    changes: list = field(default_factory=list)
    # Why, where the writer said: an import names its file.
    reason: str = ""


@dataclass
class _Latest:
    entry: Entry
    who_id: int | None
    when: object


def _display(record, model_field, value, names=None):
    """The value as shown. A related object is named once per `names` (a dict kept for
    one listing), since its name may itself take queries (a grant names its scheme)."""
    if value in (None, ""):
        return "–"
    if isinstance(model_field, KronorField):
        return format_kronor(value)
    if model_field.choices:
        key = (model_field, value)
        if names is None or key not in names:
            shown = str(dict(model_field.flatchoices).get(value, value))
            if names is None:
                return shown
            names[key] = shown
        return names[key]
    if model_field.is_relation:
        key = (model_field.related_model, value)
        if names is not None and key in names:
            return names[key]
        related = getattr(record, model_field.name, None)
        shown = str(related) if related is not None else str(value)
        if names is not None:
            names[key] = shown
        return shown
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _sets(history, records):
    """{(m2m field name, history_id): the names in the set}, one query per field."""
    sets = {}
    ids = [record.history_id for record in records]
    for m2m_field in getattr(history.model, "_history_m2m_fields", ()):
        rows = getattr(history.model, m2m_field.name).model.objects
        target = m2m_field.m2m_reverse_field_name()
        for row in rows.filter(history_id__in=ids).select_related(target):
            sets.setdefault((m2m_field.name, row.history_id), []).append(str(getattr(row, target)))
    return {key: ", ".join(sorted(names)) for key, names in sets.items()}


def _merge(entry, changes):
    """Fold `changes` into `entry`: the first old value, the last new one."""
    for change in changes:
        earlier = next((c for c in entry.changes if c.label == change.label), None)
        if earlier is None:
            if entry.action == ACTIONS["+"]:
                change.old = None
            entry.changes.append(change)
        else:
            earlier.new = change.new
            if earlier.old == earlier.new:
                entry.changes.remove(earlier)


def as_it_was(record):
    """The object as the record saw it, with the related objects read with the record, so
    naming it (`str`) asks nothing more of the database. (simple-history's
    `record.instance` reads the fields history leaves out from the live row: a query per
    record; those get their defaults here.) Built without Model.__init__, which a long
    history would run hundreds of thousands of times."""
    model = record.instance_type
    kept, left_out = _layout(type(record), model)
    instance = model.__new__(model)
    values = instance.__dict__
    for attname in kept:
        values[attname] = getattr(record, attname)
    for attname, default in left_out:
        values[attname] = default()
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = record._state.db
    instance._state.fields_cache.update(record._state.fields_cache)
    return instance


@functools.cache
def _layout(record_class, model):
    """The attnames a historical model keeps of `model`, and the others with their defaults."""
    kept = {f.attname for f in record_class._meta.fields}
    fields = model._meta.concrete_fields
    return (
        tuple(f.attname for f in fields if f.attname in kept),
        tuple((f.attname, f.get_default) for f in fields if f.attname not in kept),
    )


def in_period(history, since):
    """The records from `since` on, and for each object they change the one record just
    before `since`, to tell what the first change in the period changed: the period is
    filtered in SQL (history_date is indexed), however long the history before it."""
    model = history.model
    last_before = (
        model.objects.filter(id=OuterRef("id"), history_date__lt=since)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    changed = history.filter(history_date__gte=since)
    bases = (
        model.objects.filter(id__in=changed.values("id"), history_date__lt=since)
        .annotate(last_before=Subquery(last_before))
        .filter(history_id=F("last_before"))
        .values("history_id")
    )
    return history.filter(Q(history_date__gte=since) | Q(history_id__in=bases))


def _fields(history):
    kept = {f.attname for f in history.model._meta.fields}
    tracked = [
        f for f in history.model.instance_type._meta.fields if f.name != "id" and f.attname in kept
    ]
    related = [f.name for f in tracked if f.is_relation and not f.many_to_many]
    return tracked, related, list(getattr(history.model, "_history_m2m_fields", ()))


def entries(
    history,
    title=lambda record: str(as_it_was(record)),
    masked=lambda record: (),
    mask="",
    known=(),
    since=None,
    select=(),
):
    """Newest first: who did what and when, with old → new for each field changed.

    `history` is a queryset of historical records (possibly of several objects of one
    model); `title` names the object each record is about; the fields `masked` names for a
    record show `mask` instead of their values (protected personal data). Objects the
    records refer to are read with the records (and `select` names further ones, such as
    what those objects' names are made of), and `known` ones (the page's own object) not at
    all. With `since`, only changes from then on are told. The queries are a fixed few
    however many records there are: one for the records, one per set field.
    """
    tracked, related, m2m_fields = _fields(history)
    if since is not None:
        history = in_period(history, since)
    records = list(
        history.select_related("history_user", *related, *select).order_by(
            "history_date", "history_id"
        )
    )
    names = {(type(obj), obj.pk): str(obj) for obj in known}
    sets = _sets(history, records) if m2m_fields else {}
    told = _told(records, tracked, m2m_fields, sets, title, masked, mask, names, since)
    return list(told)[::-1]


def stream(history, title=lambda record: str(as_it_was(record)), since=None, select=()):
    """Entries one object after another (by id), each object's oldest first, read in
    chunks: one ordered pass over consecutive records of the same object, so memory stays
    flat however long the history (the auditor's workbook). Queries: one per chunk of
    records, and one per set field and chunk."""
    tracked, related, m2m_fields = _fields(history)
    if since is not None:
        history = in_period(history, since)
    records = history.select_related("history_user", *related, *select).order_by(
        "id", "history_date", "history_id"
    )
    pending = []
    previous = None

    def flush(batch):
        sets = _sets(history, batch) if m2m_fields else {}
        yield from _told(batch, tracked, m2m_fields, sets, title, lambda r: (), "", {}, since)

    for record in records.iterator(chunk_size=CHUNK):
        # A batch ends only between two objects, so no object's records are split.
        if len(pending) >= CHUNK and record.id != previous:
            yield from flush(pending)
            pending = []
        pending.append(record)
        previous = record.id
    if pending:
        yield from flush(pending)


CHUNK = 2000


def _told(records, tracked, m2m_fields, sets, title, masked, mask, names, since):
    """The entries of `records` (each object's in time order), in the records' order."""
    previous, latest, result = {}, {}, []
    # Translated once, not once a row: a long history has hundreds of thousands.
    labels = {f.name: str(f.verbose_name) for f in (*tracked, *m2m_fields)}
    actions = {key: str(action) for key, action in ACTIONS.items()}
    for record in records:
        before = previous.get(record.id)
        values = [
            (f, getattr(record, f.attname), getattr(before, f.attname, None)) for f in tracked
        ]
        values += [
            (
                f,
                sets.get((f.name, record.history_id), ""),
                sets.get((f.name, before.history_id), "") if before is not None else None,
            )
            for f in m2m_fields
        ]
        changes = []
        for model_field, new, old in values:
            if record.history_type == "-" or old == new or (before is None and new in (None, "")):
                continue
            if model_field.name in masked(record):
                old_shown, new_shown = str(mask), str(mask)
            elif model_field.many_to_many:
                old_shown, new_shown = old or "–", new or "–"
            else:
                old_shown = (
                    _display(before, model_field, old, names) if before is not None else None
                )
                new_shown = _display(record, model_field, new, names)
            changes.append(
                Change(
                    label=labels[model_field.name],
                    old=None if before is None else old_shown,
                    new=new_shown,
                )
            )
        previous[record.id] = record
        if since is not None and record.history_date < since:
            continue  # what the period's first change is told against, not a change in it
        last = latest.get(record.id)
        if (
            last is not None
            and record.history_change_reason == SET_CHANGE
            and record.history_user_id == last.who_id
            and record.history_date - last.when <= SAME_EDIT
        ):
            _merge(last.entry, changes)
            continue
        entry = Entry(
            when=record.history_date,
            who=record.history_user,
            action=actions[record.history_type],
            title=title(record),
            changes=changes,
            reason=""
            if record.history_change_reason == SET_CHANGE
            else record.history_change_reason or "",
        )
        latest[record.id] = _Latest(entry, record.history_user_id, record.history_date)
        result.append(entry)
    return result
