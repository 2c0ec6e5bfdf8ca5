"""Changes of many-to-many sets (agreement parties, forum members, an organisation's
target groups and areas) are recorded with who made them and shown in the Historik sections."""

from django.urls import reverse

from partners.models import Area, Partnership, TargetGroup
from tests.partners.test_organisations import VALID
from tests.partners.test_partnerships import form_data

BOTH = "Brukarföreningen Malmö, Röda Korset Malmö krets"


def changes(entry):
    return {change.label: (change.old, change.new) for change in entry.changes}


def newest(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    return response.context["history"][0], response.content.decode()


def test_changing_an_agreements_parties_is_one_entry_with_who_and_what(client, cast):
    client.force_login(cast.staff)
    client.post(reverse("partnership_create"), form_data(cast))
    partnership = Partnership.objects.get(title="IOP Crossroads")
    created, _ = newest(client, cast.auditor, "partnership_detail", partnership.pk)
    assert str(created.action) == "skapad"
    assert changes(created)["parter"] == (None, "Röda Korset Malmö krets")
    client.force_login(cast.staff)
    client.post(
        reverse("partnership_update", args=[partnership.pk]),
        form_data(cast, parties=[cast.org.pk, cast.other_org.pk]),
    )
    entry, content = newest(client, cast.auditor, "partnership_detail", partnership.pk)
    assert (entry.who, str(entry.action)) == (cast.staff, "ändrad")
    assert changes(entry) == {"parter": ("Röda Korset Malmö krets", BOTH)}
    assert f"Parter:</span> Röda Korset Malmö krets → {BOTH}" in content
    assert len(partnership.history.all()) > 2  # each change of the set is kept as a record


def test_removing_a_party_shows_the_set_before_and_after(client, cast):
    partnership = cast.partnership
    partnership.parties.add(cast.other_org)
    client.force_login(cast.staff)
    data = form_data(cast, title=partnership.title, parties=[cast.other_org.pk])
    client.post(reverse("partnership_update", args=[partnership.pk]), data)
    entry, _ = newest(client, cast.staff, "partnership_detail", partnership.pk)
    assert entry.who == cast.staff
    assert changes(entry)["parter"] == (BOTH, "Brukarföreningen Malmö")


def test_changing_forum_members_is_recorded_and_shown(client, cast):
    forum = cast.asf_forum
    data = {
        "name": forum.name,
        "kind": forum.kind,
        "owner": forum.owner_id,
        "cadence": forum.cadence,
        "members": [cast.org.pk, cast.other_org.pk],
        "is_active": "on",
    }
    client.force_login(cast.staff)
    response = client.post(reverse("forum_update", args=[forum.pk]), data)
    assert response.status_code == 302
    entry, content = newest(client, cast.staff, "forum_detail", forum.pk)
    assert (entry.who, str(entry.action)) == (cast.staff, "ändrad")
    assert changes(entry) == {"medlemsorganisationer": ("Röda Korset Malmö krets", BOTH)}
    assert f"Medlemsorganisationer:</span> Röda Korset Malmö krets → {BOTH}" in content


def test_forum_history_is_not_shown_to_representatives(client, cast):
    client.force_login(cast.representative)
    response = client.get(reverse("forum_detail", args=[cast.asf_forum.pk]))
    assert response.context["history"] is None


def test_changing_an_organisations_target_groups_and_areas_is_recorded(client, cast):
    homeless = TargetGroup.objects.create(name="Personer i hemlöshet")
    young = TargetGroup.objects.create(name="Barn och unga")
    centre = Area.objects.create(municipality=cast.malmo, name="Innerstaden")
    data = {**VALID, "name": cast.org.name, "org_number": cast.org.org_number}
    client.force_login(cast.staff)
    url = reverse("organisation_update", args=[cast.org.pk])
    client.post(url, {**data, "target_groups": [homeless.pk]})
    client.post(url, {**data, "target_groups": [homeless.pk, young.pk], "areas": [centre.pk]})
    entry, content = newest(client, cast.staff, "organisation_detail", cast.org.pk)
    assert entry.who == cast.staff
    assert changes(entry) == {
        "målgrupper": ("Personer i hemlöshet", "Barn och unga, Personer i hemlöshet"),
        "områden": ("–", "Innerstaden"),
    }
    assert "Målgrupper:</span> Personer i hemlöshet → Barn och unga, Personer i hemlöshet" in (
        content
    )
