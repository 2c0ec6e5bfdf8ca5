"""The POST half of the access matrix: what a person may not open, they may not change.

`test_access_matrix` says who gets what on a GET. Whoever is refused there (403, 404 or
sent to log in) is refused the same way on a POST, so a POST reveals no more than a GET,
and the database is left exactly as it was: a view that checks access only when it
renders the form, or that writes before it checks, fails here. The refusals are derived
from the GET table, so they follow it when the rules change. Where the GET table cannot
say it (POST-only URLs, a GET-only feed, a page more people may read than change) the
POST outcome is declared in `POST_OUTCOMES`.

Each refused person POSTs an empty form and, for the important forms, a filled one that
would be saved if they were allowed (`test_filled_forms_are_saved_where_allowed` keeps
that true).
"""

import datetime
import hashlib
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from dialogues.models import CalendarFeed, Observation
from grants.models import Grant, GrantScheme, PaymentAccount
from tests.meeting_form import as_posted
from tests.test_access_matrix import (
    EVERYONE,
    EXPECTED,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    ORGANISATION_LIST,
    PAGE,
    USER_LIST,
    forum_editors,
    public,
    same_for,
)

REFUSED = (FORBIDDEN, NOT_FOUND, LOGIN, NOT_ALLOWED)
ALLOWED = "allowed"  # in POST_OUTCOMES: the POST does its work for this person


def kept_by_forum_editors():
    """ASN's forum and its issue: seen across Malmö, acted on by ASF's staff and admins."""
    return {**forum_editors(), "staff": ALLOWED, "admin": ALLOWED}


# url name -> POST outcome per person, where the GET table cannot say it.
POST_OUTCOMES = {
    # A new or revoked calendar link of ASN's forum, for those who keep the forum.
    "feed_renew": kept_by_forum_editors(),
    "feed_revoke": kept_by_forum_editors(),
    # Feedback on the cast's issue, for those who handle it.
    "observation_notify": kept_by_forum_editors(),
    # A feed answers GET and HEAD only; a POST is refused before the token is looked up.
    "calendar_feed": public(NOT_ALLOWED),
    # The health check answers GET and HEAD only, and writes nothing.
    "health": public(NOT_ALLOWED),
    # Several read the payment account's page; only admins and staff serving a nämnd that
    # granted the organisation money enter a new account, and its representative proposes
    # one. In the cast no nämnd has granted the organisation anything.
    "account_edit": {
        **same_for(FORBIDDEN),
        "representative": ALLOWED,
        "admin": ALLOWED,
        "kalmar_staff": NOT_FOUND,
    },
    # Confirming or rejecting a pending account change: someone who keeps the account and
    # did not enter the change (or withdrawing one's own).
    "account_decide": {**same_for(FORBIDDEN), "admin": ALLOWED, "kalmar_staff": NOT_FOUND},
    # Archiving and restoring: those who change the record (an organisation's own
    # representative edits its contacts, not its place in the register).
    "organisation_archive": {
        **same_for(FORBIDDEN),
        "staff": ALLOWED,
        "other_staff": ALLOWED,
        "admin": ALLOWED,
        "kalmar_staff": NOT_FOUND,
    },
    "partnership_archive": {
        **same_for(FORBIDDEN),
        "staff": ALLOWED,
        "admin": ALLOWED,
        "kalmar_staff": NOT_FOUND,
    },
    "meeting_archive": kept_by_forum_editors(),
    # Confirming an uploaded list of users: its administrator, whose upload it is.
    "user_import_preview": {**same_for(FORBIDDEN), "admin": ALLOWED},
    # Confirming an uploaded register file: the civil servant whose upload it is.
    "register_import_preview": {
        **same_for(FORBIDDEN),
        "staff": ALLOWED,
        "other_staff": NOT_FOUND,
        "kalmar_staff": NOT_FOUND,
    },
}
# Logging out is a POST anyone logged in may make; it changes only their session.
NOT_CHECKED = {"logout"}


def post_outcomes(name):
    """Who gets what on a POST: as declared here, else as on a GET; None when neither
    says (a POST-only URL not yet declared, see `test_every_post_only_url_is_declared`)."""
    if name in POST_OUTCOMES:
        return POST_OUTCOMES[name]
    outcomes = EXPECTED[name][1]
    return None if NOT_ALLOWED in outcomes.values() else outcomes


# Filled forms, copied from the tests of each app: what an allowed person would save.
FILLED = {
    "organisation_create": lambda c: {
        "name": "Föreningen Gatans röst",
        "org_number": "8025198766",
        "legal_form": "non_profit",
        "city": "Malmö",
        "email": "info@gatansrost.example.se",
        "is_active": "on",
    },
    "organisation_update": lambda c: {
        "name": "Kapat namn",
        "org_number": c.org.org_number,
        "legal_form": "non_profit",
        "street_address": "Östra Rönneholmsvägen 1",
        "postal_code": "21147",
        "city": "Malmö",
        "email": "kapad@example.se",
        "is_active": "on",
    },
    "contact_create": lambda c: {
        "name": "Ny Person",
        "email": "ny@example.se",
        "legal_basis": "contract",
    },
    "contact_update": lambda c: {
        "name": "Kapat namn",
        "email": "kapad@example.se",
        "legal_basis": "contract",
    },
    "partnership_create": lambda c: partnership_data(c),
    "partnership_update": lambda c: partnership_data(c, title="Kapad titel"),
    "follow_up_create": lambda c: {
        "date": "2026-02-20",
        "year": "2025",
        "assessment": "good",
        "summary": "Bra år.",
    },
    "forum_create": lambda c: forum_data(c),
    "forum_update": lambda c: forum_data(c, name="Kapat forum"),
    "meeting_create": lambda c: meeting_data(c),
    "meeting_update": lambda c: meeting_data(c, title="Kapat möte"),
    "observation_update": lambda c: {
        "status": "handled",
        "forwarded_to": c.asn.pk,
        "response": "Fler platser öppnas.",
        "handled_on": "2026-04-01",
        "feedback_due": "2026-04-09",
    },
    "grant_create": lambda c: grant_data(c),
    "grant_update": lambda c: grant_data(c, purpose="Kapat syfte"),
    "payment_create": lambda c: payment_data(c),
    "report_edit": lambda c: {
        "due_on": "2027-03-31",
        "received_on": "2027-03-01",
        "recovery_amount": "0",
    },
    "scheme_create": lambda c: {
        "committee": c.asn.pk,
        "name": "Nytt bidrag",
        "kind": "project",
        "is_active": "on",
    },
    "scheme_update": lambda c: {
        "committee": c.asn.pk,
        "name": "Kapat bidrag",
        "kind": "operating",
        "is_active": "on",
    },
    "level_create": lambda c: {"year": "2027", "amount": "600000", "is_ceiling": "on"},
    "account_edit": lambda c: {"kind": "plusgiro", "number": "9020017", "signatory": "Eva Ek"},
    "account_decide": lambda c: {"decision": "confirm"},
    "user_import": lambda c: {
        "file": SimpleUploadedFile("anvandare.csv", USER_LIST, "text/csv"),
    },
    "user_import_columns": lambda c: {
        "column_0": "first_name",
        "column_1": "last_name",
        "column_2": "email",
        "column_3": "role",
        "column_4": "municipality",
        "column_5": "",  # not used: the upload's mapping changes
    },
    "user_import_preview": lambda c: user_list_confirmation(),
    "register_import": lambda c: {
        "file": SimpleUploadedFile("organisationer.csv", ORGANISATION_LIST, "text/csv"),
    },
    "register_import_columns": lambda c: {
        "column_0": "org_number",
        "column_1": "name",
        "column_2": "",
    },
    "register_import_preview": lambda c: register_confirmation(),
}


def register_confirmation():
    """What the preview of the newest uploaded register file posts to confirm it."""
    from municipality import register_import
    from municipality.models import RegisterImport

    record = RegisterImport.objects.latest("pk")
    plan = register_import.plan(
        register_import.kind_named(record.kind),
        bytes(record.data),
        user=record.made_by,
        mapping=record.mapping,
    )
    return {"digest": record.digest, "plan": plan.fingerprint()}


def user_list_confirmation():
    """What the preview of the newest uploaded list of users posts to confirm it."""
    from municipality import user_import
    from municipality.models import UserImport

    record = UserImport.objects.latest("pk")
    plan = user_import.plan(bytes(record.data), record.mapping)
    return {"digest": record.digest, "plan": plan.fingerprint()}


def partnership_data(c, **changes):
    return {
        "title": "IOP Crossroads",
        "case_number": "ASN-2022-04410",
        "parties": [c.org.pk],
        "decided_by": c.asn.pk,
        "run_by": c.asf.pk,
        "purpose": "Rådgivning och stöd.",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "yearly_compensation": "2100000",
        "notice_period_months": "6",
        "state_aid": "none",
        **changes,
    }


def forum_data(c, **changes):
    return {
        "name": "Nytt forum",
        "kind": "theme_day",
        "owner": c.asn.pk,
        "cadence": "yearly",
        "is_active": "on",
        **changes,
    }


def meeting_data(c, **changes):
    return as_posted(
        {
            "forum": c.asn_forum.pk,
            "title": "Temadag om hemlöshet",
            "start": "2026-09-10 09:00",
            "end": "2026-09-10 12:00",
            "place": "Stadshuset",
            "status": "planned",
            **changes,
        }
    )


def payment_data(c):
    """Only a granted grant is paid, to a confirmed account: grant the one the URL is
    about (the newest) and give the organisation its account."""
    grant = Grant.objects.latest("pk")
    grant.decision, grant.granted_amount = Grant.Decision.GRANTED, grant.applied_amount
    grant.decided_by, grant.decision_date = "committee", datetime.date(2026, 2, 10)
    grant.save()
    PaymentAccount.objects.get_or_create(
        organisation=c.org, defaults={"kind": "bankgiro", "number": "505-0109"}
    )
    return {
        "paid_on": "2026-03-01",
        "amount": str(grant.applied_amount),
        "account_kind": "bankgiro",
        "account_number": "5050109",
        "reference": "Ver 2026-114",
        "token": str(uuid.uuid4()),
    }


def grant_data(c, **changes):
    return {
        "organisation": c.org.pk,
        "scheme": GrantScheme.objects.get(committee=c.asn).pk,
        "year": 2025,
        "purpose": "Vinteröppet",
        "applied_amount": "200000",
        "decision": "granted",
        "granted_amount": "200000",
        "decided_by": "committee",
        "decision_date": "2026-02-10",
        "decision_reference": "ASN 2026-02-10 § 12",
        "case_number": "ASN-2026-17",
        "decision_maker": "Arbetsmarknads- och socialnämnden",
        "no_conflict_of_interest": "on",
        **changes,
    }


def table_queries():
    """One plain SELECT of every column per table (sessions aside: a request may touch
    its own); auto-created many-to-many tables count too."""
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if model is Session or meta.proxy or not meta.managed:
            continue
        columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
        order = quote(meta.pk.column)
        yield meta.label, f"SELECT {columns} FROM {quote(meta.db_table)} ORDER BY {order}"


def snapshot():
    """Every table's row count and a digest of its rows, in plain SQL to stay fast."""
    tables = {}
    with connection.cursor() as cursor:
        for label, sql in table_queries():
            cursor.execute(sql)
            rows = cursor.fetchall()
            digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
            tables[label] = (len(rows), digest)
    return tables


def changed_tables(before, after):
    return sorted(label for label in before.keys() | after.keys() if before[label] != after[label])


def url_for(name, cast):
    kwargs_for = EXPECTED[name][0]
    return reverse(name, kwargs=kwargs_for(cast) if kwargs_for else None)


def outcome_of(response, url):
    """The response as one of the matrix's outcomes, or its status code."""
    location = urlsplit(response.get("Location", ""))
    if response.status_code == 302 and location.path == reverse("login"):
        return LOGIN if parse_qs(location.query) == {"next": [url]} else "login, elsewhere"
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    return f"{response.status_code} {location.path}".strip()


CASES = [
    (name, person)
    for name in EXPECTED
    if name not in NOT_CHECKED
    if post_outcomes(name) is not None
    for person in EVERYONE
    if post_outcomes(name)[person] in REFUSED
]


def test_every_post_only_url_is_declared():
    """A URL that answers GET with 405 needs its POST outcome declared in POST_OUTCOMES."""
    undeclared = [
        name for name in EXPECTED if post_outcomes(name) is None and name not in NOT_CHECKED
    ]
    assert undeclared == []


@pytest.mark.parametrize(("name", "person"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_refused_post_changes_nothing(client, cast, mailoutbox, name, person):
    """Refused as on a GET, for an empty and a filled form; no table written, no e-mail."""
    url = url_for(name, cast)  # may create what the URL is about, so first
    user = cast.user(person)
    if user is not None:
        client.force_login(user)
    expected = post_outcomes(name)[person]
    payloads = {"empty": {}}
    if name in FILLED:
        payloads["filled"] = FILLED[name](cast)
    got = {}
    for label, data in payloads.items():
        before = snapshot()
        response = client.post(url, data)
        got[label] = (
            outcome_of(response, url),
            "tables written:",
            changed_tables(before, snapshot()),
        )
    assert got == dict.fromkeys(payloads, (expected, "tables written:", []))
    assert mailoutbox == []


def first_allowed(name):
    """Staff if they may, else admins, else whoever may."""
    outcomes = post_outcomes(name)
    return next(p for p in ("staff", "admin", *EVERYONE) if outcomes[p] in (PAGE, ALLOWED))


@pytest.mark.parametrize("name", sorted(name for name in FILLED if name in EXPECTED))
def test_filled_forms_are_saved_where_allowed(client, cast, name):
    """The filled forms above would be saved: their refusal is not a validation error."""
    url = url_for(name, cast)
    client.force_login(cast.user(first_allowed(name)))
    before = snapshot()
    response = client.post(url, FILLED[name](cast))
    form = response.context and response.context.get("form")
    assert response.status_code == 302, form and form.errors
    assert changed_tables(before, snapshot()) != []


ALLOWED_CASES = [
    (name, person)
    for name, outcomes in POST_OUTCOMES.items()
    if name in EXPECTED  # a declaration may come ahead of its URL
    for person in EVERYONE
    if outcomes[person] == ALLOWED
]


@pytest.mark.parametrize(
    ("name", "person"), ALLOWED_CASES, ids=[f"{n}-{p}" for n, p in ALLOWED_CASES]
)
def test_declared_posts_work_where_allowed(client, cast, name, person):
    """What POST_OUTCOMES allows does its work (a redirect back), so the refusals above
    are about access, not about a request that could never succeed."""
    observation = cast.observation  # feedback is sent on a handled issue only
    observation.status, observation.response = Observation.Status.HANDLED, "Svar."
    observation.handled_on = observation.feedback_due
    observation.save()
    CalendarFeed.objects.create(kind="forum", forum=cast.asn_forum, owner=cast.staff)  # to revoke
    url = url_for(name, cast)
    client.force_login(cast.user(person))
    data = FILLED[name](cast) if name in FILLED else {}
    before = snapshot()
    outcome = outcome_of(client.post(url, data), url)
    assert outcome.startswith("302 /"), outcome
    assert changed_tables(before, snapshot()) != []
