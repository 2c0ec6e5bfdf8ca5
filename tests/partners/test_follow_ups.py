"""Yearly follow-ups of an IOP agreement: a default year inside the period, no date before
the agreement, and the next one planned on the agreement."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import FollowUp, Partnership

D = datetime.date


def post(client, partnership, **data):
    return client.post(
        reverse("follow_up_create", args=[partnership.pk]),
        {"assessment": "good", "summary": "Bra år.", **data},
    )


def test_the_year_offered_is_the_first_not_followed_up_inside_the_period(client, cast):
    partnership = cast.partnership  # 2024-01-01 – 2027-12-31
    client.force_login(cast.staff)
    url = reverse("follow_up_create", args=[partnership.pk])
    assert client.get(url).context["form"].initial["year"] == 2024
    FollowUp.objects.create(
        partnership=partnership, date=D(2025, 2, 1), year=2024, assessment="good", summary="x"
    )
    assert client.get(url).context["form"].initial["year"] == 2025


@pytest.mark.parametrize(
    "start, end, taken, today, expected",
    [
        (D(2026, 1, 1), D(2028, 12, 31), [], D(2026, 6, 1), 2026),  # began this year
        (D(2020, 1, 1), D(2022, 12, 31), [], D(2026, 6, 1), 2020),  # ended, none followed up
        (D(2020, 1, 1), D(2022, 12, 31), [2020, 2021, 2022], D(2026, 6, 1), 2022),
        (D(2024, 1, 1), D(2027, 12, 31), [2024, 2025], D(2026, 6, 1), 2026),
        (D(2027, 1, 1), D(2029, 12, 31), [], D(2026, 6, 1), 2027),  # not begun yet
    ],
)
def test_the_default_year_never_falls_outside_the_period(cast, start, end, taken, today, expected):
    from partners.forms import FollowUpForm

    partnership = cast.partnership
    Partnership.objects.filter(pk=partnership.pk).update(start_date=start, end_date=end)
    partnership.refresh_from_db()
    for year in taken:
        FollowUp.objects.create(
            partnership=partnership, date=start, year=year, assessment="good", summary="x"
        )
    year = FollowUpForm.default_year(partnership, today)
    assert year == expected
    assert start.year <= year <= end.year


def test_a_follow_up_dated_before_the_agreement_is_refused_and_nothing_saved(client, cast):
    client.force_login(cast.staff)
    response = post(client, cast.partnership, date="2023-12-31", year="2024")
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "En uppföljning kan inte dateras före avtalets start (2024-01-01)."
    ]
    assert not FollowUp.objects.exists()


def test_a_follow_up_ahead_of_today_or_of_a_year_not_begun_is_refused(client, cast):
    client.force_login(cast.staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ahead = post(client, cast.partnership, date=tomorrow.isoformat(), year="2025")
    assert "date" in ahead.context["form"].errors
    early = post(client, cast.partnership, date="2025-03-01", year="2026")
    assert "year" in early.context["form"].errors
    assert not FollowUp.objects.exists()


def test_the_next_follow_up_is_planned_with_the_one_held_and_shown_on_the_agreement(client, cast):
    client.force_login(cast.staff)
    response = post(
        client, cast.partnership, date="2025-02-20", year="2024", plan_next="2026-02-15"
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert partnership.next_follow_up_on == D(2026, 2, 15)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Nästa uppföljning planerad 2026-02-15 (av året 2025)." in page
    assert partnership.history.latest().next_follow_up_on == D(2026, 2, 15)

    # Held as planned, with no new date: the plan is done and no longer shown.
    post(client, partnership, date="2026-02-15", year="2025")
    partnership.refresh_from_db()
    assert partnership.next_follow_up_on is None
    assert (
        "Nästa uppföljning: av året 2026, inte planerad än."
        in client.get(partnership.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "planned, message",
    [
        ("2025-02-01", "Nästa uppföljning kommer efter den här."),
        ("2029-01-01", "En uppföljning planeras mellan avtalets start (2024-01-01) och ett år"),
    ],
)
def test_a_plan_before_this_follow_up_or_far_past_the_end_is_refused(
    client, cast, planned, message
):
    client.force_login(cast.staff)
    response = post(client, cast.partnership, date="2025-02-20", year="2024", plan_next=planned)
    assert message in " ".join(response.context["form"].errors["plan_next"])
    assert not FollowUp.objects.exists()
    cast.partnership.refresh_from_db()
    assert cast.partnership.next_follow_up_on is None


def test_the_next_follow_up_is_planned_on_the_agreement_form_too(client, cast):
    from tests.partners.test_partnerships import form_data

    client.force_login(cast.staff)
    data = form_data(cast, title=cast.partnership.title, start_date="2024-01-01")
    response = client.post(
        reverse("partnership_update", args=[cast.partnership.pk]),
        {**data, "next_follow_up_on": "2023-05-01"},
    )
    assert "next_follow_up_on" in response.context["form"].errors
    response = client.post(
        reverse("partnership_update", args=[cast.partnership.pk]),
        {**data, "next_follow_up_on": "2027-03-01"},
    )
    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.next_follow_up_on == D(2027, 3, 1)


def test_a_representative_cannot_plan_a_follow_up(client, cast):
    client.force_login(cast.representative)
    response = post(
        client, cast.partnership, date="2025-02-20", year="2024", plan_next="2026-02-15"
    )
    assert response.status_code in (403, 404)
    cast.partnership.refresh_from_db()
    assert cast.partnership.next_follow_up_on is None
    assert not FollowUp.objects.exists()
