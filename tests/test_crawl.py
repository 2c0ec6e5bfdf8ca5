"""No dead links: every link a page shows its user must open for that user.

The design says a page never links a user to something they cannot open. The access
matrix checks one URL at a time; this test walks the site like a user would, from the
home page, for every member of the cast, and fails on a link that answers 403, 404 or
500 (or sends a logged-in user back to the login page). The cast alone is thin, so a
fixture adds the data that makes the known cross-scope links appear: an issue raised in
one body's forum and forwarded to another's nämnd, an agreement with a steering group and
two parties, a grant with its payment and report, a follow-up and a meeting ahead.
"""

import datetime
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Forum, Invitation, Meeting, Observation
from grants.models import GrantLevel, GrantReport, GrantScheme, Payment, PaymentAccount
from partners.models import FollowUp
from tests.cast import Cast
from tests.test_access_matrix import asn_grant

MAX_URLS = 400  # per user: enough for every page of the data below, bounded if links loop
MAX_QUERIES_PER_PATH = 3  # sorting, filters and pages of one list are one page to us
SKIPPED_PREFIXES = ("/static/", "/admin/", "/i18n/", "/sprak/")
DEAD = {403, 404, 405, 500}  # 405: a link to what only answers a form's POST


class LinkParser(HTMLParser):
    """Collects the href of every <a> in a page."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def links_in(page_url, html):
    """Same-site links of a page, resolved against it, without their fragment."""
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        href = href.strip()
        if href.startswith(("#", "//")) or urlsplit(href).scheme:
            continue  # in-page anchors, other sites, mailto:, webcal:, http(s):
        parts = urlsplit(urljoin(page_url, href))
        links.append(urlunsplit(("", "", parts.path, parts.query, "")))
    return links


def followed(url, skipped_paths):
    path = urlsplit(url).path
    return path.startswith("/") and not path.startswith(SKIPPED_PREFIXES + skipped_paths)


def crawl(client, start="/"):
    """Breadth-first from `start`; returns (URLs visited, dead links as sorted text).

    A dead link is listed under every page that shows it, so a fix can find them all.
    """
    skipped_paths = (reverse("logout"),)
    login = reverse("login")
    linked_from = defaultdict(list)  # URL -> pages linking to it, in the order found
    queries_per_path = defaultdict(set)
    queue = deque([start])
    linked_from[start].append("(start)")
    problems = {}  # URL -> what is wrong with it
    while queue:
        url = queue.popleft()
        try:
            response = client.get(url)
        except Exception as error:  # the test client re-raises what the view raised
            problems[url] = f"500 ({type(error).__name__}: {error})"
            continue
        status = response.status_code
        location = response.get("Location", "")
        if status in DEAD:
            problems[url] = str(status)
        elif status in (301, 302) and urlsplit(location).path == login:
            problems[url] = f"{status} to the login page"
        if status in (301, 302):
            targets = [location]
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            targets = links_in(url, response.content.decode())
        else:
            targets = []  # downloads (.ics, .xlsx) are fetched, not read
        if getattr(response, "streaming", False):
            # Read to the end: the test client then closes the file without closing the
            # test's database connection, as response.close() alone would.
            b"".join(response.streaming_content)
        for target in targets:
            if not followed(target, skipped_paths):
                continue
            if target in linked_from:
                if url not in linked_from[target]:
                    linked_from[target].append(url)
                continue
            path, query = urlsplit(target).path, urlsplit(target).query
            if len(linked_from) >= MAX_URLS:
                continue
            if query and query not in queries_per_path[path]:
                if len(queries_per_path[path]) >= MAX_QUERIES_PER_PATH:
                    continue
                queries_per_path[path].add(query)
            linked_from[target].append(url)
            queue.append(target)
    dead = sorted(
        f"{page} -> {url} -> {problem}"
        for url, problem in problems.items()
        for page in one_per_path(linked_from[url])
    )
    return set(linked_from), dead


def one_per_path(pages):
    """A list sorted or filtered three ways is one page: name it once."""
    return {urlsplit(page).path: page for page in reversed(pages)}.values()


@pytest.fixture
def rich_cast(cast):
    """The cast plus the data whose pages link across scopes.

    Built on the per-test `cast` (it lives in the test's transaction), so each crawl
    starts from the same data and leaves nothing behind.
    """
    today = timezone.localdate()
    # (a) An issue raised at ASF's föreningsträff, forwarded to ASN: ASN's elected member
    # sees it in the issues list, which links the meeting of a forum they do not read.
    asf_meeting = Meeting.objects.create(
        forum=cast.asf_forum,
        title="Föreningsträff om vinterberedskap",
        start=timezone.make_aware(datetime.datetime(2026, 2, 5, 13, 0)),
        end=timezone.make_aware(datetime.datetime(2026, 2, 5, 15, 0)),
        status="held",
    )
    Invitation.objects.create(meeting=asf_meeting, organisation=cast.org, attended=True, people=1)
    Observation.objects.create(
        meeting=asf_meeting,
        organisation=cast.org,
        text="Härbärgets öppettider räcker inte.",
        forwarded_to=cast.asn,
        status="forwarded",
        feedback_due=datetime.date(2026, 3, 5),
    )
    # (b) The IOP's steering group, a forum of ASF; its parties sit in it.
    steering_group = Forum(
        name="Styrgrupp IOP Värmestugor", kind="steering_group", steers=cast.partnership
    )
    steering_group.owner = cast.asf
    steering_group.save()
    steering_group.members.add(cast.org, cast.other_org)
    # (c) A second party: the representative of the first does not see the second.
    cast.partnership.parties.add(cast.other_org)
    FollowUp.objects.create(
        partnership=cast.partnership,
        date=datetime.date(2026, 2, 20),
        year=2025,
        assessment="good",
        summary="Verksamheten fungerar väl.",
    )
    # (d) A granted, paid and reported grant of ASN's scheme, a level to edit, an
    # account, and a delegated grant of Fritidsnämnden to the other organisation.
    grant = asn_grant(cast)
    grant.decision, grant.granted_amount = "granted", 1000
    grant.decided_by, grant.decision_date = "committee", datetime.date(2026, 2, 10)
    grant.save()
    GrantLevel.objects.create(scheme=grant.scheme, year=2026, amount=500_000, is_ceiling=True)
    PaymentAccount.objects.create(organisation=cast.org, kind="bankgiro", number="505-0109")
    Payment.objects.create(
        grant=grant,
        paid_on=datetime.date(2026, 3, 1),
        amount=1000,
        account_kind="bankgiro",
        account_number="505-0109",
    )
    GrantReport.objects.create(grant=grant, due_on=datetime.date(2027, 3, 31))
    leisure = GrantScheme.objects.create(
        committee=cast.frn, name="Föreningsbidrag", kind="organisation"
    )
    leisure.grants.create(
        organisation=cast.other_org,
        year=2026,
        purpose="Sommaraktiviteter",
        applied_amount=30_000,
        granted_amount=30_000,
        decision="granted",
        decided_by="delegate",
        decision_date=datetime.date(2026, 1, 20),
    )
    # A temadag ahead, with the organisation invited, and a meeting in Kalmar.
    ahead = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=30), datetime.time(9, 0))
    )
    planned = Meeting.objects.create(
        forum=cast.asn_forum,
        title="Temadag om sysselsättning",
        start=ahead,
        end=ahead + datetime.timedelta(hours=3),
    )
    Invitation.objects.create(meeting=planned, organisation=cast.org)
    Meeting.objects.create(
        forum=cast.kalmar_forum,
        title="Styrgruppsmöte",
        start=ahead,
        end=ahead + datetime.timedelta(hours=2),
    )
    return cast


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_no_page_links_to_what_its_user_cannot_open(client, rich_cast, person):
    client.force_login(rich_cast.user(person))
    seen, dead = crawl(client)
    assert len(seen) > 10, "the crawl should reach well beyond the home page"
    assert dead == [], f"dead links for {person} (page -> link -> status):\n" + "\n".join(dead)
