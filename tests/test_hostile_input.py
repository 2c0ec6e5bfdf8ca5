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
    ("meeting_create", "forum=:"),
    ("meeting_create", "forum=99999999999999999999999"),
    ("grant_create", "organisation=:"),
    ("grant_create", "organisation=-1"),
    # The lists' exports read the same junk as their lists.
    ("organisation_export", "q=%00%3D1%2B1&legal_form=zz&areas=abc&archived=zz"),
    ("partnership_export", "status=zz&run_by=abc&q=%2B%2B%2B"),
    ("meeting_export", "when=past&after=9999-99-99&before=0001-01-01&forum=abc"),
    ("attendance_export", "organisation=99999999999999999999&q=a%20%26%20%21b"),
    ("observation_export", "status=zz&body=abc&q=%28%28"),
    # A control character openpyxl refuses, shown in the file's "Om uttaget" as the filter.
    ("organisation_export", "q=r%01%1Bd"),
    ("meeting_export", "q=%08%0B%0C"),
    ("grant_export", "year=99999999999999999999&committee=abc"),
    ("grant_workbook", "year=99999999999999999999"),
    ("grant_workbook", "year=-5"),
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


# Forms: one input layer -------------------------------------------------------------------

from django.db import IntegrityError, transaction  # noqa: E402

from dialogues.models import Meeting  # noqa: E402
from grants.models import Grant  # noqa: E402
from partners.models import Organisation  # noqa: E402
from tests.dialogues.test_forums_and_meetings import meeting_data  # noqa: E402
from tests.partners.test_organisations import VALID  # noqa: E402


@pytest.mark.parametrize("text", ["Temadag\r\nBcc: x@evil.example", "Rad ett\nrad två", "a\x00b"])
def test_single_line_text_refuses_line_breaks(client, cast, text):
    client.force_login(cast.staff)
    before = Meeting.objects.count()
    response = client.post(reverse("meeting_create"), meeting_data(cast.asf_forum, title=text))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert Meeting.objects.count() == before


def test_multi_line_text_keeps_its_line_breaks(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("meeting_create"),
        meeting_data(cast.asf_forum, title="Dagordning", agenda="Punkt ett\r\nPunkt två"),
    )
    assert response.status_code == 302
    assert Meeting.objects.get(title="Dagordning").agenda == "Punkt ett\r\nPunkt två"


@pytest.mark.parametrize("start", ["9999-12-31 09:00", "0001-01-01 09:00", "1899-12-31 09:00"])
def test_a_meeting_date_out_of_range_is_refused_in_swedish(client, cast, start):
    client.force_login(cast.staff)
    response = client.post(
        reverse("meeting_create"), meeting_data(cast.asf_forum, start=start, end="")
    )
    assert response.status_code == 200
    assert "mellan 1900-01-01 och 2200-12-31" in response.context["form"].errors["start"][0]


def test_an_organisation_number_typed_in_full_width_is_the_same_number(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("organisation_create"),
        {**VALID, "name": "Dubblett", "org_number": "８０２００２–３４３１"},
    )
    assert "har redan det här organisationsnumret" in response.content.decode()
    assert not Organisation.objects.filter(name="Dubblett").exists()


def test_the_twelve_digit_form_is_stored_as_ten_digits(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("organisation_create"), {**VALID, "org_number": "16802519-8766"})
    assert response.status_code == 302
    assert Organisation.objects.get(name=VALID["name"]).org_number == "802519-8766"


def test_a_bankgiro_of_zeros_is_refused(client, cast):
    from grants.models import AccountChange

    asn_grant(cast)
    client.force_login(cast.admin)
    response = client.post(
        reverse("account_edit", args=[cast.org.pk]),
        {"kind": "bankgiro", "number": "000-0000", "signatory": "Eva Ek"},
    )
    assert response.context["form"].errors["number"]
    assert not AccountChange.objects.exists()


@pytest.mark.parametrize("amount", ["100000000001", "99999999999999999999999", "-1"])
def test_amounts_are_bounded_in_the_form(client, cast, amount):
    client.force_login(cast.staff)
    response = client.post(
        reverse("partnership_update", args=[cast.partnership.pk]),
        {"yearly_compensation": amount},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["yearly_compensation"]
    cast.partnership.refresh_from_db()
    assert cast.partnership.yearly_compensation == 1_000_000


def test_amounts_are_bounded_in_the_database(cast):
    grant = asn_grant(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(applied_amount=100_000_000_001)


def test_a_notice_period_of_32767_months_is_refused(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("partnership_update", args=[cast.partnership.pk]), {"notice_period_months": "32767"}
    )
    assert response.context["form"].errors["notice_period_months"]


# E-mail ---------------------------------------------------------------------------------

from email.utils import getaddresses  # noqa: E402

from django.core import mail as outbox  # noqa: E402

from partners.models import ContactPerson  # noqa: E402


@pytest.mark.parametrize(
    "name",
    ["Svensson, Anna", "attacker@evil.example (", 'Anna "A" <x@evil.example>, b@evil.example'],
)
def test_a_display_name_never_becomes_a_recipient(client, cast, name):
    meeting = cast.meeting
    Meeting.objects.filter(pk=meeting.pk).update(status="planned", sequence=0)
    ContactPerson.objects.filter(organisation=cast.org).delete()
    ContactPerson.objects.create(organisation=cast.org, name=name, email="anna@example.se")
    client.force_login(cast.staff)
    response = client.post(reverse("meeting_invitations", args=[meeting.pk]))
    assert response.status_code == 302
    (message,) = outbox.outbox
    assert message.recipients() == [message.to[0]]
    header = message.message()["To"]
    assert [email for _, email in getaddresses([header])] == ["anna@example.se"]


def test_a_line_break_in_stored_text_cannot_add_a_header(client, cast):
    """Text stored before the input layer (or through the admin) still makes one line."""
    Meeting.objects.filter(pk=cast.meeting.pk).update(
        status="planned", sequence=0, title="Temadag\r\nBcc: x@evil.example"
    )
    client.force_login(cast.staff)
    assert client.post(reverse("meeting_invitations", args=[cast.meeting.pk])).status_code == 302
    (message,) = outbox.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.message()["Bcc"] is None
    assert message.recipients() == ["Omar Saleh <omar@example.se>"]


# The admin keeps records with history, and holds to the input layer --------------------------


def test_the_admin_cannot_delete_a_meeting_with_attendance_and_issues(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:dialogues_meeting_delete", args=[cast.meeting.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the page that names what protects it
    assert Meeting.objects.filter(pk=cast.meeting.pk).exists()
    assert cast.meeting.observations.exists() and cast.meeting.invitations.exists()


def test_the_admin_cannot_delete_an_agreement_with_follow_ups(client, cast):
    from partners.models import FollowUp, Partnership

    FollowUp.objects.create(
        partnership=cast.partnership, year=2025, date="2026-02-01", assessment="good"
    )
    client.force_login(cast.admin)
    url = reverse("admin:partners_partnership_delete", args=[cast.partnership.pk])
    client.post(url, {"post": "yes"})
    assert Partnership.objects.filter(pk=cast.partnership.pk).exists()
    assert FollowUp.objects.filter(partnership=cast.partnership).count() == 1


def test_the_admin_refuses_a_line_break_in_a_forum_name(client, cast):
    from dialogues.models import Forum

    client.force_login(cast.admin)
    url = reverse("admin:dialogues_forum_change", args=[cast.frf_forum.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, [])
    }
    data = {k: [str(x) for x in v] if isinstance(v, list) else v for k, v in data.items()}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, {**data, "name": "Fritid\r\nBcc: x@evil.example"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["name"]
    assert Forum.objects.get(pk=cast.frf_forum.pk).name == "Fritidsdialog"


@pytest.mark.parametrize("field", ["members", "target_groups", "areas", "owner"])
def test_an_id_no_record_can_have_is_refused_not_a_500(client, cast, field):
    """Found by tests/test_fuzz.py: SQLite cannot bind 2^63, so the form refuses it first."""
    from dialogues.models import Forum

    client.force_login(cast.staff)
    data = {"name": "Nytt", "kind": "other", "owner": cast.asf.pk, "cadence": "yearly"}
    response = client.post(reverse("forum_create"), {**data, field: "9223372036854775808"})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Forum.objects.filter(name="Nytt").exists()


def test_two_people_registering_one_number_at_once_get_a_message(client, cast, monkeypatch):
    """The form's check passed for both; the database's unique constraint decides."""
    from partners.forms import OrganisationForm

    def clean_as_if_first(form):
        return "802519-8766"

    monkeypatch.setattr(OrganisationForm, "clean_org_number", clean_as_if_first)
    Organisation.objects.create(municipality=cast.malmo, name="Hann före", org_number="802519-8766")
    client.force_login(cast.staff)
    response = client.post(reverse("organisation_create"), VALID)
    assert response.status_code == 200
    assert "registrerades nyss" in response.context["form"].errors["org_number"][0]
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


@pytest.mark.parametrize(("typed", "stored"), [("21120", "211 20"), ("２１１２０", "211 20")])
def test_a_postal_code_is_read_through_nfkc_and_stored_the_swedish_way(client, cast, typed, stored):
    client.force_login(cast.staff)
    response = client.post(reverse("organisation_create"), {**VALID, "postal_code": typed})
    assert response.status_code == 302
    assert Organisation.objects.get(name=VALID["name"]).postal_code == stored


def test_a_postal_code_without_five_digits_is_refused_in_swedish(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("organisation_create"), {**VALID, "postal_code": "2112"})
    assert "fem siffror" in response.context["form"].errors["postal_code"][0]


def test_text_stored_with_line_breaks_still_makes_valid_calendars(client, cast):
    """Titles and names stored before the input layer, or by a script, cannot break the
    .ics download, a subscribed feed or its calendar name."""
    from icalendar import Calendar

    from dialogues.models import CalendarFeed, Forum

    Meeting.objects.filter(pk=cast.meeting.pk).update(
        title="Temadag\r\nBEGIN:VEVENT", place="Rum\n1", agenda="a\r\nb"
    )
    Forum.objects.filter(pk=cast.asn_forum.pk).update(name="ASN\r\nX-INJECTED:1")
    client.force_login(cast.staff)
    single = client.get(reverse("meeting_ics", args=[cast.meeting.pk]))
    (event,) = Calendar.from_ical(single.content).walk("VEVENT")
    assert str(event["summary"]) == "Temadag BEGIN:VEVENT"  # one line, no second event
    feed = CalendarFeed.objects.create(kind="forum", forum=cast.asn_forum, owner=cast.staff)
    body = client.get(reverse("calendar_feed", args=[feed.token])).content
    parsed = Calendar.from_ical(body)
    assert "X-INJECTED" not in parsed
    assert all(line.startswith((b" ", b"\t")) or b":" in line or b";" in line
               for line in body.splitlines() if line)  # fmt: skip


# Redirect targets: every `next` is a local path ------------------------------------------

from django.test import Client, RequestFactory  # noqa: E402

from dialogues import feeds  # noqa: E402
from municipality.inputs import local_path  # noqa: E402
from tests.cast import PASSWORD, Cast  # noqa: E402
from tests.test_access_post import changed_tables, snapshot  # noqa: E402

JUNK_TARGETS = [
    "abc",
    "-1",
    "//evil.example",
    "https://evil.example/",
    "/\\evil",
    "javascript:alert(1)",
    "/moten/\r\nSet-Cookie: a=b",
    "/moten/\x00",
    "/" + "a" * 3000,
    "",
]
GOOD_TARGET = "/moten/?when=past"


@pytest.mark.parametrize("target", JUNK_TARGETS)
def test_a_junk_target_falls_back(target):
    request = RequestFactory().get("/")
    assert local_path(request, target, "/kalender/") == "/kalender/"


@pytest.mark.parametrize("target", ["/", "/moten/?when=past", "/organisationer/12/#kontakt"])
def test_a_local_path_is_kept(target):
    assert local_path(RequestFactory().get("/"), target, "/kalender/") == target


def test_a_local_path_is_kept_over_https():
    request = RequestFactory().get("/", secure=True)
    assert local_path(request, GOOD_TARGET, "/") == GOOD_TARGET


def redirected_to(response):
    """Where a 302 goes, asserting on the way that it stays on this site."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    return location


FEED_KEEPERS = ("staff", "admin")  # those who keep ASN's forum (tests/test_access_post.py)


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_renewing_a_calendar_link_with_any_next(client, cast, person):
    """Found by hand: `abc` and `-1` gave a 500 (redirect() reversed them as view names)."""
    client.force_login(cast.user(person))
    url = reverse("feed_renew", args=["forum", cast.asn_forum.pk])
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        before = feeds.current("forum", cast.asn_forum)
        state = snapshot()
        response = client.post(url, {"next": target})
        after = feeds.current("forum", cast.asn_forum)
        if person in FEED_KEEPERS:
            expected = GOOD_TARGET if target == GOOD_TARGET else reverse("calendar_subscriptions")
            assert redirected_to(response) == expected, target
            assert after is not None and after != before, target
        else:
            assert response.status_code in (403, 404), target
            assert changed_tables(state, snapshot()) == [], target


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_revoking_a_calendar_link_with_any_next(client, cast, person):
    client.force_login(cast.user(person))
    url = reverse("feed_revoke", args=["forum", cast.asn_forum.pk])
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        feeds.renew(cast.staff, "forum", cast.asn_forum)
        state = snapshot()
        response = client.post(url, {"next": target})
        if person in FEED_KEEPERS:
            expected = GOOD_TARGET if target == GOOD_TARGET else reverse("calendar_subscriptions")
            assert redirected_to(response) == expected, target
            assert feeds.current("forum", cast.asn_forum) is None, target
        else:
            assert response.status_code in (403, 404), target
            assert changed_tables(state, snapshot()) == [], target


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_logging_in_with_any_next(cast, person):
    user = cast.user(person)
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        client = Client()
        assert client.get(reverse("login"), {"next": target}).status_code == 200
        data = {"username": user.username, "password": PASSWORD, "next": target}
        response = client.post(reverse("login"), data)
        expected = GOOD_TARGET if target == GOOD_TARGET else reverse("home")
        assert redirected_to(response) == expected, target
        assert client.session["_auth_user_id"] == str(user.pk), target


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_logging_out_with_any_next(cast, person):
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        client = Client()
        client.force_login(cast.user(person))
        response = client.post(reverse("logout"), {"next": target})
        expected = GOOD_TARGET if target == GOOD_TARGET else reverse("login")
        assert redirected_to(response) == expected, target
        assert "_auth_user_id" not in client.session, target


@pytest.mark.parametrize("person", ["anonymous", *Cast.USER_KEYS])
def test_switching_language_with_any_next(client, cast, person):
    if person != "anonymous":
        client.force_login(cast.user(person))
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        response = client.post(reverse("set_language"), {"language": "en", "next": target})
        expected = GOOD_TARGET if target == GOOD_TARGET else "/"
        assert redirected_to(response) == expected, target
        assert response.cookies["django_language"].value == "en", target


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_the_admin_login_with_any_next(cast, person):
    """Only administrators get in; for everyone else the form comes back, never a 500."""
    user = cast.user(person)
    for target in [*JUNK_TARGETS, "/admin/dialogues/forum/"]:
        client = Client()
        data = {"username": user.username, "password": PASSWORD, "next": target}
        response = client.post(reverse("admin:login"), data)
        if person == "admin":
            expected = target if target.startswith("/admin/") else reverse("admin:index")
            assert redirected_to(response) == expected, target
            assert client.session["_auth_user_id"] == str(user.pk), target
        else:
            assert response.status_code == 200, target
            assert "_auth_user_id" not in client.session, target


def test_the_admin_logout_with_any_next(cast):
    for target in [*JUNK_TARGETS, GOOD_TARGET]:
        client = Client()
        client.force_login(cast.admin)
        response = client.post(reverse("admin:logout"), {"next": target})
        expected = GOOD_TARGET if target == GOOD_TARGET else reverse("login")
        assert redirected_to(response) == expected, target
        assert "_auth_user_id" not in client.session, target
