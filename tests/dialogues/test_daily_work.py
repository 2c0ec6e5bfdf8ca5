"""Issue 14's friction in the dialogue pages: an issue's page shows what is saved, the
meeting log counts its own total, the minutes print whole, and scheduling warns first."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dialogues.models import Invitation, Meeting, Observation
from partners.models import ContactPerson, Organisation
from tests.meeting_form import as_posted


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def seen(client, url, form="form"):
    """The edit guard's token, as the page hands it out."""
    return client.get(url).context[form]["seen"].value()


# Observations ---------------------------------------------------------------------------


def test_a_refused_handled_save_shows_the_saved_state_and_no_mail_button(client, cast):
    observation = cast.observation  # forwarded to ASN
    client.force_login(cast.staff)
    url = reverse("observation_update", args=[observation.pk])
    response = client.post(
        url, {"status": "handled", "forwarded_to": cast.asn.pk, "seen": seen(client, url)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ingenting sparades" in html
    assert response.context["observation"].status == "forwarded"
    assert '<dd class="col-sm-9">vidarebefordrad' in html
    assert reverse("observation_notify", args=[observation.pk]) not in html
    observation.refresh_from_db()
    assert (observation.status, observation.handled_on) == ("forwarded", None)


def test_marking_handled_without_a_date_dates_it_today_and_offers_the_mail(
    client, cast, mailoutbox
):
    observation = cast.observation
    client.force_login(cast.staff)
    url = reverse("observation_update", args=[observation.pk])
    response = client.post(
        url,
        {
            "status": "handled",
            "forwarded_to": cast.asn.pk,
            "feedback_due": "2026-04-09",
            "response": "Fler platser öppnas i januari.",
            "seen": seen(client, url),
        },
    )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert (observation.status, observation.handled_on) == ("handled", timezone.localdate())
    notify = reverse("observation_notify", args=[observation.pk])
    assert notify in client.get(url).content.decode()
    assert client.post(notify).status_code == 302
    assert [m.to for m in mailoutbox] == [["Omar Saleh <omar@example.se>"]]
    assert "Fler platser öppnas i januari." in mailoutbox[0].body


def test_an_unreadable_handled_date_is_refused_not_replaced(client, cast):
    observation = cast.observation
    client.force_login(cast.staff)
    url = reverse("observation_update", args=[observation.pk])
    response = client.post(
        url,
        {
            "status": "handled",
            "forwarded_to": cast.asn.pk,
            "response": "Svar",
            "handled_on": "i förrgår",
            "seen": seen(client, url),
        },
    )
    assert "handled_on" in response.context["form"].errors
    observation.refresh_from_db()
    assert (observation.status, observation.handled_on, observation.response) == (
        "forwarded",
        None,
        "",
    )


def test_the_mail_button_is_refused_until_the_issue_is_handled(client, cast, mailoutbox):
    client.force_login(cast.staff)
    response = client.post(reverse("observation_notify", args=[cast.observation.pk]))
    assert response.status_code == 404
    assert mailoutbox == []
    cast.observation.refresh_from_db()
    assert cast.observation.feedback_sent_at is None


def test_forwarding_from_the_issue_page_forwards_it_in_one_save(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    observation = Observation.objects.create(
        meeting=cast.meeting, organisation=cast.org, text="Fler bänkar i parken."
    )
    client.force_login(cast.staff)
    url = reverse("observation_update", args=[observation.pk])
    token = seen(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "status": "open",
                "forwarded_to": cast.asf.pk,
                "feedback_due": "2026-04-09",
                "seen": token,
            },
        )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert (observation.status, observation.forwarded_to) == ("forwarded", cast.asf)
    assert [m.to for m in mailoutbox] == [["staff@example.se"]]


# Meeting log ----------------------------------------------------------------------------


def four_invited(cast):
    meeting = Meeting.objects.create(
        forum=cast.asf_forum, title="Föreningsträff", start=local(2026, 10, 6, 10)
    )
    organisations = [cast.org, cast.other_org] + [
        Organisation.objects.create(municipality=cast.malmo, name=name)
        for name in ("Stadsmissionen", "Fältarna")
    ]
    invitations = [
        Invitation.objects.create(meeting=meeting, organisation=organisation)
        for organisation in organisations
    ]
    return meeting, invitations


def log_data(invitations, people, **overrides):
    data = {
        "status": "held",
        "internal_participants": "",
        "minutes": "",
        "attendance-TOTAL_FORMS": str(len(invitations)),
        "attendance-INITIAL_FORMS": str(len(invitations)),
        "raised-TOTAL_FORMS": "0",
        "raised-INITIAL_FORMS": "0",
    }
    for index, (invitation, count) in enumerate(zip(invitations, people, strict=True)):
        data[f"attendance-{index}-id"] = str(invitation.pk)
        data[f"attendance-{index}-people"] = str(count or 0)
        if count is not None:
            data[f"attendance-{index}-attended"] = "on"
    return {**data, **overrides}


def test_the_attendance_total_is_the_sum_of_the_ticked_organisations(client, cast):
    meeting, invitations = four_invited(cast)
    client.force_login(cast.staff)
    url = reverse("meeting_log", args=[meeting.pk])
    page = client.get(url)
    assert "participants_count" not in page.context["form"].fields
    response = client.post(
        url, log_data(invitations, [2, 3, 1, 2], participants_count="0", seen=seen(client, url))
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.participants_count) == ("held", 8)
    assert (
        "Deltagare från organisationer totalt: 8"
        in client.get(meeting.get_absolute_url()).content.decode()
    )
    html = client.get(url).content.decode()
    assert 'data-attendance-total aria-live="polite" class="fw-semibold">8</output>' in html


def test_unticking_an_organisation_lowers_the_total(client, cast):
    meeting, invitations = four_invited(cast)
    client.force_login(cast.staff)
    url = reverse("meeting_log", args=[meeting.pk])
    client.post(url, log_data(invitations, [2, 3, 1, 2], seen=seen(client, url)))
    client.post(url, log_data(invitations, [2, None, 1, 2], seen=seen(client, url)))
    meeting.refresh_from_db()
    assert meeting.participants_count == 5


def test_a_refused_log_changes_neither_rows_nor_total(client, cast):
    meeting, invitations = four_invited(cast)
    client.force_login(cast.staff)
    url = reverse("meeting_log", args=[meeting.pk])
    data = log_data(invitations, [2, 3, 1, 2], seen=seen(client, url))
    data.pop("attendance-3-attended")  # people without the tick: refused
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["people_total"] == 6
    meeting.refresh_from_db()
    assert (meeting.status, meeting.participants_count) == ("planned", 0)
    assert not Invitation.objects.filter(meeting=meeting, attended=True).exists()


def test_attendance_checkboxes_are_marked_for_their_contrast_style(client, cast):
    meeting, _invitations = four_invited(cast)
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_log", args=[meeting.pk])).content.decode()
    assert 'class="table table-sm attendance"' in html
    assert "js/attendance-total" in html


# Minutes --------------------------------------------------------------------------------


def test_minutes_have_a_print_button_the_municipality_answers_and_total(client, cast):
    observation = cast.observation
    observation.status, observation.response = "handled", "Härbärget öppnar fler platser."
    observation.handled_on = datetime.date(2026, 4, 1)
    observation.save()
    cast.meeting.count_people()
    cast.meeting.save()
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_minutes", args=[cast.meeting.pk])).content.decode()
    for expected in (
        "data-print>Skriv ut</button>",
        "js/print",
        "Malmö stad",
        "Härbärget öppnar fler platser.",
        "2026-04-01",
        "Närvaro totalt",
        "1 organisation, 2 personer",
    ):
        assert expected in html, expected


# Scheduling -----------------------------------------------------------------------------


def holiday_data(cast, **overrides):
    return as_posted(
        {
            "forum": cast.asn_forum.pk,
            "title": "Temadag om ensamhet",
            "start": "2026-12-25 10:00",
            "end": "2026-12-25 12:00",
            "place": "Stadshuset",
            "agenda": "",
            "status": "planned",
            **overrides,
        }
    )


def test_save_anyway_holds_only_for_the_warnings_that_were_seen(client, cast):
    client.force_login(cast.elected)
    url = reverse("meeting_create")
    before = Meeting.objects.count()
    first = client.post(url, holiday_data(cast))
    assert first.context["warnings"] == ["2026-12-25 är en helgdag i Sverige (Juldagen)."]
    # Pressing "Save anyway" without the warnings seen, or after moving to another
    # holiday, saves nothing: the new warning is shown instead.
    assert client.post(url, {**holiday_data(cast), "save_anyway": "1"}).status_code == 200
    moved = client.post(
        url,
        {
            **holiday_data(cast, start="2026-12-26 10:00", end="2026-12-26 12:00"),
            "warned": first.context["warned"],
            "save_anyway": "1",
        },
    )
    assert moved.context["warnings"] == ["2026-12-26 är en helgdag i Sverige (Annandag jul)."]
    # The plain Save with the hidden field is not a confirmation either.
    assert (
        client.post(url, {**holiday_data(cast), "warned": first.context["warned"]}).status_code
        == 200
    )
    assert Meeting.objects.count() == before
    # Moving it to the next working day saves at once.
    response = client.post(
        url, holiday_data(cast, start="2026-12-28 10:00", end="2026-12-28 12:00")
    )
    assert response.status_code == 302
    assert Meeting.objects.count() == before + 1


def test_an_unconfirmed_edit_onto_a_holiday_changes_nothing(client, cast):
    meeting = Meeting.objects.create(
        forum=cast.asn_forum, title="Temadag", start=local(2026, 12, 28, 10)
    )
    client.force_login(cast.elected)
    url = reverse("meeting_update", args=[meeting.pk])
    token = seen(client, url)
    data = holiday_data(cast, title="Temadag", seen=token)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["heading"] == "Ändra Temadag"
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start) == local(2026, 12, 28, 10)
    assert meeting.sequence == 0
    confirmed = {**data, "warned": response.context["warned"], "save_anyway": "1"}
    assert client.post(url, confirmed).status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start) == local(2026, 12, 25, 10)


def test_the_one_forum_one_may_schedule_in_is_chosen(client, cast):
    client.force_login(cast.elected)
    form = client.get(reverse("meeting_create")).context["form"]
    assert list(form.fields["forum"].queryset) == [cast.asn_forum]
    assert form["forum"].value() == cast.asn_forum.pk
    assert form["invited"].value() == [cast.org.pk]


def test_staff_with_several_forums_choose_one(client, cast):
    client.force_login(cast.staff)  # ASF keeps its own forum and ASN's temadagar
    form = client.get(reverse("meeting_create")).context["form"]
    assert form.fields["forum"].queryset.count() == 2
    assert form["forum"].value() is None


def test_invitees_are_checkboxes_with_a_search_box(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_create")).content.decode()
    assert 'type="checkbox" name="invited"' in html
    assert "Ctrl" not in html
    assert 'data-filter-checkboxes="id_invited_list"' in html
    assert "js/checkbox-filter" in html


def test_a_day_from_the_month_view_prefills_the_start(client, cast):
    client.force_login(cast.elected)
    form = client.get(reverse("meeting_create"), {"date": "2026-12-28"}).context["form"]
    shown = str(form["start"])
    assert 'type="date" name="start_0" value="2026-12-28"' in shown
    assert 'type="text" name="start_1" value="09:00"' in shown
    junk = client.get(reverse("meeting_create"), {"date": "2026-13-45"}).context["form"]
    assert junk["start"].value() is None


def test_month_view_marks_today_and_books_days_for_those_who_may(client, cast):
    today = timezone.localdate()
    client.force_login(cast.elected)
    html = client.get(reverse("meeting_calendar")).content.decode()
    assert f'aria-current="date" data-date="{today.isoformat()}"' in html
    assert '<span class="today-label">idag</span>' in html
    assert f'href="?month={today:%Y-%m}" aria-current="page">Idag</a>' in html
    assert f"{reverse('meeting_create')}?date={today.isoformat()}" in html
    other = client.get(reverse("meeting_calendar"), {"month": "2020-01"}).content.decode()
    assert 'aria-current="date"' not in other
    assert f'href="?month={today:%Y-%m}">Idag</a>' in other
    client.force_login(cast.representative)
    html = client.get(reverse("meeting_calendar")).content.decode()
    assert f"{reverse('meeting_create')}?date=" not in html
    assert 'aria-current="date"' in html


def test_month_view_shows_a_meeting_in_its_iso_week_row(client, cast):
    Meeting.objects.create(
        forum=cast.asn_forum, title="Temadag vecka 53", start=local(2026, 12, 28, 10)
    )
    client.force_login(cast.elected)
    response = client.get(reverse("meeting_calendar"), {"month": "2026-12"})
    (week,) = [w for w in response.context["grid"] if w["number"] == 53]
    day = next(d for d in week["days"] if d["date"] == datetime.date(2026, 12, 28))
    assert [m.title for m in day["meetings"]] == ["Temadag vecka 53"]
    assert '<tr data-week="53">' in response.content.decode()


def test_forum_members_are_checkboxes_too(client, cast):
    client.force_login(cast.staff)
    url = reverse("forum_update", args=[cast.asf_forum.pk])
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="members"' in html
    assert 'data-filter-checkboxes="id_members_list"' in html
    assert "Ctrl" not in html


def test_editing_a_confirmed_holiday_meeting_without_moving_it_warns_no_more(client, cast):
    meeting = Meeting.objects.create(
        forum=cast.asn_forum,
        title="Temadag",
        start=local(2026, 12, 25, 10),
        end=local(2026, 12, 25, 12),
    )
    client.force_login(cast.elected)
    url = reverse("meeting_update", args=[meeting.pk])
    data = holiday_data(cast, title="Temadag", place="Rådhuset", seen=seen(client, url))
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Rådhuset"
    moved = {**data, **as_posted({"start": "2026-12-26 10:00", "end": "2026-12-26 12:00"})}
    moved["seen"] = seen(client, url)
    assert client.post(url, moved).context["warnings"] == [
        "2026-12-26 är en helgdag i Sverige (Annandag jul)."
    ]


def test_the_minutes_count_one_person_in_the_singular(client, cast):
    invitation = cast.meeting.invitations.get()
    invitation.people = 1
    invitation.save()
    cast.meeting.count_people()
    cast.meeting.save()
    client.force_login(cast.staff)
    html = client.get(reverse("meeting_minutes", args=[cast.meeting.pk])).content.decode()
    assert "1 organisation, 1 person</p>" in html


def handled(observation, **fields):
    observation.status, observation.response = "handled", "Fler platser öppnas i vår."
    observation.handled_on = datetime.date(2026, 4, 1)
    for name, value in fields.items():
        setattr(observation, name, value)
    observation.save()
    return observation


def test_the_feedback_mail_greets_each_contact_and_is_signed_in_swedish_whatever_the_ui(
    client, cast, mailoutbox
):
    """As the invitation: 'Hej <namn>', what was raised and answered, and the body that
    answered as signature, in Swedish although the sender works in English."""
    ContactPerson.objects.create(organisation=cast.org, name="Lena, Berg", email="lena@example.se")
    observation = handled(cast.observation, forwarded_to=cast.asn, status="handled")
    client.force_login(cast.staff)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("observation_notify", args=[observation.pk]))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [
        ['"Lena, Berg" <lena@example.se>'],
        ["Omar Saleh <omar@example.se>"],
    ]
    body = mailoutbox[1].body
    assert body.startswith("Hej Omar Saleh!\n")
    assert "Fler platser öppnas i vår." in body and observation.text in body
    assert "Vad det blev av det (1 april 2026):" in body
    assert body.rstrip().endswith(f"Med vänlig hälsning\n{cast.asn}")
    assert mailoutbox[1].subject.startswith("Återkoppling")
    observation.refresh_from_db()
    assert observation.feedback_sent_to == "lena@example.se, omar@example.se"


def test_the_feedback_mail_keeps_a_hostile_title_out_of_its_headers(client, cast, mailoutbox):
    cast.meeting.title = "Möte\r\nBcc: evil@example.com"
    cast.meeting.save()
    observation = handled(cast.observation)
    client.force_login(cast.staff)
    client.post(reverse("observation_notify", args=[observation.pk]))
    (message,) = mailoutbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == [] and "evil@example.com" not in message.message()["To"]
    assert message.body.rstrip().endswith(f"Med vänlig hälsning\n{cast.meeting.forum.owner}")
