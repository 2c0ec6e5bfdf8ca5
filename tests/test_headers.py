"""Security headers: a strict Content-Security-Policy that every page keeps to, a
Permissions-Policy, and no-store for logged-in users and downloads (but not for feeds)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.models import CalendarFeed
from tests.test_crawl import crawl, rich_cast  # noqa: F401 - rich_cast: the crawl's fixture

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


class InlineCode(HTMLParser):
    """What a strict policy would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        # A <script type="application/json"> holds data and never runs.
        if (
            tag == "script"
            and not attributes.get("src")
            and attributes.get("type") != "application/json"
        ):
            self.found.append("inline <script>")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


class Recorder:
    """A test client that keeps every response the crawl fetched."""

    def __init__(self, client):
        self.client = client
        self.responses = {}

    def get(self, url):
        response = self.client.get(url)
        self.responses[url] = response
        return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def test_the_inline_code_finder_finds_what_the_policy_blocks():
    html = (
        '<button onclick="window.print()">P</button><p style="color: red">x</p>'
        '<a href="javascript:void(0)">y</a><style>p {}</style><script>alert(1)</script>'
        '<script src="/static/js/copy.js"></script><script type="application/json">{}</script>'
    )
    assert inline_code(html) == [
        "<button onclick='window.print()'>",
        "<p style='color: red'>",
        "<a href='javascript:void(0)'>",
        "<style> element",
        "inline <script>",
    ]


def test_login_page_has_the_policy_and_no_inline_code(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert policy(response) == POLICY
    assert inline_code(response.content.decode()) == []


def test_permissions_policy_turns_off_camera_microphone_and_location(client, db):
    response = client.get(reverse("login"))
    features = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
    assert set(features.values()) == {"()"}
    assert "clipboard-write" not in features  # the copy buttons need it


@pytest.mark.parametrize("person", ["admin", "representative"])
def test_every_page_keeps_to_the_policy_and_is_not_stored(client, rich_cast, person):  # noqa: F811
    client.force_login(rich_cast.user(person))
    recorder = Recorder(client)
    crawl(recorder)
    pages = {url: r for url, r in recorder.responses.items() if r.status_code == 200}
    html = {url: r for url, r in pages.items() if is_html(r)}
    files = {url: r for url, r in pages.items() if "Content-Disposition" in r}
    assert len(html) > 10
    if person == "admin":
        assert {url.split("?")[0].rsplit(".", 1)[-1] for url in files} >= {"ics", "xlsx"}
    problems = [
        *(f"{url}: {code}" for url, r in html.items() for code in inline_code(r.content.decode())),
        *(f"{url}: policy {policy(r)}" for url, r in html.items() if policy(r) != POLICY),
        *(
            f"{url}: no Permissions-Policy"
            for url, r in html.items()
            if "Permissions-Policy" not in r
        ),
        *(
            f"{url}: {r.get('Cache-Control')}"
            for url, r in pages.items()
            if "no-store" not in cache_control(r)
        ),
    ]
    assert problems == []
    for response in files.values():
        if getattr(response, "streaming", False):
            response.close()


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:municipality_user_changelist",
        "admin:municipality_user_add",
        "admin:axes_accessattempt_changelist",
        "admin:partners_organisation_changelist",
    ],
)
def test_admin_pages_keep_to_the_policy(client, cast, name):
    client.force_login(cast.admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert policy(response) == POLICY
    assert inline_code(response.content.decode()) == []
    assert "no-store" in cache_control(response)


def test_admin_change_form_keeps_to_the_policy(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("admin:partners_organisation_change", args=[cast.org.pk]))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


# Cache-Control -------------------------------------------------------------------------


def test_a_logged_in_page_is_not_stored(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store"


def test_an_anonymous_page_may_say_nothing_about_caching(client, db):
    """The set-language redirect and the like: nothing personal in them."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/konto/login/"})
    assert "Cache-Control" not in response


def test_the_login_page_is_not_stored(client, db):
    assert "no-store" in cache_control(client.get(reverse("login")))


@pytest.mark.parametrize(
    ("person", "url"),
    [
        ("auditor", lambda cast: reverse("grant_workbook")),
        ("auditor", lambda cast: reverse("structures_workbook")),
        ("staff", lambda cast: reverse("meeting_ics", args=[cast.meeting.pk])),
    ],
    ids=["grant-workbook", "structures-workbook", "meeting-ics"],
)
def test_downloads_are_not_stored(client, cast, person, url):
    client.force_login(cast.user(person))
    response = client.get(url(cast))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    if response.streaming:
        response.close()


@pytest.fixture
def feed(cast):
    cast.meeting.start = timezone.now() + datetime.timedelta(days=3)
    cast.meeting.end = None
    cast.meeting.save()
    return CalendarFeed.objects.create(kind="forum", forum=cast.asn_forum, owner=cast.staff)


def test_calendar_feeds_keep_private_no_cache_so_clients_can_revalidate(client, cast, feed):
    """Feeds are polled without a login and answer 304 to a known ETag: no-store would
    make every poll a full download, so they say "private, no-cache" instead."""
    url = reverse("calendar_feed", args=[feed.token])
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(url, headers={"if_none_match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"

    client.force_login(cast.staff)  # a logged-in browser opening its own feed link
    assert client.get(url)["Cache-Control"] == "private, no-cache"
