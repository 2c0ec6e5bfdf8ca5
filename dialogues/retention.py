"""Retention steps of the dialogues (`manage.py gallra`): who took part in meetings and
who was sent invitations and feedback, PERSONAL_DATA_ATTENDANCE_YEARS after the meeting.
Minutes and raised issues are allmänna handlingar and stay."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dialogues.models import CalendarMessage, Meeting, Observation
from municipality.personal_data import THINNED, retention_step, years_before


def _cutoff(today):
    return years_before(today, settings.PERSONAL_DATA_ATTENDANCE_YEARS)


def _thin(manager, field, **lookup):
    """Replace `field` with THINNED on matching rows and their history; count the rows."""
    rows = manager.filter(**lookup).exclude(**{field: ""}).exclude(**{field: THINNED})
    ids = list(rows.values_list("pk", flat=True))
    rows.update(**{field: THINNED})
    history = getattr(manager.model, "history", None)
    if history is not None:
        history.filter(id__in=ids).exclude(**{field: ""}).update(**{field: THINNED})
    return len(ids)


@retention_step("meeting_participants", _("Internal participants of meetings"))
def meeting_participants(today):
    return _thin(Meeting.objects, "internal_participants", start__date__lt=_cutoff(today))


@retention_step("invitation_recipients", _("Recipients of calendar invitations"))
def invitation_recipients(today):
    return _thin(CalendarMessage.objects, "recipients", meeting__start__date__lt=_cutoff(today))


@retention_step("feedback_recipients", _("Recipients of feedback on raised issues"))
def feedback_recipients(today):
    return _thin(Observation.objects, "feedback_sent_to", meeting__start__date__lt=_cutoff(today))
