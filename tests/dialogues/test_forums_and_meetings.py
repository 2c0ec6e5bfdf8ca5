import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dialogues import structures
from dialogues.models import Forum, Invitation, Meeting, Observation
from tests.meeting_form import as_posted


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def meeting_data(forum, **overrides):
    return as_posted(
        {
            "forum": forum.pk,
            "title": "Temadag om hemlöshet",
            "start": "2026-09-10 09:00",
            "end": "2026-09-10 12:00",
            "place": "Stadshuset",
            "agenda": "Läget i staden",
            "status": "planned",
            **overrides,
        }
    )


# Ownership ------------------------------------------------------------------------------


def test_forum_owned_by_a_committee_or_an_administration(client, cast):
    client.force_login(cast.staff)
    for owner in (cast.asn, cast.asf):
        response = client.post(
            reverse("forum_create"),
            {
                "name": f"Forum {owner.pk}",
                "kind": "cooperation_forum",
                "owner": owner.pk,
                "cadence": "yearly",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        forum = Forum.objects.get(name=f"Forum {owner.pk}")
        assert forum.owner == owner


def test_forum_without_owner_is_refused_in_swedish(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("forum_create"), {"name": "Utan ägare", "kind": "other", "cadence": "yearly"}
    )
    assert response.context["form"].errors["owner"] == ["Detta fält måste fyllas i."]
    assert not Forum.objects.filter(name="Utan ägare").exists()


def test_staff_cannot_give_a_forum_to_another_bodys_ownership(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("forum_create"),
        {"name": "Fel ägare", "kind": "other", "owner": cast.frf.pk, "cadence": "yearly"},
    )
    assert "owner" in response.context["form"].errors
    assert not Forum.objects.filter(name="Fel ägare").exists()


def test_database_refuses_a_forum_without_owner(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Forum.objects.create(name="Utan ägare", kind="other")


# Meetings -------------------------------------------------------------------------------


def test_meeting_invites_the_forums_members_by_default(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("meeting_create"), meeting_data(cast.asf_forum))
    meeting = Meeting.objects.get(title="Temadag om hemlöshet", forum=cast.asf_forum)
    assert response.headers["Location"] == meeting.get_absolute_url()
    assert [i.organisation for i in meeting.invitations.all()] == [cast.org]
    assert timezone.localtime(meeting.start).strftime("%Y-%m-%d %H:%M") == "2026-09-10 09:00"


def test_end_before_start_saves_nothing(client, cast):
    client.force_login(cast.staff)
    before = Meeting.objects.count()
    response = client.post(
        reverse("meeting_create"), meeting_data(cast.asf_forum, end="2026-09-10 08:00")
    )
    assert response.context["form"].errors["end"] == ["Mötet måste sluta efter att det har börjat."]
    assert Meeting.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            forum=cast.asf_forum, title="x", start=local(2026, 9, 10, 9), end=local(2026, 9, 10, 8)
        )


def test_attendance_only_for_invited_organisations(cast):
    """Attendance lives on the invitation: an uninvited organisation has no row to tick."""
    meeting = cast.meeting
    assert not Invitation.objects.filter(meeting=meeting, organisation=cast.other_org).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(meeting=meeting, organisation=cast.org, attended=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(meeting=meeting, organisation=cast.other_org, people=3)


def test_logging_a_held_meeting_on_one_page(client, cast):
    meeting = Meeting.objects.create(
        forum=cast.asf_forum, title="Föreningsträff", start=local(2026, 10, 6, 10)
    )
    invitation = Invitation.objects.create(meeting=meeting, organisation=cast.org)
    client.force_login(cast.staff)
    data = {
        "status": "held",
        "participants_count": "4",
        "internal_participants": "Elin Ström",
        "minutes": "Bra samtal.",
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "1",
        "attendance-0-id": str(invitation.pk),
        "attendance-0-attended": "on",
        "attendance-0-people": "4",
        "raised-TOTAL_FORMS": "2",
        "raised-INITIAL_FORMS": "0",
        "raised-0-organisation": str(cast.org.pk),
        "raised-0-theme": "hemlöshet",
        "raised-0-text": "Fler platser behövs.",
        "raised-0-forwarded_to": str(cast.asn.pk),
        "raised-0-feedback_due": "2026-11-03",
        "raised-1-feedback_due": "2026-11-03",
    }
    response = client.post(reverse("meeting_log", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context and response.context["raised"].errors
    meeting.refresh_from_db()
    invitation.refresh_from_db()
    assert (meeting.status, meeting.participants_count) == ("held", 4)
    assert (invitation.attended, invitation.people) == (True, 4)
    observation = meeting.observations.get()
    assert (observation.status, observation.forwarded_to) == ("forwarded", cast.asn)


def test_logging_what_an_uninvited_organisation_raised_is_refused(client, cast):
    meeting = Meeting.objects.create(
        forum=cast.asf_forum, title="Träff", start=local(2026, 10, 6, 10)
    )
    client.force_login(cast.staff)
    response = client.post(
        reverse("meeting_log", args=[meeting.pk]),
        {
            "status": "held",
            "participants_count": "1",
            "attendance-TOTAL_FORMS": "0",
            "attendance-INITIAL_FORMS": "0",
            "raised-TOTAL_FORMS": "1",
            "raised-INITIAL_FORMS": "0",
            "raised-0-organisation": str(cast.other_org.pk),
            "raised-0-text": "Något",
        },
    )
    assert response.status_code == 200
    assert response.context["raised"].errors[0]["organisation"] == [
        "Bara en organisation som var inbjuden till mötet kan ha lyft något på det."
    ]
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert not meeting.observations.exists()


def test_crafted_extra_attendance_row_creates_nothing(client, cast):
    meeting = cast.meeting
    invitation = meeting.invitations.get()
    before = Invitation.objects.count()
    client.force_login(cast.staff)
    response = client.post(
        reverse("meeting_log", args=[meeting.pk]),
        {
            "status": "held",
            "participants_count": "5",
            "attendance-TOTAL_FORMS": "2",
            "attendance-INITIAL_FORMS": "1",
            "attendance-0-id": str(invitation.pk),
            "attendance-0-attended": "on",
            "attendance-0-people": "2",
            "attendance-1-organisation": str(cast.other_org.pk),
            "attendance-1-attended": "on",
            "attendance-1-people": "3",
            "raised-TOTAL_FORMS": "0",
            "raised-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 302)
    assert Invitation.objects.count() == before
    assert not Invitation.objects.filter(organisation=cast.other_org).exists()


# Temadagar ------------------------------------------------------------------------------


def test_elected_member_schedules_a_temadag_in_their_committees_forum(client, cast):
    client.force_login(cast.elected)
    response = client.post(reverse("meeting_create"), meeting_data(cast.asn_forum), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert Meeting.objects.filter(forum=cast.asn_forum, start__date="2026-09-10").exists()


@pytest.mark.parametrize("forum", ["asf_forum", "frf_forum", "kalmar_forum"])
def test_elected_member_cannot_schedule_elsewhere(client, cast, forum):
    client.force_login(cast.elected)
    before = Meeting.objects.count()
    response = client.post(reverse("meeting_create"), meeting_data(getattr(cast, forum)))
    assert response.context["form"].errors["forum"] == ["Du får inte planera möten i det forumet."]
    assert Meeting.objects.count() == before


def test_elected_member_of_another_committee_cannot_schedule_at_all(client, cast):
    from municipality.models import Membership, Role, User

    other = User.objects.create_user(
        username="frn_member", role=Role.ELECTED, municipality=cast.malmo
    )
    Membership.objects.create(user=other, body=cast.frn)
    client.force_login(other)
    assert client.get(reverse("meeting_create")).status_code == 403
    response = client.post(reverse("meeting_create"), meeting_data(cast.asn_forum))
    assert response.status_code == 403


def test_scheduling_on_a_holiday_warns_before_saving_and_saves_anyway(client, cast):
    client.force_login(cast.elected)
    data = meeting_data(cast.asn_forum, start="2026-06-19 10:00", end="2026-06-19 12:00")
    before = Meeting.objects.count()
    response = client.post(reverse("meeting_create"), data)
    assert response.status_code == 200
    assert response.context["warnings"] == ["2026-06-19 är en helgdag i Sverige (Midsommarafton)."]
    assert "Spara ändå" in response.content.decode()
    assert Meeting.objects.count() == before
    confirmed = {**data, "warned": response.context["warned"], "save_anyway": "1"}
    response = client.post(reverse("meeting_create"), confirmed)
    assert response.status_code == 302
    assert Meeting.objects.filter(forum=cast.asn_forum, start__date="2026-06-19").exists()


def test_overlapping_meeting_of_the_same_body_warns(client, cast):
    second_forum = Forum(name="ASN:s rundabord", kind="theme_day")
    second_forum.owner = cast.asn
    second_forum.save()
    Meeting.objects.create(
        forum=second_forum,
        title="Rundabord",
        start=local(2026, 9, 10, 11),
        end=local(2026, 9, 10, 13),
    )
    client.force_login(cast.elected)
    response = client.post(reverse("meeting_create"), meeting_data(cast.asn_forum))
    assert response.context["warnings"] == [
        "Mötet krockar med ”Rundabord” (ASN:s rundabord) 2026-09-10 11:00, som också hålls av "
        "Arbetsmarknads- och socialnämnden."
    ]
    assert not Meeting.objects.filter(forum=cast.asn_forum, start__date="2026-09-10").exists()


def test_no_warning_for_another_bodys_meeting_or_a_cancelled_one(client, cast):
    Meeting.objects.create(
        forum=cast.frf_forum,
        title="Fritid",
        start=local(2026, 9, 10, 9),
        end=local(2026, 9, 10, 12),
    )
    Meeting.objects.create(
        forum=cast.asn_forum, title="Inställd", start=local(2026, 9, 10, 9), status="cancelled"
    )
    client.force_login(cast.elected)
    response = client.post(reverse("meeting_create"), meeting_data(cast.asn_forum), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert [m for m in response.context["messages"] if m.level_tag == "warning"] == []


# Observations ---------------------------------------------------------------------------


def test_observation_flow_open_forwarded_handled_and_feedback(client, cast, mailoutbox):
    observation = cast.observation  # forwarded to ASN
    client.force_login(cast.staff)
    url = reverse("observation_update", args=[observation.pk])
    missing = client.post(url, {"status": "handled", "forwarded_to": cast.asn.pk})
    assert missing.context["form"].errors == {
        "response": ["Skriv svaret innan frågan markeras som hanterad."],
    }
    back = client.post(url, {"status": "open"})
    assert back.context["form"].errors["status"] == [
        "En fråga går bara framåt: öppen → vidarebefordrad → hanterad."
    ]
    done = client.post(
        url,
        {
            "status": "handled",
            "forwarded_to": cast.asn.pk,
            "response": "Fler platser öppnas.",
            "handled_on": "2026-04-01",
            "feedback_due": "2026-04-09",
        },
    )
    assert done.status_code == 302
    client.post(reverse("observation_notify", args=[observation.pk]))
    assert [m.to for m in mailoutbox] == [["Omar Saleh <omar@example.se>"]]
    assert "Fler platser öppnas." in mailoutbox[0].body
    observation.refresh_from_db()
    assert observation.feedback_sent_to == "omar@example.se"
    assert observation.feedback_sent_at is not None


def test_protected_contact_persons_get_no_feedback(client, cast, mailoutbox):
    cast.contact.is_protected = True
    cast.contact.save()
    observation = cast.observation
    observation.status, observation.response = "handled", "Svar"
    observation.handled_on = datetime.date(2026, 4, 1)
    observation.save()
    client.force_login(cast.staff)
    client.post(reverse("observation_notify", args=[observation.pk]))
    assert mailoutbox == []
    observation.refresh_from_db()
    assert observation.feedback_sent_at is None


def test_database_refuses_handled_without_response(cast):
    cast.observation.status = "handled"
    with pytest.raises(IntegrityError), transaction.atomic():
        cast.observation.save()


def test_database_refuses_forwarded_without_recipient(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            meeting=cast.meeting, organisation=cast.org, text="x", status="forwarded"
        )


@pytest.mark.parametrize(
    "key, shown",
    [("staff", True), ("admin", True), ("auditor", False), ("elected", False)],
)
def test_feedback_recipients_shown_only_to_staff_and_admin(client, cast, key, shown):
    observation = cast.observation
    observation.feedback_sent_at = timezone.now()
    observation.feedback_sent_to = "omar@example.se"
    observation.save()
    client.force_login(cast.user(key))
    response = client.get(reverse("observation_update", args=[observation.pk]))
    assert response.status_code == 200
    assert ("omar@example.se" in response.content.decode()) is shown


def test_representative_sees_what_their_organisation_raised_and_the_answer(client, cast):
    Observation.objects.create(
        meeting=cast.meeting,
        organisation=cast.org,
        text="Vårt svar?",
        status="handled",
        response="Här är svaret.",
        handled_on=datetime.date(2026, 4, 1),
    )
    client.force_login(cast.representative)
    listed = client.get(reverse("observation_list")).context["table"].data
    assert {o.organisation for o in listed} == {cast.org}
    answered = Observation.objects.get(text="Vårt svar?")
    response = client.get(reverse("observation_update", args=[answered.pk]))
    assert "Här är svaret." in response.content.decode()
    assert response.context["form"] is None
    assert "Följ upp" not in response.content.decode()
    assert client.post(reverse("observation_update", args=[answered.pk]), {}).status_code == 403


def test_overdue_observations_per_body(client, cast):
    client.force_login(cast.staff)
    response = client.get(
        reverse("observation_list"),
        {"body": cast.asn.pk, "status": "forwarded", "overdue": "on"},
    )
    assert [o.pk for o in response.context["table"].data] == [cast.observation.pk]
    assert cast.observation.is_overdue_on(datetime.date(2026, 4, 10)) is True
    assert cast.observation.is_overdue_on(datetime.date(2026, 4, 9)) is False


# Scoping --------------------------------------------------------------------------------


def test_representative_sees_only_forums_and_meetings_of_their_organisation(client, cast):
    client.force_login(cast.representative)
    forums = client.get(reverse("forum_list")).context["table"].data
    assert {f.name for f in forums} == {"ASN:s temadagar", "Föreningsträff hemlöshet"}
    for hidden in (cast.frf_forum, cast.kalmar_forum):
        assert client.get(reverse("forum_detail", args=[hidden.pk])).status_code == 404
    other_meeting = Meeting.objects.create(
        forum=cast.frf_forum, title="Fritid", start=local(2026, 9, 1, 9)
    )
    assert client.get(reverse("meeting_detail", args=[other_meeting.pk])).status_code == 404
    past = client.get(reverse("meeting_list"), {"when": "past"}).context["table"].data
    assert [m.title for m in past] == ["Temadag om hemlöshet"]


def test_elected_member_reads_only_their_committees_forums(client, cast):
    client.force_login(cast.elected)
    forums = client.get(reverse("forum_list")).context["table"].data
    assert [f.name for f in forums] == ["ASN:s temadagar"]


def test_auditor_reads_all_forums_and_changes_none(client, cast):
    client.force_login(cast.auditor)
    forums = client.get(reverse("forum_list")).context["table"].data
    assert len(forums) == 3
    response = client.post(reverse("forum_update", args=[cast.asf_forum.pk]), {"name": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("forum_list", {}),
        ("meeting_list", {"when": "past"}),
        ("observation_list", {"status": "forwarded"}),
        ("meeting_calendar", {"month": "2026-01"}),
        ("structures_report", {}),
    ],
)
def test_list_pages_keep_a_constant_query_count(client, cast, name, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.staff)
    url = reverse(name)
    client.get(url, params)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    small = count()
    for i in range(30):
        forum = Forum(name=f"Forum {i}", kind="other")
        forum.owner = cast.asf
        forum.save()
        forum.members.add(cast.org)
        meeting = Meeting.objects.create(forum=forum, title=f"Möte {i}", start=local(2026, 1, 5, 9))
        Invitation.objects.create(meeting=meeting, organisation=cast.org, attended=True, people=1)
        Observation.objects.create(
            meeting=meeting,
            organisation=cast.org,
            text="x",
            forwarded_to=cast.asn,
            status="forwarded",
        )
    assert count() == small


def test_a_busy_day_shows_a_few_meetings_and_links_to_the_rest(client, cast):
    day = timezone.localdate() + datetime.timedelta(days=40)
    for hour in range(8, 14):
        Meeting.objects.create(
            forum=cast.asn_forum,
            title=f"Samråd {hour}",
            start=local(day.year, day.month, day.day, hour),
        )
    client.force_login(cast.staff)
    response = client.get(reverse("meeting_calendar"), {"month": day.strftime("%Y-%m")})
    cell = next(d for w in response.context["grid"] for d in w["days"] if d["date"] == day)
    assert [m.title for m in cell["meetings"]] == ["Samråd 8", "Samråd 9", "Samråd 10"]
    assert cell["more"] == 3
    assert "3 möten till" in response.content.decode()
    listed = client.get(cell["more_url"]).context["table"].data
    assert sorted(m.title for m in listed) == sorted(f"Samråd {hour}" for hour in range(8, 14))


def test_a_long_list_of_meetings_counts_no_further_than_it_pages(client, cast, monkeypatch):
    from municipality.lists import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "LIMIT", 30)
    Meeting.objects.bulk_create(
        Meeting(forum=cast.asn_forum, title=f"Förr {n}", start=local(2020, 1, 1 + n % 28, 9))
        for n in range(40)
    )
    client.force_login(cast.staff)
    response = client.get(reverse("meeting_list"), {"when": "past", "page": 2})
    paginator = response.context["table"].paginator
    assert (paginator.count, paginator.num_pages, paginator.capped) == (30, 2, True)
    assert "Bara de första 30 mötena visas" in response.content.decode()
    narrowed = client.get(
        reverse("meeting_list"), {"when": "past", "after": "2020-01-01", "before": "2020-01-05"}
    )
    assert narrowed.context["table"].paginator.capped is False


def test_the_month_view_holds_the_days_it_shows_in_local_time(client, cast):
    """A meeting at 00:30 on the first day shown belongs to it; one at 23:30 the evening
    before does not."""
    client.force_login(cast.staff)
    weeks = client.get(reverse("meeting_calendar"), {"month": "2026-03"}).context["grid"]
    first = weeks[0]["days"][0]["date"]
    before = first - datetime.timedelta(days=1)
    Meeting.objects.create(
        forum=cast.asn_forum, title="Tidigt", start=local(first.year, first.month, first.day, 0, 30)
    )
    Meeting.objects.create(
        forum=cast.asn_forum,
        title="Sent",
        start=local(before.year, before.month, before.day, 23, 30),
    )
    weeks = client.get(reverse("meeting_calendar"), {"month": "2026-03"}).context["grid"]
    shown = [m.title for w in weeks for d in w["days"] for m in d["meetings"]]
    assert "Tidigt" in shown and "Sent" not in shown


def test_month_view_shows_meetings_holidays_and_week_numbers(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("meeting_calendar"), {"month": "2026-03"})
    weeks = response.context["grid"]
    assert [w["number"] for w in weeks] == [9, 10, 11, 12, 13, 14]
    day = next(d for w in weeks for d in w["days"] if d["date"] == datetime.date(2026, 3, 12))
    assert [m.title for m in day["meetings"]] == ["Temadag om hemlöshet"]
    april = client.get(reverse("meeting_calendar"), {"month": "2026-04"}).context["grid"]
    good_friday = next(
        d for w in april for d in w["days"] if d["date"] == datetime.date(2026, 4, 3)
    )
    assert good_friday["holiday"] == "Långfredagen"


# Report ---------------------------------------------------------------------------------


def test_structures_report_counts_match_the_data(cast):
    today = datetime.date(2026, 11, 22)
    Meeting.objects.create(  # held more than 12 months ago: not counted
        forum=cast.asn_forum, title="Gammal", start=local(2025, 10, 1, 9), status="held"
    )
    planned = Meeting.objects.create(
        forum=cast.asn_forum, title="Plan", start=local(2026, 12, 1, 9)
    )
    Invitation.objects.create(meeting=planned, organisation=cast.other_org)
    rows = structures.build(
        Forum.objects.filter(pk__in=[cast.asn_forum.pk, cast.asf_forum.pk]), today
    )
    by_body = {row.body: row for row in rows}
    asn = by_body[cast.asn]
    (forum_row,) = asn.forums
    assert (forum_row.members, forum_row.meetings_held, forum_row.organisations_reached) == (
        1,
        1,
        1,
    )
    assert (forum_row.observations, forum_row.observations_open) == (1, 1)
    assert by_body[cast.asf].meetings_held == 0


def test_structures_report_counts_old_issues_still_open(cast):
    today = datetime.date(2026, 11, 22)
    old = Meeting.objects.create(
        forum=cast.asn_forum, title="Gammal", start=local(2024, 10, 1, 9), status="held"
    )
    Invitation.objects.create(meeting=old, organisation=cast.org, attended=True, people=1)
    Observation.objects.create(meeting=old, organisation=cast.org, text="Fortfarande öppen")
    Observation.objects.create(
        meeting=old,
        organisation=cast.org,
        text="Klar",
        status="handled",
        response="Svar",
        handled_on=datetime.date(2024, 12, 1),
    )
    rows = structures.build(Forum.objects.filter(pk=cast.asn_forum.pk), today)
    (forum_row,) = rows[0].forums
    assert (forum_row.meetings_held, forum_row.organisations_reached) == (1, 1)
    assert (forum_row.observations, forum_row.observations_open) == (1, 2)
    assert rows[0].observations_open == 2


def test_structures_workbook_has_the_same_figures(client, cast):
    # The report counts the twelve months up to today: keep the cast's meeting inside them.
    start = timezone.now() - datetime.timedelta(days=30)
    Meeting.objects.filter(pk=cast.meeting.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )
    client.force_login(cast.auditor)
    response = client.get(reverse("structures_workbook"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Dialogstrukturer"]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert sheet["A1"].value == "Ägare" and sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert rows["ASN:s temadagar"][:2] == ("Arbetsmarknads- och socialnämnden", "nämnd")
    assert rows["ASN:s temadagar"][5:] == (1, 1, 1, 1, 1)
    assert set(rows) == {"ASN:s temadagar", "Föreningsträff hemlöshet", "Fritidsdialog"}


def test_minutes_page_prints_the_meeting(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_minutes", args=[cast.meeting.pk])).content.decode()
    for expected in (
        "Minnesanteckningar – Temadag om hemlöshet",
        "ASN:s temadagar",
        "2026-03-12 09:00–12:00",
        "Röda Korset Malmö krets (2)",
        "Fler platser på härbärget behövs vintertid.",
        'media="print"',
    ):
        assert expected in html


def test_representatives_never_read_minutes_nor_others_attendance(client, cast):
    """The rule read_meeting_record: the meeting page and the printable minutes agree."""
    Invitation.objects.create(
        meeting=cast.meeting, organisation=cast.other_org, attended=True, people=3
    )
    Observation.objects.create(
        meeting=cast.meeting, organisation=cast.other_org, text="Brukarnas egen fråga."
    )
    cast.meeting.minutes = "Protokollförda minnesanteckningar."
    cast.meeting.internal_participants = "Handläggare Hansson"
    cast.meeting.save()
    minutes = reverse("meeting_minutes", args=[cast.meeting.pk])
    client.force_login(cast.representative)
    assert client.get(minutes).status_code == 403
    html = client.get(cast.meeting.get_absolute_url()).content.decode()
    assert "Fler platser på härbärget behövs vintertid." in html
    for hidden in ("Brukar", "Protokollförda", "Hansson", minutes):
        assert hidden not in html
    client.force_login(cast.staff)
    html = client.get(minutes).content.decode()
    assert "Brukarnas egen fråga." in html
    assert "Brukarföreningen Malmö (3)" in html
    assert "Protokollförda" in html


def test_default_observation_list_shows_what_is_not_yet_handled(client, cast):
    Observation.objects.create(
        meeting=cast.meeting,
        organisation=cast.org,
        text="Klar",
        status="handled",
        response="Svar",
        handled_on=datetime.date(2026, 4, 1),
    )
    client.force_login(cast.staff)
    listed = client.get(reverse("observation_list")).context["table"].data
    assert [o.text for o in listed] == ["Fler platser på härbärget behövs vintertid."]


def test_body_page_counts_open_and_overdue_issues_and_lists_forums(client, cast):
    client.force_login(cast.elected)
    response = client.get(reverse("body_detail", args=[cast.asn.pk]))
    assert list(response.context["forums"]) == [cast.asn_forum]
    assert response.context["open_observations"] == 1
    assert response.context["overdue_observations"] == 1  # due 2026-04-09, today is later


def test_organisation_page_shows_forums_meetings_and_raised_issues(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("organisation_detail", args=[cast.org.pk]))
    assert {f.name for f in response.context["forums"]} == {
        "ASN:s temadagar",
        "Föreningsträff hemlöshet",
    }
    assert [m.title for m in response.context["attended"]] == ["Temadag om hemlöshet"]
    assert [o.pk for o in response.context["raised"]] == [cast.observation.pk]
