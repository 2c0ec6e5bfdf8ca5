"""An archived organisation is not offered for new grants, and its grants stay where
they were: on old records and in the auditor's workbook."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from grants import workbook
from grants.models import Grant
from tests.grants.test_workbook import table


def archive(client, user, organisation):
    client.force_login(user)
    client.post(reverse("organisation_archive", args=[organisation.pk]))
    organisation.refresh_from_db()
    assert organisation.is_archived


def test_an_archived_organisation_is_not_offered_in_new_records_but_kept_in_old(client, cast, book):
    archive(client, cast.staff, cast.org)
    new = client.get(reverse("grant_create"))
    assert cast.org not in new.context["form"].fields["organisation"].queryset
    assert cast.other_org in new.context["form"].fields["organisation"].queryset
    edit = client.get(reverse("grant_update", args=[book.paid.pk]))
    assert cast.org in edit.context["form"].fields["organisation"].queryset
    forum = client.get(reverse("forum_update", args=[cast.asf_forum.pk]))
    members = forum.context["form"].fields["members"].queryset
    assert set(cast.asf_forum.members.all()) <= set(members)
    assert cast.org not in client.get(reverse("forum_create")).context["form"].fields[
        "members"
    ].queryset.exclude(pk__in=cast.asf_forum.members.all())


def test_grants_of_an_archived_organisation_stay_in_the_workbook(client, cast, book):
    archive(client, cast.staff, cast.org)
    grants = Grant.objects.filter(scheme__committee__municipality=cast.malmo)
    book_bytes = workbook.as_bytes(grants, user=cast.auditor, sample_size=0, seed=1)
    decisions = load_workbook(io.BytesIO(book_bytes))["Beslut"]
    assert {row["Organisation"] for row in table(decisions)} >= {cast.org.name}
