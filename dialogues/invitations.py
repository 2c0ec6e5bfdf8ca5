"""E-mailed calendar invitations, updates and cancellations for a meeting's organisations.

Each contact person gets a message of their own (addresses of other organisations are
not shared), in Swedish, with the meeting attached as an iTIP .ics. Protected contact
persons and those without an address get nothing. What was sent is kept on the meeting.
"""

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues import ical
from dialogues.models import CalendarMessage, Meeting
from municipality import mail
from partners.models import ContactPerson

Method = CalendarMessage.Method


def recipients(meeting):
    """Contact persons of the invited organisations who may be sent e-mail."""
    return (
        ContactPerson.objects.filter(organisation__invitations__meeting=meeting)
        .reachable()
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def next_message(meeting, last_sent=None):
    """What sending now would be: an invitation, an update, a cancellation, or nothing new.

    Returns (method, is_update) or None when the recipients already have this version.
    """
    if last_sent is None:
        last_sent = meeting.calendar_messages.first()
    cancelled = meeting.status == Meeting.Status.CANCELLED
    if last_sent is None:
        return None if cancelled else (Method.REQUEST, False)
    if last_sent.sequence >= meeting.sequence and not (
        cancelled and last_sent.method != Method.CANCEL
    ):
        return None
    if cancelled:
        return None if last_sent.method == Method.CANCEL else (Method.CANCEL, True)
    return Method.REQUEST, True


def send(meeting, user, base_url):
    """Send what `next_message` says to every recipient; returns the record, or None."""
    planned = next_message(meeting)
    people = list(recipients(meeting))
    if planned is None or not people:
        return None
    method, is_update = planned
    cancel = method == Method.CANCEL
    with translation.override("sv"):
        subject = _subject(meeting, cancel, is_update)
        messages = []
        for person in people:
            ics = ical.invitation(meeting, base_url, [(person.name, person.email)], cancel)
            body = render_to_string(
                "dialogues/email/meeting_invitation.txt",
                {
                    "meeting": meeting,
                    "person": person,
                    "cancel": cancel,
                    "is_update": is_update,
                    "url": base_url + meeting.get_absolute_url(),
                },
            )
            message = EmailMessage(subject, body, to=[mail.address(person.name, person.email)])
            message.attach("inbjudan.ics", ics, f"text/calendar; method={method}; charset=UTF-8")
            messages.append(message)
    with transaction.atomic():
        record = CalendarMessage.objects.create(
            meeting=meeting,
            method=method,
            sequence=meeting.sequence,
            sent_by=user,
            sent_at=timezone.now(),
            recipients="\n".join(f"{p.name} <{p.email}> ({p.organisation})" for p in people),
        )
        get_connection().send_messages(messages)
    return record


def _subject(meeting, cancel, is_update):
    when = timezone.localtime(meeting.start).strftime("%Y-%m-%d %H:%M")
    if cancel:
        label = _("Cancelled")
    elif is_update:
        label = _("Changed")
    else:
        label = _("Invitation")
    return mail.one_line(f"{label}: {meeting.title} {when}")
