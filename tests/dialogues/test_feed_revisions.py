"""A feed's 304 reads its revision, not its meetings: every change that alters what a feed
holds must raise it, or a subscribed calendar stays stale. Each change here is made the
way the service makes it (its forms and views, the import, a model's save where no page
does it), and every feed whose content it alters must answer the old ETag with the new
calendar; feeds it does not reach keep answering 304."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dialogues.models import CalendarFeed, Invitation, Meeting
from municipality import register_import
from partners.register_import import ORGANISATIONS
from tests.meeting_form import as_posted
from tests.partners.test_register_import import ORG_HEADER, csv_file
from tests.test_edit_guard import shown

pytestmark = pytest.mark.django_db


def soon(days=0, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=30 + days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def world(cast):
    """The cast, a meeting no organisation is invited to and one other_org is invited to,
    and a feed of every kind (held by someone who may hold it)."""
    cast.uninvited = Meeting.objects.create(
        forum=cast.asn_forum, title="Temadag utan inbjudan", start=soon(1)
    )
    cast.guests = Meeting.objects.create(forum=cast.asf_forum, title="Med gäster", start=soon(2))
    Invitation.objects.create(meeting=cast.guests, organisation=cast.other_org)

    def feed(kind, owner, **subject):
        return CalendarFeed.objects.create(kind=kind, owner=owner, **subject)

    cast.feeds = {
        "organisation": feed("organisation", cast.representative, organisation=cast.org),
        "forum": feed("forum", cast.staff, forum=cast.asn_forum),
        "body": feed("body", cast.staff, body=cast.asn),
        "staff's own": feed("personal", cast.staff),
        "elected's own": feed("personal", cast.elected),
        "representative's own": feed("personal", cast.representative),
        "administrator's own": feed("personal", cast.admin),
        "other organisation": feed("organisation", cast.admin, organisation=cast.other_org),
        "Kalmar forum": feed("forum", cast.admin, forum=cast.kalmar_forum),
    }
    return cast


def poll(feed, **headers):
    return Client().get(reverse("calendar_feed", args=[feed.token]), headers=headers)


def content(response):
    """The calendar without its DTSTAMP, which is the time of the answer."""
    lines = response.content.decode().replace("\r\n ", "").splitlines()
    return [line for line in lines if not line.startswith("DTSTAMP")]


def states(world):
    return {name: (r["ETag"], content(r)) for name, r in map_polls(world).items()}


def map_polls(world):
    return {name: poll(feed) for name, feed in world.feeds.items()}


def post_form(client, user, url_name, pk, **changes):
    client.force_login(user)
    url = reverse(url_name, args=[pk])
    data = {**shown(client, url), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return response


# Each change: (what it does, the feeds whose content it alters, those it leaves alone).

EVERY_VIEW_OF_ASN = [
    "organisation",
    "forum",
    "body",
    "staff's own",
    "elected's own",
    "representative's own",
    "administrator's own",
]
UNRELATED = ["other organisation", "Kalmar forum"]


def edit_meeting(client, cast):
    post_form(client, cast.staff, "meeting_update", cast.uninvited.pk, place="Rådhuset")


def schedule_meeting(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("meeting_create"),
        as_posted(
            {
                "forum": cast.asn_forum.pk,
                "title": "Ny temadag",
                "start": soon(5).strftime("%Y-%m-%d %H:%M"),
                "status": "planned",
            }
        ),
    )
    assert response.status_code == 302


def archive_meeting(client, cast):
    client.force_login(cast.staff)
    assert client.post(reverse("meeting_archive", args=[cast.uninvited.pk])).status_code == 302


def move_meeting(client, cast):
    post_form(client, cast.staff, "meeting_update", cast.uninvited.pk, forum=cast.asf_forum.pk)


def invite_organisation(client, cast):
    invited = [str(cast.org.pk), str(cast.other_org.pk)]
    post_form(client, cast.staff, "meeting_update", cast.uninvited.pk, invited=invited)


def uninvite_organisation(client, cast):
    post_form(client, cast.staff, "meeting_update", cast.guests.pk, invited=[str(cast.org.pk)])


def remove_member(client, cast):
    post_form(client, cast.staff, "forum_update", cast.asn_forum.pk, members=[])


def add_member(client, cast):
    members = [str(cast.org.pk), str(cast.other_org.pk)]
    post_form(client, cast.staff, "forum_update", cast.asn_forum.pk, members=members)


def rename_forum(client, cast):
    post_form(client, cast.staff, "forum_update", cast.asn_forum.pk, name="ASN:s dialogdagar")


def rename_body(client, cast):
    cast.asn.name = "Socialnämnden"
    cast.asn.save()


def move_body(client, cast):
    cast.asn.municipality = cast.kalmar
    cast.asn.save()


def rename_organisation(client, cast):
    post_form(client, cast.staff, "organisation_update", cast.org.pk, name="Röda Korset Malmö")


def rename_organisation_by_import(client, cast):
    row = [cast.org.org_number, "Röda Korset i Malmö", "", "Malmö", "", "", ""]
    data = csv_file(ORG_HEADER, [row])
    register_import.run(ORGANISATIONS, data, user=cast.staff, file_name="reg.csv")


def rename_holder(client, cast):
    cast.staff.last_name = "Lind"
    cast.staff.save()


def leave_the_committee(client, cast):
    cast.elected.memberships.all().delete()


def delete_meeting(client, cast):
    cast.uninvited.delete()


CHANGES = [
    (edit_meeting, EVERY_VIEW_OF_ASN, UNRELATED),
    (schedule_meeting, EVERY_VIEW_OF_ASN, UNRELATED),
    (archive_meeting, EVERY_VIEW_OF_ASN, UNRELATED),
    (delete_meeting, EVERY_VIEW_OF_ASN, UNRELATED),
    (move_meeting, ["forum", "body", "organisation", "elected's own"], ["Kalmar forum"]),
    (invite_organisation, ["other organisation"], ["Kalmar forum"]),
    (uninvite_organisation, ["other organisation"], ["Kalmar forum", "forum", "body"]),
    (remove_member, ["organisation", "representative's own"], UNRELATED),
    (add_member, ["other organisation"], ["Kalmar forum"]),
    (rename_forum, EVERY_VIEW_OF_ASN, UNRELATED),
    (rename_body, EVERY_VIEW_OF_ASN, UNRELATED),
    (move_body, ["staff's own"], ["Kalmar forum"]),
    (rename_organisation, ["organisation"], ["forum", "body", "staff's own", *UNRELATED]),
    (rename_organisation_by_import, ["organisation"], ["forum", "body", *UNRELATED]),
    (rename_holder, ["staff's own"], ["forum", "body", "organisation", *UNRELATED]),
    (leave_the_committee, ["elected's own"], ["forum", "body", "organisation", *UNRELATED]),
]


@pytest.mark.parametrize(
    ("change", "reached", "untouched"), CHANGES, ids=[c[0].__name__ for c in CHANGES]
)
def test_a_change_reaches_every_feed_it_alters(client, world, change, reached, untouched):
    before = states(world)
    for name, (etag, _) in before.items():
        assert poll(world.feeds[name], if_none_match=etag).status_code == 304, name
    change(client, world)
    for name in reached:
        etag, held = before[name]
        again = poll(world.feeds[name], if_none_match=etag)
        assert again.status_code == 200, f"{change.__name__}: the {name} feed answered 304"
        assert content(again) != held, f"{change.__name__}: the {name} feed did not change"
    for name in untouched:
        etag, held = before[name]
        assert poll(world.feeds[name], if_none_match=etag).status_code == 304, name


def test_the_window_moves_at_midnight_and_the_etag_with_it(world, monkeypatch):
    before = states(world)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    for name, (etag, _) in before.items():
        assert poll(world.feeds[name], if_none_match=etag).status_code == 200, name


def test_last_modified_alone_never_answers_not_modified(world):
    """Two changes in one second share a Last-Modified: only the ETag can tell them apart."""
    feed = world.feeds["forum"]
    first = poll(feed)
    world.uninvited.place = "Rådhuset"
    world.uninvited.save()
    again = poll(feed, if_modified_since=first["Last-Modified"])
    assert again.status_code == 200
    assert poll(feed, if_none_match=again["ETag"]).status_code == 304


def test_a_new_link_is_a_new_etag(world):
    feed = world.feeds["forum"]
    first = poll(feed)
    renewed = CalendarFeed.objects.create(kind="forum", forum=feed.forum, owner=feed.owner)
    assert poll(renewed, if_none_match=first["ETag"]).status_code == 200
