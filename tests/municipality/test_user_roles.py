"""Användare och roller: administrators see who holds which role, where, and export it."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from municipality.models import Membership, Role, User
from partners.models import Organisation, Representative
from tests.cast import Cast
from tests.spreadsheets import HOSTILE


def usernames(response):
    return [row.record.username for row in response.context["table"].page.object_list]


def listed(client, cast, **query):
    client.force_login(cast.admin)
    response = client.get(reverse("user_list"), query)
    assert response.status_code == 200
    return sorted(usernames(response))


@pytest.mark.parametrize("person", [p for p in Cast.USER_KEYS if p != "admin"])
def test_only_administrators_see_users_and_roles(client, cast, person):
    client.force_login(cast.user(person))
    assert client.get(reverse("user_list")).status_code == 403
    assert client.get(reverse("user_workbook")).status_code == 403


def test_every_user_with_role_municipality_memberships_and_representations(client, cast):
    Membership.objects.filter(user=cast.staff).update(title="Utvecklingssekreterare")
    assert listed(client, cast) == sorted(
        ["admin", "auditor", "elected", "kalmar_staff", "other_staff", "representative", "staff"]
    )
    html = client.get(reverse("user_list")).content.decode()
    assert "Arbetsmarknads- och socialförvaltningen (Utvecklingssekreterare)" in html
    assert "Röda Korset Malmö krets" in html
    assert "Organisationsföreträdare" in html and "Kalmar kommun" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "elected"}, ["elected"]),
        ({"role": "civil_servant"}, ["kalmar_staff", "other_staff", "staff"]),
        ({"body": "asf"}, ["staff"]),
        ({"body": "asn"}, ["elected"]),
        ({"municipality": "kalmar"}, ["kalmar_staff"]),
        ({"q": "röda korset"}, ["representative"]),
        ({"q": "other_staff@example"}, ["other_staff"]),
        ({"q": "Auditor"}, ["auditor"]),
        ({"role": "elected", "municipality": "kalmar"}, []),
    ],
)
def test_the_filter(client, cast, query, expected):
    query = {
        key: getattr(cast, value).pk if key in ("body", "municipality") else value
        for key, value in query.items()
    }
    assert listed(client, cast, **query) == expected


def test_a_bad_filter_value_shows_the_page(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("user_list"), {"role": "king", "body": "x", "per_page": "-5"})
    assert response.status_code == 200


def add_users(cast, prefix, count):
    """`count` civil servants in two bodies and as many representatives of two
    organisations each."""
    organisation = Organisation.objects.create(municipality=cast.malmo, name=f"{prefix} förening")
    for n in range(count):
        staff = User.objects.create_user(
            f"{prefix}staff{n}", role=Role.CIVIL_SERVANT, municipality=cast.malmo
        )
        Membership.objects.create(user=staff, body=cast.asf, title="Handläggare")
        Membership.objects.create(user=staff, body=cast.frf)
        representative = User.objects.create_user(
            f"{prefix}rep{n}", role=Role.REPRESENTATIVE, municipality=cast.malmo
        )
        for org in (cast.org, organisation):
            Representative.objects.create(
                user=representative,
                organisation=org,
                authorisation="signatory",
                since=datetime.date(2026, 1, 1),
            )


@pytest.mark.parametrize("url", ["user_list", "user_workbook"])
def test_queries_do_not_grow_with_the_users(client, cast, url):
    client.force_login(cast.admin)
    client.get(reverse(url))  # the session and the like, once
    counts = []
    for prefix, extra in (("a", 1), ("b", 20)):
        add_users(cast, prefix, extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url), {"per_page": 200}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_workbook_follows_the_filter_and_keeps_hostile_text_as_text(client, cast):
    for n, text in enumerate(HOSTILE):
        user = User.objects.create_user(
            f"hostile{n}",
            first_name=text,
            last_name="Efternamn",
            role=Role.CIVIL_SERVANT,
            municipality=cast.malmo,
        )
        Membership.objects.create(user=user, body=cast.asf, title=text)
    client.force_login(cast.admin)
    response = client.get(reverse("user_workbook"), {"body": cast.asf.pk})
    assert response["Content-Disposition"].startswith('attachment; filename="anvandare-och-roller-')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Namn", "Användarnamn", "E-post", "Roll")
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted([f"{text} Efternamn".strip() for text in HOSTILE] + ["Staff"])
    for row in sheet.iter_rows(min_row=2, max_col=8):
        assert all(cell.data_type == "s" for cell in row if cell.value is not None)
    titles = {row[5] for row in rows[1:]}
    assert "Arbetsmarknads- och socialförvaltningen (=1+1)" in titles
