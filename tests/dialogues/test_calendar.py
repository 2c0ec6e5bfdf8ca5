"""Calendar output: downloads, feeds by token, invitations by e-mail; parsed with icalendar."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dialogues import feeds, ical
from dialogues.models import CalendarFeed, CalendarMessage, Invitation, Meeting
from partners.models import ContactPerson
from tests.meeting_form import as_posted

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
BASE = "https://samverkan.example.se"


def at(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute), STOCKHOLM)


def soon_at(hour, days_later=0):
    """A time about a month from now (plus `days_later`), inside every feed's window
    whatever the real date."""
    day = timezone.localdate() + datetime.timedelta(days=30 + days_later)
    return at(day.year, day.month, day.day, hour)


def events(data):
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def feed_for(kind, target, owner):
    return CalendarFeed.objects.create(
        kind=kind, owner=owner, **({} if kind == "personal" else {kind: target})
    )


@pytest.fixture
def soon(cast):
    """The cast's temadag moved to next month, inside every feed's window."""
    cast.meeting.start = soon_at(9)
    cast.meeting.end = soon_at(12)
    cast.meeting.status = Meeting.Status.PLANNED
    cast.meeting.save()
    return cast.meeting


def get_feed(client, feed, **headers):
    return client.get(reverse("calendar_feed", args=[feed.token]), headers=headers)


# Download ------------------------------------------------------------------------------


def test_download_is_one_valid_event_with_everything_a_client_needs(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("meeting_ics", args=[cast.meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="mote-' in response["Content-Disposition"]
    parsed = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    (event,) = parsed.walk("VEVENT")
    assert str(event["uid"]) == cast.meeting.calendar_uid
    assert event.decoded("dtstart") == at(2026, 3, 12, 9)
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("dtend") == at(2026, 3, 12, 12)
    assert str(event["summary"]) == "Temadag om hemlöshet"
    assert str(event["organizer"].params["CN"]) == "Arbetsmarknads- och socialnämnden"
    assert event["categories"].cats == ["temadag"]
    assert str(event["url"]) == f"http://testserver/moten/{cast.meeting.pk}/"
    assert f"http://testserver/moten/{cast.meeting.pk}/" in str(event["description"])
    assert {"dtstamp", "last-modified", "sequence", "status"} <= {k.lower() for k in event}


def test_download_of_a_meeting_outside_ones_scope_is_not_found(client, cast):
    client.force_login(cast.kalmar_staff)
    assert client.get(reverse("meeting_ics", args=[cast.meeting.pk])).status_code == 404


def test_meeting_without_end_lasts_two_hours(cast):
    meeting = Meeting.objects.create(forum=cast.asn_forum, title="Öppen", start=at(2026, 5, 4, 13))
    event = events(ical.single(meeting, BASE))[meeting.calendar_uid]
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(hours=2)


def test_special_characters_are_escaped_and_come_back_unchanged(cast):
    title = 'Möte, del 1; "budget" \\ extra'
    place = "Stadshuset, sal 3; ingång C"
    agenda = "1. Välkommen\n2. Frågor, svar; övrigt\\slut"
    meeting = Meeting.objects.create(
        forum=cast.asn_forum, title=title, place=place, agenda=agenda, start=at(2026, 5, 4, 13)
    )
    data = ical.single(meeting, BASE)
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert 'SUMMARY:Möte\\, del 1\\; "budget" \\\\ extra\r\n' in unfolded
    assert "LOCATION:Stadshuset\\, sal 3\\; ingång C\r\n" in unfolded
    assert "1. Välkommen\\n2. Frågor\\, svar\\; övrigt\\\\slut" in unfolded
    event = events(data)[meeting.calendar_uid]
    assert (str(event["summary"]), str(event["location"])) == (title, place)
    assert agenda in str(event["description"])
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2026, 3, 28), 8),  # the Saturday before summer time
        (datetime.date(2026, 3, 30), 7),  # the Monday after
        (datetime.date(2026, 10, 24), 7),  # the Saturday before winter time
        (datetime.date(2026, 10, 26), 8),  # the Monday after
    ],
)
def test_nine_oclock_stays_nine_oclock_across_the_2026_dst_switches(cast, day, utc_hour):
    meeting = Meeting.objects.create(
        forum=cast.asn_forum, title="Träff", start=at(day.year, day.month, day.day, 9)
    )
    event = events(ical.feed(Meeting.objects.for_list(), "Test", BASE))[meeting.calendar_uid]
    start = event.decoded("dtstart")
    assert (start.astimezone(STOCKHOLM).date(), start.astimezone(STOCKHOLM).hour) == (day, 9)
    assert start.astimezone(datetime.UTC).hour == utc_hour


# Sequence and status ------------------------------------------------------------------


def test_sequence_rises_on_time_place_and_status_but_not_on_title(cast):
    meeting = cast.meeting
    assert meeting.sequence == 0
    meeting.title = "Temadag om hemlöshet och boende"
    meeting.save()
    assert meeting.sequence == 0
    meeting.start = at(2026, 3, 12, 10)
    meeting.save()
    meeting.place = "Rådhuset"
    meeting.save()
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.sequence == 3
    event = events(ical.single(meeting, BASE))[meeting.calendar_uid]
    assert (int(event["sequence"]), str(event["status"])) == (3, "CANCELLED")


def test_editing_through_the_form_raises_the_sequence(client, cast):
    client.force_login(cast.staff)
    meeting = cast.meeting
    client.post(
        reverse("meeting_update", args=[meeting.pk]),
        as_posted(
            {
                "forum": meeting.forum_id,
                "title": meeting.title,
                "start": "2026-03-13 09:00",
                "end": "2026-03-13 12:00",
                "status": "planned",
                "invited": [cast.org.pk],
            }
        ),
    )
    meeting.refresh_from_db()
    assert (timezone.localtime(meeting.start).day, meeting.sequence) == (13, 1)


# Feeds ---------------------------------------------------------------------------------


def test_anonymous_calendar_client_reads_a_feed_by_its_token(client, cast, soon):
    feed = feed_for("forum", cast.asn_forum, cast.staff)
    response = get_feed(client, feed)
    assert response.status_code == 200
    parsed = Calendar.from_ical(response.content)
    assert str(parsed["x-wr-calname"]) == "ASN:s temadagar – möten"
    assert list(events(response.content)) == [cast.meeting.calendar_uid]


def test_feed_is_in_swedish_whatever_the_language(client, cast, soon):
    feed = feed_for("personal", None, cast.elected)
    client.cookies["django_language"] = "en"
    response = get_feed(client, feed, accept_language="en")
    parsed = Calendar.from_ical(response.content)
    assert str(parsed["x-wr-calname"]).startswith("Mina möten – ")
    (event,) = parsed.walk("VEVENT")
    assert event["categories"].cats == ["temadag"]


def test_unknown_revoked_and_malformed_tokens_look_the_same(client, cast):
    feed = feed_for("forum", cast.asn_forum, cast.staff)
    feeds.revoke("forum", cast.asn_forum)
    revoked = get_feed(client, feed)
    unknown = client.get(reverse("calendar_feed", args=["x" * 43]))
    malformed = client.get("/kalender/%00%27;--.ics")
    assert revoked.status_code == unknown.status_code == malformed.status_code == 404
    assert [t.name for t in revoked.templates] == [t.name for t in unknown.templates]


def test_personal_feed_dies_with_its_users_account(client, cast):
    feed = feed_for("personal", None, cast.elected)
    assert get_feed(client, feed).status_code == 200
    cast.elected.is_active = False
    cast.elected.save()
    assert get_feed(client, feed).status_code == 404


def test_organisation_feed_holds_only_its_forums_and_invitations(client, cast, soon):
    other_forum_meeting = Meeting.objects.create(
        forum=cast.frf_forum, title="Fritidsdialog", start=soon_at(18, -9)
    )
    invited_there = Meeting.objects.create(
        forum=cast.frf_forum, title="Fritidsdialog med gäster", start=soon_at(18, -2)
    )
    Invitation.objects.create(meeting=invited_there, organisation=cast.org)
    asf_meeting = Meeting.objects.create(
        forum=cast.asf_forum, title="Föreningsträff", start=soon_at(18, -7)
    )
    feed = feed_for("organisation", cast.org, cast.representative)
    uids = set(events(get_feed(client, feed).content))
    assert uids == {m.calendar_uid for m in (cast.meeting, invited_there, asf_meeting)}
    assert other_forum_meeting.calendar_uid not in uids


def test_feed_covers_a_year_back_two_ahead_and_keeps_cancelled_meetings(client, cast):
    now = timezone.now()
    days = datetime.timedelta(days=1)

    def meeting(title, start, **fields):
        return Meeting.objects.create(forum=cast.asf_forum, title=title, start=start, **fields)

    too_old = meeting("Gammal", now - 366 * days)
    last_year = meeting("I fjol", now - 364 * days)
    planned = meeting("Planerad", now + 729 * days)
    too_far = meeting("Långt fram", now + 731 * days)
    cancelled = meeting("Inställd", now + 10 * days, status=Meeting.Status.CANCELLED)
    feed = feed_for("body", cast.asf, cast.staff)
    found = events(get_feed(client, feed).content)
    assert too_old.calendar_uid not in found and too_far.calendar_uid not in found
    assert last_year.calendar_uid in found and planned.calendar_uid in found
    assert str(found[cancelled.calendar_uid]["status"]) == "CANCELLED"


def test_feed_answers_not_modified_until_something_changes(client, cast):
    feed = feed_for("forum", cast.asn_forum, cast.staff)
    cast.meeting.start = timezone.now() + datetime.timedelta(days=3)
    cast.meeting.end = None
    cast.meeting.save()
    first = get_feed(client, feed)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert get_feed(client, feed, if_none_match=etag).status_code == 304
    # The ETag answers; Last-Modified alone cannot tell two changes in one second apart.
    assert get_feed(client, feed, if_modified_since=modified).status_code == 200
    cast.meeting.place = "Rådhuset"
    cast.meeting.save()
    changed = get_feed(client, feed, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    Meeting.objects.create(
        forum=cast.asn_forum, title="Ny", start=timezone.now() + datetime.timedelta(days=9)
    )
    assert get_feed(client, feed, if_none_match=changed["ETag"]).status_code == 200


def test_feed_uses_the_same_number_of_queries_for_few_and_many_meetings(client, cast):
    feed = feed_for("body", cast.asn, cast.staff)

    def queries_with(count):
        Meeting.objects.bulk_create(
            Meeting(forum=cast.asn_forum, title=f"Träff {n}", start=soon_at(9, -9))
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            assert get_feed(client, feed).status_code == 200
        assert len(captured) >= 2  # the feed and its state
        return len(captured)

    assert queries_with(2) == queries_with(40)


def test_a_uid_is_the_same_in_every_feed_and_the_download(client, cast, soon):
    uid = cast.meeting.calendar_uid
    for feed in (
        feed_for("organisation", cast.org, cast.representative),
        feed_for("forum", cast.asn_forum, cast.staff),
        feed_for("body", cast.asn, cast.staff),
        feed_for("personal", None, cast.elected),
    ):
        assert uid in events(get_feed(client, feed).content)
    client.force_login(cast.staff)
    assert list(events(client.get(reverse("meeting_ics", args=[cast.meeting.pk])).content)) == [uid]


# Managing feed links -------------------------------------------------------------------


def renew(client, kind, pk):
    return client.post(reverse("feed_renew", args=[kind, pk]), {"next": "/kalender/"})


@pytest.mark.parametrize(
    ("person", "kind", "target", "status"),
    [
        ("representative", "organisation", "org", 302),
        ("representative", "organisation", "other_org", 404),
        ("representative", "organisation", "kalmar_org", 404),
        ("staff", "organisation", "org", 403),
        ("staff", "forum", "asn_forum", 302),
        ("other_staff", "forum", "asn_forum", 403),
        ("elected", "forum", "asn_forum", 403),
        ("auditor", "body", "asn", 403),
        ("staff", "body", "asn", 302),
        ("kalmar_staff", "body", "asn", 404),
        ("representative", "forum", "frf_forum", 404),
        ("admin", "body", "asn", 302),
    ],
)
def test_who_may_make_a_feed_link(client, cast, person, kind, target, status):
    client.force_login(cast.user(person))
    assert renew(client, kind, getattr(cast, target).pk).status_code == status
    assert CalendarFeed.objects.exists() == (status == 302)


def test_personal_link_only_for_oneself(client, cast):
    client.force_login(cast.elected)
    assert renew(client, "personal", cast.staff.pk).status_code == 404
    assert renew(client, "nonsense", cast.elected.pk).status_code == 404
    assert renew(client, "personal", cast.elected.pk).status_code == 302
    assert CalendarFeed.objects.get().owner == cast.elected


def test_a_new_link_cuts_off_the_old_and_revoke_cuts_off_all(client, cast):
    client.force_login(cast.representative)
    renew(client, "organisation", cast.org.pk)
    old = CalendarFeed.objects.get()
    renew(client, "organisation", cast.org.pk)
    new = CalendarFeed.objects.active().get()
    assert new.pk != old.pk
    client.logout()
    assert get_feed(client, old).status_code == 404
    assert get_feed(client, new).status_code == 200
    client.force_login(cast.representative)
    client.post(reverse("feed_revoke", args=["organisation", cast.org.pk]))
    client.logout()
    assert get_feed(client, new).status_code == 404


def test_organisation_page_offers_https_and_webcal_links(client, cast):
    feed = feed_for("organisation", cast.org, cast.representative)
    client.force_login(cast.representative)
    html = client.get(reverse("organisation_detail", args=[cast.org.pk])).content.decode()
    assert f'value="http://testserver/kalender/{feed.token}.ics"' in html
    assert f'value="webcal://testserver/kalender/{feed.token}.ics"' in html
    client.force_login(cast.elected)
    html = client.get(reverse("organisation_detail", args=[cast.org.pk])).content.decode()
    assert feed.token not in html


def test_calendar_page_lists_the_feeds_one_may_manage(client, cast):
    client.force_login(cast.staff)
    panels = client.get(reverse("calendar_subscriptions")).context["panels"]
    subjects = [(kind, target) for kind, target, _heading, _feed in panels]
    assert ("personal", cast.staff) in subjects
    assert ("body", cast.asf) in subjects
    assert ("forum", cast.asn_forum) in subjects
    assert ("forum", cast.frf_forum) not in subjects


@pytest.mark.parametrize(
    "person", ["staff", "other_staff", "elected", "representative", "auditor", "admin"]
)
def test_the_calendar_page_offers_what_the_rule_allows_with_each_current_feed(client, cast, person):
    """The page looks rights and feeds up in bulk: they must be the rule's answers."""
    from municipality import access

    user = cast.user(person)
    made = feed_for("body", cast.asf, cast.staff)
    feed_for("organisation", cast.org, cast.representative)
    feed_for("personal", None, user)
    client.force_login(user)
    panels = client.get(reverse("calendar_subscriptions")).context["panels"]
    assert panels
    for kind, target, _heading, feed in panels:
        assert access.allows(user, "manage_calendar_feed", target)
        assert feed == feeds.current(kind, target)
    if person == "staff":
        assert ("body", cast.asf, made) in [(k, t, f) for k, t, _h, f in panels]


def test_the_calendar_page_asks_a_constant_number_of_queries(client, cast):
    """However many bodies and forums a civil servant keeps, and feeds they have made."""
    from dialogues.models import Forum
    from municipality.models import Body

    client.force_login(cast.staff)
    client.get(reverse("calendar_subscriptions"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("calendar_subscriptions"))
        assert response.status_code == 200
        return len(queries), len(response.context["panels"])

    small, panels = count()
    for i in range(10):
        committee = Body.objects.create(
            municipality=cast.malmo, name=f"Nämnd {i}", kind="committee"
        )
        cast.asf.serves.add(committee)
        for owner in (committee, cast.asf):
            forum = Forum(name=f"Forum {i} {owner.pk}", kind="other")
            forum.owner = owner
            forum.save()
            feed_for("forum", forum, cast.staff)
        feed_for("body", committee, cast.staff)
    large, more = count()
    assert more == panels + 30
    assert large == small


# Invitations by e-mail ------------------------------------------------------------------


@pytest.fixture
def invited(cast, soon):
    """The cast's meeting in the future with two reachable and one protected contact."""
    Meeting.objects.filter(pk=cast.meeting.pk).update(sequence=0)
    cast.meeting.refresh_from_db()
    ContactPerson.objects.create(organisation=cast.org, name="Lena Berg", email="lena@example.se")
    ContactPerson.objects.create(
        organisation=cast.org, name="Skyddad Person", email="skyddad@example.se", is_protected=True
    )
    ContactPerson.objects.create(organisation=cast.org, name="Utan Adress")
    return cast.meeting


def send(client, meeting):
    return client.post(reverse("meeting_invitations", args=[meeting.pk]))


def attached(message):
    (name, content, mimetype) = message.attachments[0]
    return name, Calendar.from_ical(content), mimetype


def test_invitation_goes_to_each_reachable_contact_with_a_request(client, cast, invited):
    client.force_login(cast.staff)
    send(client, invited)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Lena Berg <lena@example.se>",
        "Omar Saleh <omar@example.se>",
    ]
    message = next(m for m in mail.outbox if "lena" in m.to[0])
    when = timezone.localtime(invited.start).strftime("%Y-%m-%d")
    assert message.subject == f"Inbjudan: Temadag om hemlöshet {when} 09:00"
    assert "Röda Korset Malmö krets är inbjuden" in message.body
    name, parsed, mimetype = attached(message)
    assert (name, mimetype) == ("inbjudan.ics", "text/calendar; method=REQUEST; charset=UTF-8")
    assert str(parsed["method"]) == "REQUEST"
    (event,) = parsed.walk("VEVENT")
    assert str(event["attendee"]) == "mailto:lena@example.se"
    assert (str(event["uid"]), int(event["sequence"])) == (invited.calendar_uid, 0)
    record = CalendarMessage.objects.get()
    assert (record.method, record.sequence, record.sent_by) == ("REQUEST", 0, cast.staff)
    assert len(record.recipient_list) == 2
    assert "skyddad" not in record.recipients


def test_nothing_is_sent_twice_and_changes_go_as_update_then_cancel(client, cast, invited):
    client.force_login(cast.staff)
    send(client, invited)
    send(client, invited)
    assert (len(mail.outbox), CalendarMessage.objects.count()) == (2, 1)

    invited.start = soon_at(9, 1)
    invited.end = soon_at(12, 1)
    invited.save()
    page = client.get(reverse("meeting_detail", args=[invited.pk]))
    assert page.context["pending_invitation"] == ("REQUEST", True)
    send(client, invited)
    update = mail.outbox[-1]
    assert update.subject.startswith("Ändrad: ")
    (event,) = attached(update)[1].walk("VEVENT")
    assert (str(event["uid"]), int(event["sequence"])) == (invited.calendar_uid, 1)
    assert event.decoded("dtstart") == soon_at(9, 1)

    invited.status = Meeting.Status.CANCELLED
    invited.save()
    send(client, invited)
    cancel = mail.outbox[-1]
    _, parsed, mimetype = attached(cancel)
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    assert str(parsed["method"]) == "CANCEL"
    (event,) = parsed.walk("VEVENT")
    assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 2)
    assert [r.method for r in CalendarMessage.objects.order_by("sent_at")] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    send(client, invited)
    assert len(mail.outbox) == 6


def test_a_meeting_cancelled_before_any_invitation_sends_nothing(client, cast, invited):
    invited.status = Meeting.Status.CANCELLED
    invited.save()
    client.force_login(cast.staff)
    send(client, invited)
    assert (mail.outbox, CalendarMessage.objects.count()) == ([], 0)


@pytest.mark.parametrize(
    ("person", "status"),
    [("elected", 403), ("representative", 403), ("auditor", 403), ("kalmar_staff", 404)],
)
def test_only_the_forums_staff_send_invitations(client, cast, invited, person, status):
    client.force_login(cast.user(person))
    assert send(client, invited).status_code == status
    assert (mail.outbox, CalendarMessage.objects.count()) == ([], 0)


def test_invitation_page_names_organisations_no_one_can_be_mailed_at(client, cast, invited):
    Invitation.objects.create(meeting=invited, organisation=cast.other_org)
    client.force_login(cast.staff)
    page = client.get(reverse("meeting_invitations", args=[invited.pk]))
    assert page.context["unreached"] == [cast.other_org]
    assert [p.name for p in page.context["recipients"]] == ["Lena Berg", "Omar Saleh"]


# Feeds follow their holder's rights ------------------------------------------------------


def test_organisation_feed_stops_when_its_maker_stops_representing(client, cast, soon):
    feed = feed_for("organisation", cast.org, cast.representative)
    assert get_feed(client, feed).status_code == 200
    cast.representative.representations.all().delete()
    assert get_feed(client, feed).status_code == 404


def test_body_feed_stops_when_its_maker_is_deactivated(client, cast, soon):
    feed = feed_for("body", cast.asn, cast.staff)
    assert get_feed(client, feed).status_code == 200
    cast.staff.is_active = False
    cast.staff.save()
    assert get_feed(client, feed).status_code == 404


def test_body_and_forum_feeds_stop_when_the_maker_leaves_the_forvaltning(client, cast, soon):
    body_feed = feed_for("body", cast.asf, cast.staff)
    forum_feed = feed_for("forum", cast.asn_forum, cast.staff)
    assert get_feed(client, body_feed).status_code == get_feed(client, forum_feed).status_code
    assert get_feed(client, forum_feed).status_code == 200
    cast.staff.memberships.all().delete()
    assert get_feed(client, body_feed).status_code == 404
    assert get_feed(client, forum_feed).status_code == 404


def test_checking_the_holder_costs_a_few_queries_per_poll(client, cast, soon):
    feed = feed_for("forum", cast.asn_forum, cast.staff)
    first = get_feed(client, feed)
    with CaptureQueriesContext(connection) as queries:
        assert get_feed(client, feed, if_none_match=first["ETag"]).status_code == 304
    # The feed's row (its revision) and the holder's scope and right; no meeting is read.
    assert not any("dialogues_meeting" in q["sql"] for q in queries)
    assert len(queries) <= 8


def test_feed_tells_clients_to_refresh_hourly_in_valid_durations(client, cast):
    """RFC 7986's REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL, both as ISO durations."""
    feed = feed_for("forum", cast.asn_forum, cast.staff)
    unfolded = get_feed(client, feed).content.decode().replace("\r\n ", "")
    lines = unfolded.splitlines()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_each_panel_says_what_its_feed_holds_and_the_first_link_replaces_nothing(client, cast):
    """A representative sees two panels (their own, their organisation's): each says what
    its calendar holds, and making the first link does not speak of earlier ones."""
    client.force_login(cast.representative)
    html = client.get(reverse("calendar_subscriptions")).content.decode()
    assert html.count("Skapa prenumerationslänk") == 2
    assert "Bara för dig: mötena i din egen nämnd, förvaltning eller organisation." in html
    assert f"De möten {cast.org.name} är inbjuden till" in html
    assert "från ett år bakåt till två år framåt" not in html  # no link yet

    first = client.get(renew(client, "organisation", cast.org.pk).url).content.decode()
    assert "Kalenderlänken är skapad" in first and "fungerar inte längre" not in first
    assert "Möten från ett år bakåt till två år framåt" in first
    again = client.get(renew(client, "organisation", cast.org.pk).url).content.decode()
    assert "Den tidigare länken fungerar inte längre." in again
