"""Retention steps of the partner register (`manage.py gallra`)."""

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from municipality.personal_data import THINNED, retention_step, years_before
from partners.models import ContactPerson, Organisation, ReminderSent


@retention_step("contact_persons", _("Contact persons of organisations long inactive"))
def contact_persons(today):
    """Contact persons of organisations archived, or inactive since their last change,
    PERSONAL_DATA_CONTACT_YEARS ago; removed from every copy as on any removal."""
    cutoff = years_before(today, settings.PERSONAL_DATA_CONTACT_YEARS)
    last_change = Organisation.history.filter(id=OuterRef("pk")).values("id")
    last_change = last_change.annotate(last=Max("history_date")).values("last")
    dormant = Organisation.objects.annotate(last_change=Subquery(last_change)).filter(
        Q(archived_at__date__lt=cutoff) | Q(is_active=False, last_change__date__lt=cutoff)
    )
    contacts = list(ContactPerson.objects.filter(organisation__in=dormant))
    for contact in contacts:
        contact.delete()
    return len(contacts)


@retention_step("reminder_recipients", _("Recipients of agreement reminders"))
def reminder_recipients(today):
    cutoff = years_before(today, settings.PERSONAL_DATA_ATTENDANCE_YEARS)
    old = ReminderSent.objects.filter(sent_at__date__lt=cutoff).exclude(recipients=THINNED)
    return old.exclude(recipients="").update(recipients=THINNED)
