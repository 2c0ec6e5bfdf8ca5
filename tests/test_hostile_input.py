"""Input a user can type never gives a 500: each case found by trying the service as an
attacker and a careless user would, replayed as an ordinary test."""

import pytest
from django.urls import reverse

from tests.test_access_matrix import asn_grant

QUERIES = [
    ("meeting_list", "per_page=-5"),
    ("organisation_list", "per_page=-5&page=-3"),
    ("partnership_list", "per_page=0"),
    ("forum_list", "per_page=abc&page=abc"),
    ("observation_list", "per_page=99999999999999999999&page=99999"),
    ("grant_list", "per_page=abc&committee=abc&year=99999999999999999999"),
    ("meeting_list", "forum=abc&owner=abc"),
    ("meeting_list", "forum=99999999999999999999"),
    ("meeting_calendar", "month=9999-12"),
    ("meeting_calendar", "month=0001-01"),
    ("meeting_calendar", "month=2026-13"),
    ("grant_workbook", "changes_to=9999-12-31"),
    ("grant_workbook", "changes_from=0001-01-01&seed=99999999999999999999999&sample_size=-4"),
    ("delegation_list", "committee=abc&from=9999-99-99&to=0001-01-01"),
    ("delegation_list", "committee=99999999999999999999999"),
    ("observation_list", "status=zz&body=abc&sort=nonexistent"),
]


@pytest.mark.parametrize(("name", "query"), QUERIES)
def test_junk_in_the_query_string_shows_a_normal_page(client, cast, name, query):
    asn_grant(cast)
    client.force_login(cast.staff)
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200


def test_a_month_out_of_range_shows_the_current_month(client, cast):
    client.force_login(cast.staff)
    today = client.get(reverse("meeting_calendar")).context["month"]
    assert client.get(reverse("meeting_calendar") + "?month=9999-12").context["month"] == today


def test_a_huge_page_size_is_capped(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("organisation_list") + "?per_page=100000")
    assert response.context["table"].paginator.per_page == 25
    response = client.get(reverse("organisation_list") + "?per_page=2")
    assert response.context["table"].paginator.per_page == 2
