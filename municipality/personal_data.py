"""Personal data, as the GDPR asks: what is held, why, for how long, and its removal.

Every model declares, in `personal_data`, each of its text fields and links to a user:
the category of personal data it holds, or None. From those declarations come the record
of processing (art. 30), the register extract (art. 15), the removal that reaches every
copy (art. 17) and the retention command `gallra`. This module knows no feature: it reads
the declarations of whatever models are installed.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipality import bulk_writes
from municipality.models import RegisterExtract, RetentionRun

REMOVED = "(borttagen person)"
THINNED = "(gallrad)"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    purpose: str
    legal_basis: str
    retention: str
    # Scrubbed when a person is removed; False for allmänna handlingar kept by the
    # municipality's dokumenthanteringsplan.
    removable: bool = True


def _years(name):
    return getattr(settings, name)


CATEGORIES = {
    category.key: category
    for category in [
        Category(
            "account",
            _("User accounts"),
            _("Logging in, and knowing who did what in the register."),
            _("Task in the public interest (the municipality's own administration)."),
            _("While the account is in use; removed on request once it is deactivated."),
        ),
        Category(
            "user_link",
            _("Who did what"),
            _("Change history and accountability: who created, changed or sent a record."),
            _("Task in the public interest."),
            _("With the record it belongs to; points to an anonymised account after removal."),
        ),
        Category(
            "contact",
            _("Contact persons of organisations"),
            _("Contact with civil-society organisations about meetings, agreements and grants."),
            _("As recorded for each person by staff (normally task in the public interest)."),
            _(
                "Removed by the daily gallring when the organisation has been inactive or "
                "archived for the number of years in PERSONAL_DATA_CONTACT_YEARS."
            ),
        ),
        Category(
            "organisation_contact",
            _("Organisations' addresses, e-mail and phone"),
            _("Contact with the organisation; in a small association it may be a person's."),
            _("Task in the public interest."),
            _("With the organisation; removed with a person whose details they are."),
        ),
        Category(
            "correspondence",
            _("Recipients of invitations, reminders and feedback"),
            _("Showing what was sent to whom."),
            _("Task in the public interest."),
            _(
                "Removed by the daily gallring after the number of years in "
                "PERSONAL_DATA_ATTENDANCE_YEARS."
            ),
        ),
        Category(
            "attendance",
            _("Who took part in meetings"),
            _("Following up the dialogue with civil society."),
            _("Task in the public interest."),
            _(
                "Removed by the daily gallring after the number of years in "
                "PERSONAL_DATA_ATTENDANCE_YEARS."
            ),
        ),
        Category(
            "official_record",
            _("Names in decisions, minutes and payment records"),
            _("Allmänna handlingar: decisions, minutes, payments and their signatories."),
            _("Legal obligation (the Archives Act and accounting rules)."),
            _(
                "Kept and thinned out by the municipality's dokumenthanteringsplan, not by "
                "this service."
            ),
            removable=False,
        ),
    ]
}


# Other packages' models cannot declare; what they hold is declared here.
ELSEWHERE = {
    # The admin's log names what was changed ("Omar Saleh") and how.
    "admin.LogEntry": {
        "object_repr": "user_link",
        "change_message": "user_link",
        "user": "user_link",
    },
}


def declared_models():
    """(model, {field name: category key or None}) for each model that declares."""
    for model in apps.get_models():
        declared = getattr(model, "personal_data", None)
        if declared is None:
            declared = ELSEWHERE.get(model._meta.label)
        if declared is not None:
            yield model, declared


def personal_fields():
    """(model, field, Category) for every field that holds personal data."""
    for model, declared in declared_models():
        for name, key in declared.items():
            if key is not None:
                yield model, model._meta.get_field(name), CATEGORIES[key]


def processing_record():
    """[(Category, [(what, field)])]: every field holding personal data, by category."""
    fields = {}
    for model, field, category in personal_fields():
        fields.setdefault(category.key, []).append(
            (model._meta.verbose_name_plural.capitalize(), str(field.verbose_name))
        )
    return [(CATEGORIES[key], sorted(fields.get(key, []))) for key in CATEGORIES]


def history_model(model):
    """The django-simple-history model that copies `model`, if any."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


# Removal that reaches every copy ----------------------------------------------------------


def _pattern(identifiers):
    words = sorted({i.strip() for i in identifiers if i and len(i.strip()) >= 3}, key=len)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in reversed(words))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _scrub(text, pattern):
    scrubbed = pattern.sub(REMOVED, text)
    return scrubbed.replace(f"{REMOVED} <{REMOVED}>", REMOVED)


@transaction.atomic
def scrub_everywhere(identifiers):
    """Replace the person's name, e-mail and phone wherever a removable personal field, or
    its history, holds a copy. Returns the number of rows changed."""
    pattern = _pattern(identifiers)
    if pattern is None:
        return 0
    changed = 0
    for model, declared in declared_models():
        names = [
            name
            for name, key in declared.items()
            if key is not None
            and CATEGORIES[key].removable
            and isinstance(model._meta.get_field(name), models.CharField | models.TextField)
        ]
        if not names:
            continue
        for target in filter(None, [model, history_model(model)]):
            changed += _scrub_model(target, names, identifiers, pattern)
    return changed


def _scrub_model(model, names, identifiers, pattern):
    matching = models.Q()
    for name in names:
        for identifier in identifiers:
            if identifier and len(identifier.strip()) >= 3:
                matching |= models.Q(**{f"{name}__icontains": identifier.strip()})
    changed = []
    for row in model._base_manager.filter(matching).only("pk", *names):
        updates = {}
        for name in names:
            value = getattr(row, name) or ""
            scrubbed = _scrub(value, pattern)
            if scrubbed != value:
                field = model._meta.get_field(name)
                too_long = field.max_length and len(scrubbed) > field.max_length
                if isinstance(field, models.EmailField) or too_long:
                    scrubbed = ""
                updates[name] = scrubbed
        if updates:
            model._base_manager.filter(pk=row.pk).update(**updates)
            changed.append(row.pk)
    bulk_writes.announce(model, changed)
    return len(changed)


def user_identifiers(user):
    """What names the person behind an account in copies elsewhere. Not the user name:
    short names like "anna" would scrub ordinary words."""
    return {value for value in (user.email, user.get_full_name()) if value}


@transaction.atomic
def anonymise_user(user):
    """An account as the GDPR asks at its end: deactivated, its name, e-mail and user name
    gone, and every copy of them scrubbed. Records keep pointing to it as "who did what"."""
    identifiers = user_identifiers(user)
    user.username = f"borttagen-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    scrub_everywhere(identifiers)


def scrub_before_delete(sender, instance, **kwargs):
    """A deleted account leaves no copy of its name or e-mail behind (every delete path)."""
    scrub_everywhere(user_identifiers(instance))


# The register extract (art. 15) ------------------------------------------------------------


@dataclass
class Section:
    title: str
    records: list  # of (record label, [(field label, value)])


def _label(field):
    return str(field.verbose_name).capitalize()


def _value(obj, field):
    if field.is_relation:
        related = getattr(obj, field.name, None)
        return "" if related is None else str(related)
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if hasattr(value, "isoformat"):
        return (
            value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else str(value)
        )
    return "" if value is None else str(value)


def _fields(obj, skip=()):
    shown = []
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.name == "password" or field.primary_key:
            continue
        value = _value(obj, field)
        if value:
            shown.append((_label(field), value))
    return shown


def record_section(title, objects, skip=()):
    return Section(title, [(str(obj), _fields(obj, skip)) for obj in objects])


def history_section(title, records):
    """Every earlier version of a record: when, by whom, and what it held."""
    skip = {"history_id", "history_change_reason", "history_type", "history_user", "history_date"}
    return Section(
        title,
        [
            (
                f"{record.history_date:%Y-%m-%d %H:%M} {record.get_history_type_display()}"
                f" ({record.history_user or '–'})",
                _fields(record, skip),
            )
            for record in records
        ],
    )


def copies_section(identifiers):
    """Where a copy of the person's name, e-mail or phone sits in another record."""
    pattern = _pattern(identifiers)
    records = []
    if pattern is None:
        return Section(str(_("Copies in other records")), records)
    for model, field, _category in personal_fields():
        if not isinstance(field, models.CharField | models.TextField):
            continue
        for target in filter(None, [model, history_model(model)]):
            matching = models.Q()
            for identifier in identifiers:
                if len(identifier.strip()) >= 3:
                    matching |= models.Q(**{f"{field.name}__icontains": identifier.strip()})
            for row in target._base_manager.filter(matching):
                value = getattr(row, field.name)
                if pattern.search(value or ""):
                    label = f"{target._meta.verbose_name.capitalize()}: {row}"
                    records.append((label, [(_label(field), value)]))
    return Section(str(_("Copies in other records")), records)


def links_section(user, limit=100):
    """The records that name the user: as member, representative, owner, or as who
    created, changed or sent them (the first `limit` of each kind, and how many)."""
    records = []
    for model, field, category in personal_fields():
        if category.key != "user_link" or not field.is_relation:
            continue
        rows = model._base_manager.filter(**{field.name: user})
        count = rows.count()
        kind = f"{model._meta.verbose_name.capitalize()} ({field.verbose_name})"
        records += [(f"{kind}: {row}", _fields(row, {field.name})) for row in rows[:limit]]
        if count > limit:
            records.append((kind, [(str(_("Further records")), str(count - limit))]))
    for model, _declared in declared_models():
        history = history_model(model)
        count = history.objects.filter(history_user=user).count() if history else 0
        if count:
            records.append(
                (
                    str(_("Changes to %(things)s") % {"things": model._meta.verbose_name_plural}),
                    [(str(_("Number of changes")), str(count))],
                )
            )
    return Section(str(_("Records that name the user")), records)


def extract_response(request, subject_kind, subject, sections):
    """The extract as a printable page, or as JSON with `?format=json`; either way it is
    recorded in RegisterExtract."""
    log = RegisterExtract.objects.create(
        made_by=request.user, subject=subject_kind, subject_id=subject.pk
    )
    made_at = timezone.localtime(log.made_at)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            as_json(sections, str(subject), made_at), json_dumps_params={"ensure_ascii": False}
        )
        filename = f"registerutdrag-{subject_kind}-{subject.pk}-{made_at:%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    context = {"subject": subject, "sections": sections, "made_at": made_at, "log": log}
    return render(request, "register_extract.html", context)


def as_json(sections, subject, made_at):
    return {
        "subject": subject,
        "made_at": made_at.isoformat(timespec="seconds"),
        "sections": [
            {
                "title": section.title,
                "records": [
                    {"record": label, "fields": dict(fields)} for label, fields in section.records
                ],
            }
            for section in sections
        ],
    }


# Retention (gallring) -----------------------------------------------------------------------

# kind -> (label, step); each feature registers its own steps from AppConfig.ready().
RETENTION = {}


def retention_step(kind, label):
    """Register `step(today) -> number of records thinned` under `kind`."""

    def register(step):
        RETENTION[kind] = (label, step)
        return step

    return register


def years_before(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def retention_settings():
    return {
        "contact_years": settings.PERSONAL_DATA_CONTACT_YEARS,
        "attendance_years": settings.PERSONAL_DATA_ATTENDANCE_YEARS,
    }


def gallra(today=None, dry_run=False):
    """Run every retention step in one transaction; a dry run counts and rolls back.
    A real run is logged as counts per kind, never the contents."""
    today = today or timezone.localdate()
    with transaction.atomic():
        counts = {kind: step(today) for kind, (_label, step) in RETENTION.items()}
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        RetentionRun.objects.create(counts=counts)
    return counts
