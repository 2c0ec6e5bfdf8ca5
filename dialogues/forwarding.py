"""Forwarding an issue reaches the body: the staff who keep the receiving nämnd or
förvaltning are told by e-mail, in Swedish, with a link to the issue."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from municipality import access, mail

logger = logging.getLogger(__name__)


def notify_receiving_body(observation, request):
    """E-mail the keepers of the body the observation was forwarded to; return how many
    are told. A failed send is logged with the observation's id and never undoes the save."""
    body = observation.forwarded_to
    if body is None:
        return 0
    recipients = sorted(
        set(access.keepers_of(body).exclude(email="").values_list("email", flat=True))
    )
    if not recipients:
        return 0
    link = request.build_absolute_uri(reverse("observation_update", args=[observation.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        subject = mail.one_line(_("An issue has been forwarded to %(body)s") % {"body": body.name})
        text = _(
            "Hello,\n\n"
            "%(organisation)s raised an issue at %(meeting)s, and it has been forwarded to "
            "%(body)s:\n\n%(text)s\n\n"
            "The organisation should hear back by %(due)s.\n"
            "Read it and record what becomes of it here:\n%(link)s\n\n"
            "Samverkansregistret"
        ) % {
            "organisation": observation.organisation.name,
            "meeting": observation.meeting.title,
            "body": body.name,
            "text": observation.text,
            "due": observation.feedback_due.isoformat() if observation.feedback_due else "–",
            "link": link,
        }
    observation_id = observation.pk

    def send():
        try:
            send_mail(subject, text, None, recipients)
        except OSError:
            logger.exception("Forwarding notice for observation %s was not sent", observation_id)

    # Sent once the forwarding is saved for good, never for a save that is rolled back.
    transaction.on_commit(send)
    return len(recipients)
