"""Change history read from django-simple-history, field by field, for "Historik" sections.

Many-to-many fields declared with `HistoryWithSets(m2m_fields=…)` count as fields: each
record keeps the whole set, shown as the names joined. Saving a form writes one record for
the fields and then one for each change of a set, marked `SET_CHANGE`; those that follow
within `SAME_EDIT` by the same user are shown in the entry before them, as the person made
one change.
"""

import datetime
from dataclasses import dataclass, field

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
        return str(dict(model_field.flatchoices).get(value, value))
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


def entries(
    history,
    title=lambda record: str(record.instance),
    masked=lambda record: (),
    mask="",
    known=(),
):
    """Newest first: who did what and when, with old → new for each field changed.

    `history` is a queryset of historical records (possibly of several objects of one
    model); `title` names the object each record is about; the fields `masked` names for a
    record show `mask` instead of their values (protected personal data). Objects the
    records refer to are read with the records, and `known` ones (the page's own object)
    not at all.
    """
    kept = {f.attname for f in history.model._meta.fields}
    tracked = [
        f for f in history.model.instance_type._meta.fields if f.name != "id" and f.attname in kept
    ]
    related = [f.name for f in tracked if f.is_relation and not f.many_to_many]
    records = list(
        history.select_related("history_user", *related).order_by("history_date", "history_id")
    )
    names = {(type(obj), obj.pk): str(obj) for obj in known}
    m2m_fields = list(getattr(history.model, "_history_m2m_fields", ()))
    sets = _sets(history, records) if m2m_fields else {}
    previous, latest, result = {}, {}, []
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
                    label=str(model_field.verbose_name),
                    old=None if before is None else old_shown,
                    new=new_shown,
                )
            )
        previous[record.id] = record
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
            action=ACTIONS[record.history_type],
            title=title(record),
            changes=changes,
            reason=""
            if record.history_change_reason == SET_CHANGE
            else record.history_change_reason or "",
        )
        latest[record.id] = _Latest(entry, record.history_user_id, record.history_date)
        result.append(entry)
    return result[::-1]
