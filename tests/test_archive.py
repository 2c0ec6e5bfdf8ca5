"""Archive, don't delete: an archived organisation, agreement or meeting leaves the
everyday lists, calendars and choices, and stays in history, reports and workbooks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.models import CalendarFeed, Meeting
from partners.models import Organisation, Partnership


def names_in(response, table="table"):
    return {str(row.record) for row in response.context[table].page.object_list}


def archive(client, user, name, obj, **data):
    client.force_login(user)
    return client.post(reverse(name, args=[obj.pk]), data)


def test_an_archived_organisation_leaves_the_list_and_can_be_listed(client, cast):
    response = archive(client, cast.staff, "organisation_archive", cast.org)
    assert response.status_code == 302
    cast.org.refresh_from_db()
    assert cast.org.is_archived and cast.org.archived_by == cast.staff

    listed = client.get(reverse("organisation_list"))
    assert cast.org.name not in names_in(listed)
    assert cast.other_org.name in names_in(listed)
    only = client.get(reverse("organisation_list"), {"archived": "archived"})
    assert names_in(only) == {cast.org.name}
    assert "arkiverad" in only.content.decode()
    both = client.get(reverse("organisation_list"), {"archived": "all"})
    assert {cast.org.name, cast.other_org.name} <= names_in(both)
    junk = client.get(reverse("organisation_list"), {"archived": "zz"})
    assert cast.org.name not in names_in(junk)


def test_the_page_says_archived_by_whom_and_restores(client, cast):
    archive(client, cast.staff, "organisation_archive", cast.org)
    page = client.get(cast.org.get_absolute_url()).content.decode()
    assert "Arkiverad" in page and "Återställ" in page

    archive(client, cast.staff, "organisation_archive", cast.org, restore="1")
    cast.org.refresh_from_db()
    assert not cast.org.is_archived and cast.org.archived_by is None
    assert cast.org.name in names_in(client.get(reverse("organisation_list")))
    page = client.get(cast.org.get_absolute_url()).content.decode()
    assert "Återställ" not in page and "Arkivera" in page


def test_archiving_is_in_the_history(client, cast):
    archive(client, cast.staff, "organisation_archive", cast.org)
    archive(client, cast.staff, "organisation_archive", cast.org, restore="1")
    records = list(cast.org.history.order_by("history_id"))
    assert records[-2].archived_at is not None and records[-2].history_user == cast.staff
    assert records[-1].archived_at is None


def test_who_may_not_archive_sees_no_button(client, cast):
    for user in (cast.representative, cast.elected, cast.auditor):
        client.force_login(user)
        page = client.get(cast.org.get_absolute_url()).content.decode()
        assert reverse("organisation_archive", args=[cast.org.pk]) not in page
    client.force_login(cast.staff)
    page = client.get(cast.org.get_absolute_url()).content.decode()
    assert reverse("organisation_archive", args=[cast.org.pk]) in page


def test_an_archived_agreement_leaves_the_list_and_its_reminders(client, cast, mailoutbox):
    archive(client, cast.staff, "partnership_archive", cast.partnership)
    listed = client.get(reverse("partnership_list"))
    assert cast.partnership.title not in names_in(listed)
    only = client.get(reverse("partnership_list"), {"archived": "archived"})
    assert names_in(only) == {cast.partnership.title}
    assert Partnership.objects.current().filter(pk=cast.partnership.pk).exists() is False
    page = client.get(cast.partnership.get_absolute_url()).content.decode()
    assert "Arkiverad" in page


def meeting_next_week(cast):
    start = timezone.now() + datetime.timedelta(days=7)
    return Meeting.objects.create(forum=cast.asn_forum, title="Vårens temadag", start=start)


def test_an_archived_meeting_leaves_lists_calendar_and_feeds(client, cast):
    meeting = meeting_next_week(cast)
    feed = CalendarFeed.objects.create(kind="forum", forum=cast.asn_forum, owner=cast.staff)
    client.force_login(cast.staff)
    month = timezone.localtime(meeting.start).strftime("%Y-%m")
    assert (
        "Vårens temadag" in client.get(reverse("calendar_feed", args=[feed.token])).content.decode()
    )

    assert archive(client, cast.staff, "meeting_archive", meeting).status_code == 302
    assert meeting.title not in names_in(client.get(reverse("meeting_list")))
    calendar = client.get(reverse("meeting_calendar"), {"month": month}).content.decode()
    assert "Vårens temadag" not in calendar
    assert "Vårens temadag" not in client.get(cast.asn_forum.get_absolute_url()).content.decode()
    client.logout()
    assert (
        "Vårens temadag"
        not in client.get(reverse("calendar_feed", args=[feed.token])).content.decode()
    )


def test_an_archived_meeting_stays_on_the_organisations_page(client, cast):
    archive(client, cast.staff, "meeting_archive", cast.meeting)
    client.force_login(cast.staff)
    page = client.get(cast.org.get_absolute_url()).content.decode()
    assert cast.meeting.title in page
    past = client.get(reverse("meeting_list"), {"when": "past", "archived": "archived"})
    assert names_in(past) == {str(cast.meeting)}


def test_a_refused_archive_changes_nothing(client, cast):
    response = archive(client, cast.representative, "organisation_archive", cast.org)
    assert response.status_code == 403
    cast.org.refresh_from_db()
    assert not cast.org.is_archived


def test_the_admin_archives_and_refuses_to_delete_an_organisation_with_contacts(client, cast):
    client.force_login(cast.admin)
    changelist = reverse("admin:partners_organisation_changelist")
    client.post(
        changelist,
        {"action": "archive_selected", "_selected_action": [cast.org.pk], "index": 0},
    )
    cast.org.refresh_from_db()
    assert cast.org.is_archived and cast.org.archived_by == cast.admin
    listed = client.get(changelist, {"archived": "no"})
    assert cast.org not in listed.context["cl"].result_list

    delete = reverse("admin:partners_organisation_delete", args=[cast.org.pk])
    client.post(delete, {"post": "yes"})
    assert Organisation.objects.filter(pk=cast.org.pk).exists()
    assert cast.org.contacts.exists()


@pytest.mark.parametrize("model", [Organisation, Partnership, Meeting])
def test_archivable_records_have_history(model):
    assert "archived_at" in {f.name for f in model.history.model._meta.fields}
