"""What became of an issue reaches the organisation that raised it: one e-mail to each of
its reachable contact persons, greeted by name and signed by the body that handled it,
always in Swedish (the organisation's language, not the sender's UI language)."""

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipality import mail
from partners.models import ContactPerson


def send(observation):
    """E-mail the organisation's contact persons the response; return their addresses
    (none when nobody can be reached, and then nothing is sent or recorded)."""
    people = list(
        ContactPerson.objects.filter(organisation=observation.organisation)
        .reachable()
        .select_related("organisation")
        .order_by("name", "pk")
    )
    if not people:
        return []
    sender = observation.forwarded_to or observation.meeting.forum.owner
    with translation.override("sv"):
        subject = mail.one_line(
            _("Feedback on what you raised at %(meeting)s") % {"meeting": observation.meeting.title}
        )
        messages = [
            EmailMessage(
                subject,
                render_to_string(
                    "dialogues/email/observation_feedback.txt",
                    {"person": person, "observation": observation, "sender": sender},
                ),
                to=[mail.address(person.name, person.email)],
            )
            for person in people
        ]
    get_connection().send_messages(messages)
    recipients = [person.email for person in people]
    observation.feedback_sent_at = timezone.now()
    observation.feedback_sent_to = ", ".join(recipients)
    observation.save(update_fields=["feedback_sent_at", "feedback_sent_to"])
    return recipients
