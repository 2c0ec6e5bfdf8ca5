"""Protected personal data (skyddade personuppgifter): what an output may show of a contact person.

A protected person is never sent anything (`ContactPerson.objects.reachable()`), prints as
a neutral label (`ContactPerson.__str__`), and their name, role, e-mail and phone are
masked in the change history and in the logs of what was sent — also in what was recorded
before they were protected.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipality import history
from partners.models import PROTECTED_LABEL, ContactPerson

PERSONAL_FIELDS = ("name", "role", "email", "phone")
MASK = gettext_lazy("(protected)")


def protected_ids(records):
    """Ids of the contact persons among `records` who are protected now or ever were."""
    ids = records.values("id")
    return set(
        ContactPerson.objects.filter(pk__in=ids, is_protected=True).values_list("pk", flat=True)
    ) | set(records.filter(is_protected=True).values_list("id", flat=True))


def contact_history(records):
    """History entries of contact persons, with a protected person's details masked."""
    hidden = protected_ids(records)

    def title(record):
        name = MASK if record.id in hidden else record.name
        return _("Contact person %(name)s") % {"name": name}

    return history.entries(
        records,
        title=title,
        masked=lambda record: PERSONAL_FIELDS if record.id in hidden else (),
        mask=MASK,
    )


def masked(lines):
    """A log of who was sent what, with every line naming a protected person's address
    replaced by the label: someone protected after a message went out is hidden there too."""
    addresses = {
        address.lower()
        for address in ContactPerson.objects.filter(is_protected=True)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    return [
        str(PROTECTED_LABEL) if any(address in line.lower() for address in addresses) else line
        for line in lines
    ]
