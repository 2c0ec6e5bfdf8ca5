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
from django.utils.translation import gettext_lazy as _

REMOVED = "(borttagen person)"


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


def declared_models():
    """(model, {field name: category key or None}) for each model that declares."""
    for model in apps.get_models():
        declared = getattr(model, "personal_data", None)
        if declared is not None:
            yield model, declared


def personal_fields():
    """(model, field, Category) for every field that holds personal data."""
    for model, declared in declared_models():
        for name, key in declared.items():
            if key is not None:
                yield model, model._meta.get_field(name), CATEGORIES[key]


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
    changed = 0
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
            changed += 1
    return changed
