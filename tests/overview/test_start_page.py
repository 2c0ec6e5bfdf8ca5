"""The start page: for each role what needs them now, only from their scope, each item
linked, with a constant number of queries whatever the size of the register."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devdata.demo.municipality import USERS
from dialogues.models import Invitation, Meeting, Observation
from grants.models import AccountChange, Grant, GrantReport, GrantScheme
from municipality.charts import Chart, nice_ceiling
from municipality.models import Body, User
from partners.models import FollowUp, Organisation, Partnership

NOW = timezone.now()
TODAY = timezone.localdate()


def meeting(forum, title, days, status="planned", **extra):
    return Meeting.objects.create(
        forum=forum,
        title=title,
        start=NOW + datetime.timedelta(days=days),
        status=status,
        **extra,
    )


@pytest.fixture
def register(cast):
    """Something for every section: in the cast's own bodies, and the same outside them."""
    coming = meeting(cast.asf_forum, "Föreningsträff i december", 7)
    Invitation.objects.create(meeting=coming, organisation=cast.org)
    meeting(cast.frf_forum, "Fritidsdialog i december", 7)
    meeting(cast.kalmar_forum, "Styrgrupp i Kalmar", 7)
    meeting(cast.asf_forum, "Föreningsträff som inte loggats", -3)
    meeting(cast.frf_forum, "Fritidsdialog som inte loggats", -3)
    cast.partnership.end_date = TODAY + datetime.timedelta(days=60)
    cast.partnership.save()
    cast.other_partnership.end_date = TODAY + datetime.timedelta(days=60)
    cast.other_partnership.save()
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    late = Grant.objects.create(
        organisation=cast.org,
        scheme=scheme,
        year=TODAY.year,
        purpose="Verksamhet",
        applied_amount=100_000,
        granted_amount=100_000,
        decision="granted",
        decided_by="delegate",
        decision_date=TODAY,
    )
    GrantReport.objects.create(grant=late, due_on=TODAY - datetime.timedelta(days=10))
    leisure = GrantScheme.objects.create(committee=cast.frn, name="Föreningsbidrag")
    Grant.objects.create(
        organisation=cast.other_org,
        scheme=leisure,
        year=TODAY.year,
        purpose="Fritid",
        applied_amount=50_000,
        granted_amount=50_000,
        decision="granted",
        decision_date=TODAY,
    )
    AccountChange.objects.create(
        organisation=cast.org,
        kind="bankgiro",
        number="5050-1055",
        signatory="Firmatecknare",
        entered_by=cast.other_staff,
    )
    return {"coming": coming, "late": late}


def start(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section_html(html, slug):
    match = re.search(rf'data-section="{slug}".*?</section>', html, re.S)
    assert match, f"no section {slug}"
    return match.group(0)


def test_staff_see_what_needs_them_in_their_own_bodies(client, cast, register):
    html = start(client, cast.staff)
    for slug in ("upcoming", "to-log", "forwarded", "ending", "reports", "accounts", "changes"):
        section_html(html, slug)
    assert "Föreningsträff i december" in section_html(html, "upcoming")
    assert "Fritidsdialog i december" not in html  # another förvaltning's forum
    assert "Styrgrupp i Kalmar" not in html
    assert "Föreningsträff som inte loggats" in section_html(html, "to-log")
    assert (
        reverse(
            "meeting_log",
            args=[Meeting.objects.get(title__endswith="inte loggats", forum=cast.asf_forum).pk],
        )
        in html
    )
    assert "Fritidsdialog som inte loggats" not in html
    assert cast.observation.text in section_html(html, "forwarded")
    ending = section_html(html, "ending")
    assert "IOP Värmestugor" in ending and "IOP Fritid" not in ending
    assert "Röda Korset Malmö krets" in section_html(html, "reports")
    # Entered by someone else, of an organisation ASN granted: waits for this staff member.
    assert "Röda Korset Malmö krets" in section_html(html, "accounts")
    assert "IOP Värmestugor" in section_html(html, "changes")
    assert "IOP Sysselsättning" not in html
    assert 'data-section="totals"' not in html and 'data-section="placeless"' not in html


def test_the_person_who_entered_an_account_change_is_not_asked_to_confirm_it(
    client, cast, register
):
    AccountChange.objects.update(entered_by=cast.staff)
    assert "Röda Korset" not in section_html(start(client, cast.staff), "accounts")


def test_show_all_opens_the_full_list_with_the_same_items(client, cast, register):
    html = start(client, cast.staff)
    for slug in ("upcoming", "to-log", "forwarded", "ending", "reports"):
        block = section_html(html, slug)
        total = int(re.search(r'badge text-bg-secondary">(\d+)<', block).group(1))
        href = re.search(r'<a href="([^"]+)">[^<]*\((\d+)\)', block)
        assert href and int(href.group(2)) == total, slug
        listing = client.get(href.group(1).replace("&amp;", "&"))
        assert listing.status_code == 200, slug
        table = listing.content.decode()
        rows = table.count("<tr") - 1
        assert rows == total, (slug, rows, total)


def test_elected_members_see_their_nämnd(client, cast, register):
    meeting(cast.asn_forum, "Temadag i januari", 40)
    html = start(client, cast.elected)
    assert "Temadag i januari" in section_html(html, "upcoming")
    assert "Föreningsträff i december" not in html  # the förvaltning's own forum
    forwarded = section_html(html, "forwarded")
    assert cast.observation.text in forwarded
    assert reverse("structures_report") in html
    assert "Arbetsmarknads- och socialnämnden" in html
    assert 'data-section="to-log"' not in html and 'data-section="accounts"' not in html


def test_representatives_see_their_organisation(client, cast, register):
    html = start(client, cast.representative)
    upcoming = section_html(html, "upcoming")
    assert "Föreningsträff i december" in upcoming
    assert reverse("meeting_ics", args=[register["coming"].pk]) in upcoming
    assert reverse("calendar_subscriptions") in upcoming
    assert "Fritidsdialog i december" not in html
    assert cast.observation.text in section_html(html, "raised")
    assert "IOP Värmestugor" in section_html(html, "agreements")
    assert "IOP Fritid" not in html
    grants = section_html(html, "grants")
    assert "Verksamhetsbidrag" in grants and "Föreningsbidrag" not in html
    for hidden in ("to-log", "accounts", "changes", "totals", "placeless"):
        assert f'data-section="{hidden}"' not in html


def test_auditors_see_totals_delegations_and_overdue_reports(client, cast, register):
    html = start(client, cast.auditor)
    totals = section_html(html, "totals")
    assert "Verksamhetsbidrag" in totals and "Föreningsbidrag" in totals
    assert "100\xa0000\xa0kr" in totals or "100&nbsp;000&nbsp;kr" in totals
    delegated = section_html(html, "delegated")
    assert "Arbetsmarknads- och socialnämnden" in delegated and "Fritidsnämnden" not in delegated
    assert "Röda Korset Malmö krets" in section_html(html, "reports")
    assert "Röda Korset Malmö krets" in section_html(html, "accounts")
    assert f"{reverse('grant_workbook')}?year={TODAY.year}" in html
    assert "<svg" in html and 'role="img"' in html
    assert 'data-section="to-log"' not in html


def test_administrators_also_see_users_without_a_place_and_unstaffed_bodies(client, cast, register):
    lonely = User.objects.create_user("ensam", role="civil_servant", municipality=cast.malmo)
    empty = Body.objects.create(
        municipality=cast.malmo, name="Miljöförvaltningen", kind=Body.Kind.ADMINISTRATION
    )
    html = start(client, cast.admin)
    assert lonely.username in section_html(html, "placeless")
    assert "staff" not in re.findall(r">(\w+)</a>", section_html(html, "placeless"))
    assert empty.name in section_html(html, "unstaffed")
    assert "Arbetsmarknads- och socialförvaltningen" not in section_html(html, "unstaffed")
    # What a tjänsteperson sees, across the municipalities.
    assert "Styrgrupp i Kalmar" in section_html(html, "upcoming")


def test_empty_sections_say_what_would_appear(client, cast):
    html = start(client, cast.staff)
    assert "inga möten de närmaste 30 dagarna" in section_html(html, "upcoming")


def grow(cast, n):
    """n more of everything that the start page lists or counts, in every scope."""
    scheme = GrantScheme.objects.create(committee=cast.asn, name=f"Bidrag {n}")
    for i in range(n):
        for forum in (cast.asf_forum, cast.asn_forum, cast.frf_forum):
            m = meeting(forum, f"Möte {n}-{i}", i % 20 - 10)
            Invitation.objects.create(meeting=m, organisation=cast.org)
            Observation.objects.create(
                meeting=m,
                organisation=cast.org,
                text=f"Fråga {i}",
                forwarded_to=cast.asn,
                status="forwarded",
                feedback_due=TODAY - datetime.timedelta(days=i),
            )
        grant = Grant.objects.create(
            organisation=cast.org,
            scheme=scheme,
            year=TODAY.year - i % 3,
            purpose="Verksamhet",
            applied_amount=1000,
            granted_amount=1000,
            decision="granted",
            decided_by="delegate",
            decision_date=TODAY,
        )
        GrantReport.objects.create(grant=grant, due_on=TODAY - datetime.timedelta(days=1))
        partnership = Partnership.objects.create(
            title=f"IOP {n}-{i}",
            decided_by=cast.asn,
            run_by=cast.asf,
            purpose="Stöd",
            start_date=datetime.date(TODAY.year - 2, 1, 1),
            end_date=TODAY + datetime.timedelta(days=30),
            yearly_compensation=1000,
        )
        partnership.parties.add(cast.org)
        FollowUp.objects.create(
            partnership=partnership,
            year=TODAY.year - 3,
            date=datetime.date(TODAY.year - 2, 2, 1),
            summary="Bra",
        )
        paid = Organisation.objects.create(municipality=cast.malmo, name=f"Förening {n}-{i}")
        Grant.objects.create(
            organisation=paid,
            scheme=scheme,
            year=TODAY.year,
            purpose="Verksamhet",
            applied_amount=1000,
            granted_amount=1000,
            decision="granted",
            decision_date=TODAY,
        )
        AccountChange.objects.create(
            organisation=paid,
            kind="bankgiro",
            number="5050-1055",
            signatory="Firmatecknare",
            entered_by=cast.other_staff,
        )


def queries_for(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("key", ["staff", "elected", "representative", "auditor", "admin"])
def test_the_start_page_uses_a_constant_number_of_queries(client, cast, key):
    user = cast.user(key)
    grow(cast, 2)
    small = queries_for(client, user)
    grow(cast, 12)
    assert queries_for(client, user) == small


def test_forwarding_an_issue_tells_the_receiving_bodys_staff_in_one_save(
    client, cast, django_capture_on_commit_callbacks
):
    other = Observation.objects.create(
        meeting=cast.meeting, organisation=cast.org, text="Lokaler på kvällstid saknas."
    )
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("observation_update", args=[other.pk]),
            {"status": "open", "forwarded_to": cast.frf.pk, "feedback_due": "2026-12-31"},
            follow=True,
        )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.status == Observation.Status.FORWARDED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.other_staff.email]  # who keeps Fritidsförvaltningen
    assert "Fritidsförvaltningen" in message.subject and "\n" not in message.subject
    assert reverse("observation_update", args=[other.pk]) in message.body
    assert "Lokaler på kvällstid saknas." in message.body
    assert "Hej" in message.body  # Swedish, whatever the sender's language


def test_forwarding_to_a_nämnd_reaches_the_staff_of_the_förvaltning_serving_it(
    client, cast, django_capture_on_commit_callbacks
):
    other = Observation.objects.create(
        meeting=cast.meeting, organisation=cast.org, text="Fler fritidsledare."
    )
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("observation_update", args=[other.pk]),
            {"status": "open", "forwarded_to": cast.frn.pk},
        )
    assert [message.to for message in mail.outbox] == [[cast.other_staff.email]]


def test_a_refused_forwarding_sends_nothing_and_changes_nothing(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.elected)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("observation_update", args=[cast.observation.pk]),
            {"status": "forwarded", "forwarded_to": cast.frf.pk},
        )
    assert response.status_code in (403, 404)
    cast.observation.refresh_from_db()
    assert cast.observation.forwarded_to == cast.asn
    assert mail.outbox == []


def test_the_charts_escape_what_users_named_and_say_what_they_show():
    chart = Chart(
        "Möten per månad",
        ["jan <26>"],
        [('<script>alert("x")</script>', [3]), ("Fritid, kultur & idrott", [2])],
        slug="chart-test",
    )
    svg = str(chart.svg())
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Fritid, kultur &amp; idrott" in svg
    assert 'role="img"' in svg and '<title id="chart-test-title">Möten per månad' in svg
    assert chart.rows == [("jan <26>", ["3", "2"])]
    assert Chart("Tom", ["jan"], [("x", [0])]).svg() == ""


def test_the_axis_ends_at_a_round_number_at_or_above_the_largest_value():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 10, 11, 260_000)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        500_000,
    ]


def test_an_issue_forwarded_from_the_meeting_log_reaches_the_body_too(
    client, cast, django_capture_on_commit_callbacks
):
    held = meeting(cast.asf_forum, "Föreningsträff", -1)
    invitation = Invitation.objects.create(meeting=held, organisation=cast.org)
    client.force_login(cast.staff)
    data = {
        "status": "held",
        "participants_count": "2",
        "minutes": "Samtal.",
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "1",
        "attendance-0-id": str(invitation.pk),
        "attendance-0-attended": "on",
        "attendance-0-people": "2",
        "raised-TOTAL_FORMS": "1",
        "raised-INITIAL_FORMS": "0",
        "raised-0-organisation": str(cast.org.pk),
        "raised-0-text": "Fritidsgården stänger för tidigt.",
        "raised-0-forwarded_to": str(cast.frf.pk),
        "raised-0-feedback_due": "2026-12-31",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_log", args=[held.pk]), data)
    assert response.status_code == 302
    assert held.observations.get().status == Observation.Status.FORWARDED
    assert [message.to for message in mail.outbox] == [[cast.other_staff.email]]
    # It is on the receiving staff member's start page at once.
    assert "Fritidsgården stänger för tidigt." in section_html(
        start(client, cast.other_staff), "forwarded"
    )


def test_each_demo_users_start_page_links_only_what_they_may_open(client, db):
    """Against the demo data: every link in the page's sections and charts opens for the
    user, and Kalmar's staff see nothing of Malmö's."""
    call_command("load_demo", quiet_logins=True)
    malmo_names = set(
        Organisation.objects.filter(municipality__code="1280").values_list("name", flat=True)
    )
    for username, *_ in USERS:
        user = User.objects.get(username=username)
        html = start(client, user)
        body = html.split("<main", 1)[1].split("</main>", 1)[0]
        links = set(re.findall(r'href="(/[^"]*)"', body))
        assert links, username
        for link in sorted(links):
            if link.startswith("/admin/"):
                continue
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, (username, link, response.status_code)
        if user.municipality and user.municipality.code == "0880":
            assert not [name for name in malmo_names if name in html], username
