"""Change history read from django-simple-history, field by field, for "Historik" sections."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from municipality.money import KronorField, format_kronor

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("removed")}


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


def _display(record, model_field, value):
    if value in (None, ""):
        return "–"
    if isinstance(model_field, KronorField):
        return format_kronor(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(record, model_field.name, None)
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def entries(history, title=lambda record: str(record.instance), masked=lambda record: (), mask=""):
    """Newest first: who did what and when, with old → new for each field changed.

    `history` is a queryset of historical records (possibly of several objects of one
    model); `title` names the object each record is about; the fields `masked` names for a
    record show `mask` instead of their values (protected personal data).
    """
    records = history.select_related("history_user").order_by("history_date", "history_id")
    kept = {f.attname for f in history.model._meta.fields}
    tracked = [
        f for f in history.model.instance_type._meta.fields if f.name != "id" and f.attname in kept
    ]
    previous, result = {}, []
    for record in records:
        entry = Entry(
            when=record.history_date,
            who=record.history_user,
            action=ACTIONS[record.history_type],
            title=title(record),
        )
        before = previous.get(record.id)
        for model_field in tracked:
            new = getattr(record, model_field.attname)
            old = getattr(before, model_field.attname) if before is not None else None
            if record.history_type == "-" or old == new or (before is None and new in (None, "")):
                continue
            if model_field.name in masked(record):
                old_shown, new_shown = str(mask), str(mask)
            else:
                old_shown = _display(before, model_field, old) if before is not None else None
                new_shown = _display(record, model_field, new)
            entry.changes.append(
                Change(
                    label=str(model_field.verbose_name),
                    old=None if before is None else old_shown,
                    new=new_shown,
                )
            )
        previous[record.id] = record
        result.append(entry)
    return result[::-1]
