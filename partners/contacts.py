"""Removing a contact person, as GDPR asks: the person is gone from the history too."""

from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import ContactPerson


@transaction.atomic
def remove_contact_person(contact):
    """Delete the contact person and blank their details in every historical record."""
    contact_id = contact.pk
    contact.delete()
    ContactPerson.history.filter(id=contact_id).update(
        name=_("(removed person)"), email="", phone="", role=""
    )
