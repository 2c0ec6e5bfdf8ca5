"""Protected personal data: a protected contact person's name, e-mail and phone appear in
no page, e-mail, calendar, workbook or history, while an ordinary contact person still does."""

import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from dialogues.models import CalendarFeed, CalendarMessage, Meeting
from grants.models import GrantScheme
from partners.models import ContactPerson
from tests.dialogues.test_calendar import soon_at
from tests.grants.conftest import grant

NAME, EMAIL, PHONE, ROLE = "Hemlig Hemligsson", "hemlig@skyddad.example", "070-111 22 33", "Kassör"
SHOWN = ("Omar Saleh", "omar@example.se")


@pytest.fixture
def hidden(cast):
    """A protected contact person of the cast's organisation, next to cast.contact."""
    return ContactPerson.objects.create(
        organisation=cast.org, name=NAME, email=EMAIL, phone=PHONE, role=ROLE, is_protected=True
    )


def assert_hidden(text):
    for secret in (NAME, "Hemlig", EMAIL, PHONE, ROLE):
        assert secret not in text


def assert_shown(text):
    for detail in SHOWN:
        assert detail in text


def page(client, user, name, *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_str_is_a_neutral_label(cast, hidden):
    assert str(hidden) == "Skyddade personuppgifter"
    assert str(cast.contact) == "Omar Saleh"


def test_reachable_leaves_out_protected_and_addressless(cast, hidden):
    ContactPerson.objects.create(organisation=cast.org, name="Utan Adress")
    assert list(ContactPerson.objects.reachable()) == [cast.contact]


@pytest.mark.parametrize("role", ["staff", "representative", "admin"])
def test_organisation_page_lists_a_protected_person_by_label_only(client, cast, hidden, role):
    content = page(client, cast.user(role), "organisation_detail", cast.org.pk)
    assert_hidden(content)
    assert_shown(content)
    assert "Skyddade personuppgifter" in content


def test_editors_still_reach_the_protected_record_through_its_form(client, cast, hidden):
    content = page(client, cast.staff, "organisation_detail", cast.org.pk)
    assert reverse("contact_update", args=[hidden.pk]) in content
    form = page(client, cast.staff, "contact_update", hidden.pk)
    assert NAME in form and EMAIL in form
    assert_hidden(page(client, cast.staff, "contact_delete", hidden.pk))


def test_history_masks_a_protected_person_also_from_before_protection(client, cast):
    person = ContactPerson.objects.create(organisation=cast.org, name=NAME, email=EMAIL)
    client.force_login(cast.staff)
    data = {"name": NAME, "role": ROLE, "email": EMAIL, "phone": PHONE, "legal_basis": "consent"}
    client.post(reverse("contact_update", args=[person.pk]), data)
    client.post(reverse("contact_update", args=[person.pk]), {**data, "is_protected": "on"})
    omar = {
        **data,
        "role": "Ordförande",
        "name": "Omar Saleh",
        "email": "omar@example.se",
        "phone": "040-12 34 56",
    }
    client.post(reverse("contact_update", args=[cast.contact.pk]), omar)
    response = client.get(reverse("organisation_detail", args=[cast.org.pk]))
    content = response.content.decode()
    assert_hidden(content)
    assert "Kontaktperson (skyddad)" in content
    history = response.context["history"]
    protected = [e for e in history if e.title == "Kontaktperson (skyddad)"]
    assert len(protected) == 3
    personal = {"namn", "roll", "e-post", "telefon"}
    shown = [c for e in protected for c in e.changes if c.label in personal]
    assert shown and all(c.new == "(skyddad)" for c in shown)
    assert "Kontaktperson Omar Saleh" in content
    assert "040-12 34 56" in content


def test_invitations_and_their_ics_go_to_everyone_but_the_protected(
    client, cast, hidden, mailoutbox
):
    meeting = cast.meeting
    meeting.start, meeting.end, meeting.status = soon_at(9), soon_at(12), Meeting.Status.PLANNED
    meeting.save()
    client.force_login(cast.staff)
    assert_hidden(page(client, cast.staff, "meeting_invitations", meeting.pk))
    client.post(reverse("meeting_invitations", args=[meeting.pk]))
    assert [m.to for m in mailoutbox] == [["Omar Saleh <omar@example.se>"]]
    for message in mailoutbox:
        (_, content, _) = message.attachments[0]
        ics = content.decode() if isinstance(content, bytes) else content
        assert "omar@example.se" in ics
        assert_hidden(ics + message.body + message.subject + " ".join(message.to))
        Calendar.from_ical(content)
    assert_shown(CalendarMessage.objects.get().recipients)
    assert_hidden(CalendarMessage.objects.get().recipients)
    assert_hidden(page(client, cast.staff, "meeting_invitations", meeting.pk))


def test_feedback_on_a_raised_issue_skips_the_protected(client, cast, hidden, mailoutbox):
    observation = cast.observation
    observation.status, observation.response = "handled", "Svar"
    observation.handled_on = datetime.date(2026, 4, 1)
    observation.save()
    before = page(client, cast.staff, "observation_update", observation.pk)
    assert "Omar Saleh" in before
    assert_hidden(before)
    client.post(reverse("observation_notify", args=[observation.pk]))
    assert [m.to for m in mailoutbox] == [["Omar Saleh <omar@example.se>"]]
    assert_hidden(mailoutbox[0].body + mailoutbox[0].subject)
    after = page(client, cast.staff, "observation_update", observation.pk)
    assert "omar@example.se" in after
    assert_hidden(after)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("meeting_minutes", "Röda Korset Malmö krets"),
        ("meeting_detail", "Röda Korset Malmö krets"),
        ("forum_detail", "Röda Korset Malmö krets"),
        ("structures_report", "ASN:s temadagar"),
        ("home", "Samverkansregistret"),
    ],
)
def test_pages_about_the_organisations_meetings_hold_no_protected_details(
    client, cast, hidden, name, expected
):
    args = {"meeting_minutes": [cast.meeting.pk], "meeting_detail": [cast.meeting.pk]}
    args["forum_detail"] = [cast.asn_forum.pk]
    content = page(client, cast.staff, name, *args.get(name, []))
    assert expected in content
    assert_hidden(content)


def test_calendar_download_and_feeds_hold_no_protected_details(client, cast, hidden):
    client.force_login(cast.staff)
    download = client.get(reverse("meeting_ics", args=[cast.meeting.pk])).content.decode()
    assert cast.meeting.title in download
    assert_hidden(download)
    for kind, target, owner in (
        ("organisation", cast.org, cast.representative),
        ("forum", cast.asn_forum, cast.staff),
    ):
        feed = CalendarFeed.objects.create(kind=kind, owner=owner, **{kind: target})
        content = client.get(reverse("calendar_feed", args=[feed.token])).content.decode()
        assert "BEGIN:VCALENDAR" in content
        assert_hidden(content)


def cells(response):
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(data))
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_workbooks_hold_no_protected_details(client, cast, hidden):
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    grant(cast.org, scheme, 2025, 1000, 1000)
    client.force_login(cast.staff)
    for url, expected in (
        (reverse("grant_workbook"), cast.org.name),
        (reverse("structures_workbook"), cast.asn_forum.name),
    ):
        text = cells(client.get(url))
        assert expected in text
        assert_hidden(text)


def test_logs_of_what_was_sent_hide_someone_protected_afterwards(client, cast, mailoutbox):
    meeting = cast.meeting
    meeting.start, meeting.end, meeting.status = soon_at(9), soon_at(12), Meeting.Status.PLANNED
    meeting.save()
    person = ContactPerson.objects.create(organisation=cast.org, name=NAME, email=EMAIL)
    observation = cast.observation
    observation.status, observation.response = "handled", "Svar"
    observation.handled_on = datetime.date(2026, 4, 1)
    observation.save()
    client.force_login(cast.staff)
    client.post(reverse("meeting_invitations", args=[meeting.pk]))
    client.post(reverse("observation_notify", args=[observation.pk]))
    assert len(mailoutbox) == 4  # two invitations, and the feedback to each contact person
    assert NAME in page(client, cast.staff, "meeting_detail", meeting.pk)
    person.is_protected = True
    person.save()
    for content in (
        page(client, cast.staff, "meeting_detail", meeting.pk),
        page(client, cast.staff, "meeting_invitations", meeting.pk),
        page(client, cast.staff, "observation_update", observation.pk),
    ):
        assert_hidden(content)
        assert "omar@example.se" in content
        assert "Skyddade personuppgifter" in content
