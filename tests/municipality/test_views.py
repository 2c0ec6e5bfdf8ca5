import pytest
from django.urls import reverse

from tests.cast import Cast

NAV_FOR_EVERYONE = [
    "Start",
    "Möten",
    "Forum",
    "Frågor",
    "Organisationer",
    "IOP-avtal",
    "Bidrag",
    "Nämnder",
]


def nav_labels(response):
    return [str(item["label"]) for item in response.context["nav_items"]]


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_navigation_fits_the_role(client, cast, person):
    client.force_login(cast.user(person))
    response = client.get(reverse("home"))
    expected = [
        *NAV_FOR_EVERYONE,
        *([] if person == "representative" else ["Dialogstrukturer"]),
        "Kalender",
        *(["Användare och roller", "Administration"] if person == "admin" else []),
    ]
    assert nav_labels(response) == expected
    html = response.content.decode()
    assert (reverse("admin:index") in html) == (person == "admin")
    assert cast.user(person).get_role_display() in html


def test_current_page_is_marked_for_screen_readers(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("body_list")).content.decode()
    assert f'href="{reverse("body_list")}" aria-current="page"' in html
    assert f'href="{reverse("home")}" aria-current="page"' not in html


def test_start_page_names_the_users_bodies(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("home"))
    assert [m.body for m in response.context["memberships"]] == [cast.asf]
    assert "Du är inloggad som <strong>Tjänsteperson</strong> i Malmö stad." in (
        response.content.decode()
    )


def test_body_list_pairs_committees_with_their_administrations(client, cast):
    client.force_login(cast.elected)
    response = client.get(reverse("body_list"))
    assert set(response.context["bodies"]) == {cast.asn, cast.asf, cast.frn, cast.frf}
    html = response.content.decode()
    assert "Kalmar" not in html
    assert "<td>Arbetsmarknads- och socialförvaltningen</td>" in html


def test_body_list_uses_a_constant_number_of_queries(client, cast, django_assert_max_num_queries):
    from municipality.models import Body

    client.force_login(cast.staff)
    client.get(reverse("body_list"))  # warm the session
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("body_list"))
    for i in range(20):
        committee = Body.objects.create(
            municipality=cast.malmo, name=f"Nämnd {i}", kind="committee"
        )
        Body.objects.create(
            municipality=cast.malmo, name=f"Förvaltning {i}", kind="administration"
        ).serves.add(committee)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("body_list"))
    assert len(response.context["bodies"]) == 44


def test_body_detail_shows_members_to_staff_but_not_to_representatives(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("body_detail", args=[cast.asn.pk])).content.decode()
    assert "Elected" in html and "Ledamöter" in html
    client.force_login(cast.representative)
    html = client.get(reverse("body_detail", args=[cast.asn.pk])).content.decode()
    assert "Elected" not in html and "Ledamöter" not in html
