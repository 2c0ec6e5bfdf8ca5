"""What each role *sees* on a page: the sensitive parts of the rendered HTML, asserted
present or absent for every member of the cast who can open the page.

A page a person cannot open (403/404) shows them nothing, so they must not be listed as
seeing anything on it.
"""

import pytest
from django.urls import reverse

from grants.models import AccountChange, Payment, PaymentAccount
from tests.test_access_matrix import asn_grant

PEOPLE = ("staff", "other_staff", "elected", "representative", "auditor", "admin", "kalmar_staff")
STAFF_SIDE = {"staff", "other_staff", "auditor", "admin"}

MINUTES = "Minnesanteckning-hemlig-7731"
INTERNAL = "Handläggare-Internsson"
PHONE = "040-998 877"
ACCOUNT = "505-0109"
PENDING = "902001-7"
HISTORY = 'id="history-heading"'
LEGAL_BASIS = "allmänt intresse"

# (page, what) -> who sees it
SEES = {
    ("meeting", "minutes"): {"staff", "other_staff", "elected", "auditor", "admin"},
    ("meeting", "internal participants"): {
        "staff",
        "other_staff",
        "elected",
        "auditor",
        "admin",
    },
    ("meeting", "other organisations' attendance"): {
        "staff",
        "other_staff",
        "elected",
        "auditor",
        "admin",
    },
    ("minutes", "minutes"): {"staff", "other_staff", "elected", "auditor", "admin"},
    ("organisation", "contact e-mail"): {"staff", "other_staff", "representative", "admin"},
    ("organisation", "contact phone"): {"staff", "other_staff", "representative", "admin"},
    ("organisation", "legal basis"): {"staff", "other_staff", "representative", "admin"},
    ("organisation", "payment account"): STAFF_SIDE,
    # The representative proposes changes: they see that one waits, not the account.
    ("organisation", "pending account"): STAFF_SIDE | {"representative"},
    ("organisation", "history"): STAFF_SIDE,
    ("grant", "payment account"): STAFF_SIDE,
    ("grant", "history"): STAFF_SIDE,
    ("partnership", "history"): STAFF_SIDE,
    ("observation", "feedback recipients"): {"staff", "other_staff", "admin"},
}

MARKERS = {
    "minutes": MINUTES,
    "internal participants": INTERNAL,
    "other organisations' attendance": "Brukarföreningen Malmö",
    "contact e-mail": "omar@example.se",
    "contact phone": PHONE,
    "legal basis": LEGAL_BASIS,
    "payment account": ACCOUNT,
    "pending account": "nytt konto väntar på bekräftelse",
    "history": HISTORY,
    "feedback recipients": "omar@example.se",
}


@pytest.fixture
def pages(cast):
    from dialogues.models import Invitation

    cast.meeting.minutes = MINUTES
    cast.meeting.internal_participants = INTERNAL
    cast.meeting.save()
    Invitation.objects.create(
        meeting=cast.meeting, organisation=cast.other_org, attended=True, people=3
    )
    cast.contact.phone = PHONE
    cast.contact.legal_basis = "public_task"
    cast.contact.save()
    grant = asn_grant(cast)
    Payment.objects.create(
        grant=grant,
        paid_on="2026-03-01",
        amount=1000,
        account_kind="bankgiro",
        account_number=ACCOUNT,
    )
    PaymentAccount.objects.create(organisation=cast.org, kind="bankgiro", number=ACCOUNT)
    AccountChange.objects.create(
        organisation=cast.org, kind="plusgiro", number=PENDING, signatory="Eva Ek"
    )
    cast.observation.status = "handled"
    cast.observation.response = "Fler platser öppnas i december."
    cast.observation.handled_on = "2026-04-01"
    cast.observation.feedback_sent_at = "2026-04-02T10:00:00+02:00"
    cast.observation.feedback_sent_to = "omar@example.se"
    cast.observation.save()
    return {
        "meeting": cast.meeting.get_absolute_url(),
        "minutes": reverse("meeting_minutes", args=[cast.meeting.pk]),
        "organisation": cast.org.get_absolute_url(),
        "grant": grant.get_absolute_url(),
        "partnership": cast.partnership.get_absolute_url(),
        "observation": cast.observation.get_absolute_url(),
    }


CASES = [(page, what, person) for (page, what) in SEES for person in PEOPLE]


@pytest.mark.parametrize(("page", "what", "person"), CASES)
def test_who_sees_what(client, cast, pages, page, what, person):
    client.force_login(cast.user(person))
    response = client.get(pages[page])
    seers = SEES[(page, what)]
    if response.status_code != 200:
        assert person not in seers, f"{person} cannot open the {page} page ({response.status_code})"
        return
    shown = MARKERS[what] in response.content.decode()
    assert shown == (person in seers), f"{person} {'sees' if shown else 'misses'} {what}"
