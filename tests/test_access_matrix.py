"""Every URL in the URL conf, for every user of the cast and for an anonymous visitor.

Each URL name declares what each person gets when they GET it: the page, 404 (outside
their scope), 403 (visible but not theirs to do), a redirect to the login page, or a
plain redirect. A URL without a declaration fails `test_every_url_is_declared`: a new
page is not done until this table says who may see it.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cast import Cast

PAGE, NOT_FOUND, FORBIDDEN, LOGIN, REDIRECT, NOT_ALLOWED = (
    "page",
    "404",
    "403",
    "login",
    "redirect",
    "405",
)
EVERYONE = ("anonymous", *Cast.USER_KEYS)


def same_for(outcome, anonymous=LOGIN):
    """Everyone logged in gets `outcome`; an anonymous visitor is sent to log in."""
    return {"anonymous": anonymous, **dict.fromkeys(Cast.USER_KEYS, outcome)}


def public(outcome=PAGE):
    return dict.fromkeys(EVERYONE, outcome)


def staff_only():
    """Creating is for civil servants; everyone else may look but not add."""
    return {
        **same_for(FORBIDDEN),
        "staff": PAGE,
        "other_staff": PAGE,
        "kalmar_staff": PAGE,
    }


def org_editors():
    """The cast's organisation: Malmö staff, its own representative and admins edit it."""
    return {
        **same_for(FORBIDDEN),
        "staff": PAGE,
        "other_staff": PAGE,
        "representative": PAGE,
        "admin": PAGE,
        "kalmar_staff": NOT_FOUND,
    }


def contact_editors():
    """Contact persons are not even visible to elected members and auditors."""
    return {**org_editors(), "elected": NOT_FOUND, "auditor": NOT_FOUND}


def partnership_editors():
    """An agreement of ASF/ASN: only ASF's staff (and admins) change it."""
    return {**same_for(FORBIDDEN), "staff": PAGE, "admin": PAGE, "kalmar_staff": NOT_FOUND}


def forum_readers():
    """ASN's forum and its meeting: Malmö reads, the representative's organisation is a
    member; Kalmar does not see it."""
    return {**same_for(PAGE), "kalmar_staff": NOT_FOUND}


def forum_editors():
    """ASF's staff (ASF serves ASN) and admins change it; other readers get 403."""
    return {**same_for(FORBIDDEN), "staff": PAGE, "admin": PAGE, "kalmar_staff": NOT_FOUND}


def asn_grant(cast):
    """A grant of ASN's scheme to the representative's organisation, made on demand."""
    from grants.models import Grant, GrantScheme

    scheme, _ = GrantScheme.objects.get_or_create(
        committee=cast.asn, name="Verksamhetsbidrag", defaults={"kind": "operating"}
    )
    return Grant.objects.create(
        organisation=cast.org, scheme=scheme, year=2026, purpose="x", applied_amount=1000
    )


def account_change(cast):
    """A pending change of the cast organisation's payment account, made on demand."""
    from grants.models import AccountChange

    return AccountChange.objects.create(
        organisation=cast.org, kind="bankgiro", number="505-0109", signatory="Eva Ek"
    )


def asn_payment(cast):
    """A payment of the cast's ASN grant, made on demand."""
    from grants.models import Payment

    return Payment.objects.create(
        grant=asn_grant(cast),
        paid_on="2026-03-01",
        amount=1000,
        account_kind="bankgiro",
        account_number="505-0109",
    )


def grant_editors():
    """ASF's staff keep the grants of ASN (which ASF serves); others may only look."""
    return {**same_for(FORBIDDEN), "staff": PAGE, "admin": PAGE, "kalmar_staff": NOT_FOUND}


USER_LIST = (
    "förnamn;efternamn;e-post;roll;kommun;nämnder/förvaltningar\r\n"
    "Åsa;Öberg;asa.oberg@malmo.se;Tjänsteperson;Malmö stad;Fritidsförvaltningen\r\n"
).encode("cp1252")


def user_list_upload(cast):
    """A list of users to invite, uploaded by the cast's administrator, not yet imported."""
    import hashlib

    from municipality import import_columns, user_import
    from municipality.models import UserImport

    found = import_columns.survey(user_import.KIND, USER_LIST, user_import.columns(), cast.admin)
    return UserImport.objects.create(
        made_by=cast.admin,
        file_name="anvandare.csv",
        digest=hashlib.sha256(USER_LIST).hexdigest(),
        data=USER_LIST,
        mapping=import_columns.automatic(*found),
    )


def auditors_export(cast):
    """A workbook the cast's auditor had prepared in the background, ready."""
    from municipality.models import Export

    export = Export.objects.create(
        user=cast.auditor,
        kind="grant_workbook",
        title="Arbetsbok",
        status=Export.Status.READY,
        file_name="bidrag.xlsx",
        data=b"PK",
        size=2,
    )
    return {"pk": export.pk}


def only_the_auditor():
    return {**same_for(NOT_FOUND), "auditor": PAGE}


ORGANISATION_LIST = "organisationsnummer;namn;ort\r\n802479-1454;Föreningen Ängen;Malmö\r\n".encode(
    "cp1252"
)


def register_upload(cast):
    """A file of organisations uploaded by the cast's civil servant, not yet imported."""
    import hashlib

    from municipality import register_import
    from municipality.models import RegisterImport

    kind = register_import.kind_named("organisations")
    return RegisterImport.objects.create(
        kind="organisations",
        made_by=cast.staff,
        file_name="organisationer.csv",
        digest=hashlib.sha256(ORGANISATION_LIST).hexdigest(),
        data=ORGANISATION_LIST,
        mapping=register_import.automatic(kind, ORGANISATION_LIST, cast.staff),
    )


# url name -> (function from the cast to the URL's kwargs, or None; outcome per person)
EXPECTED = {
    "favicon": (None, public(REDIRECT)),
    "export_list": (None, same_for(PAGE)),
    "export_detail": (auditors_export, only_the_auditor()),
    "export_download": (auditors_export, only_the_auditor()),
    "home": (None, same_for(PAGE)),
    "body_list": (None, same_for(PAGE)),
    "user_list": (None, {**same_for(FORBIDDEN), "admin": PAGE}),
    "user_workbook": (None, {**same_for(FORBIDDEN), "admin": PAGE}),
    "user_import": (None, {**same_for(FORBIDDEN), "admin": PAGE}),
    "user_import_template": (None, {**same_for(FORBIDDEN), "admin": PAGE}),
    "user_import_columns": (
        lambda c: {"pk": user_list_upload(c).pk},
        {**same_for(FORBIDDEN), "admin": PAGE},
    ),
    "user_import_preview": (
        lambda c: {"pk": user_list_upload(c).pk},
        {**same_for(FORBIDDEN), "admin": PAGE},
    ),
    # Importing organisations: civil servants, into their own municipality; an upload is
    # seen by whoever made it.
    "register_import": (lambda c: {"kind": "organisations"}, staff_only()),
    "register_import_template": (lambda c: {"kind": "organisations"}, staff_only()),
    "register_import_refused": (
        lambda c: {"kind": "organisations", "pk": register_upload(c).pk},
        {**staff_only(), "other_staff": NOT_FOUND, "kalmar_staff": NOT_FOUND},
    ),
    "register_import_columns": (
        lambda c: {"kind": "organisations", "pk": register_upload(c).pk},
        {**staff_only(), "other_staff": NOT_FOUND, "kalmar_staff": NOT_FOUND},
    ),
    "register_import_preview": (
        lambda c: {"kind": "organisations", "pk": register_upload(c).pk},
        {**staff_only(), "other_staff": NOT_FOUND, "kalmar_staff": NOT_FOUND},
    ),
    "body_detail": (
        lambda c: {"pk": c.asn.pk},
        {**same_for(PAGE), "kalmar_staff": NOT_FOUND},
    ),
    "organisation_list": (None, same_for(PAGE)),
    "organisation_export": (None, same_for(PAGE)),
    "organisation_create": (None, staff_only()),
    "organisation_detail": (
        lambda c: {"pk": c.org.pk},
        {**same_for(PAGE), "kalmar_staff": NOT_FOUND},
    ),
    "organisation_update": (lambda c: {"pk": c.org.pk}, org_editors()),
    "organisation_archive": (lambda c: {"pk": c.org.pk}, same_for(NOT_ALLOWED)),
    "contact_create": (lambda c: {"pk": c.org.pk}, org_editors()),
    "contact_update": (lambda c: {"pk": c.contact.pk}, contact_editors()),
    "contact_delete": (lambda c: {"pk": c.contact.pk}, contact_editors()),
    "contact_extract": (
        lambda c: {"pk": c.contact.pk},
        {**contact_editors(), "representative": FORBIDDEN},
    ),
    "user_extract": (lambda c: {"pk": c.staff.pk}, {**same_for(FORBIDDEN), "admin": PAGE}),
    "processing_record": (None, {**same_for(FORBIDDEN), "admin": PAGE}),
    "privacy_notice": (None, public()),
    "accessibility_statement": (None, public()),
    "retention_log": (None, {**staff_only(), "admin": PAGE}),
    "partnership_list": (None, same_for(PAGE)),
    "partnership_export": (None, same_for(PAGE)),
    "partnership_create": (None, staff_only()),
    "partnership_detail": (
        lambda c: {"pk": c.partnership.pk},
        {**same_for(PAGE), "kalmar_staff": NOT_FOUND},
    ),
    "partnership_update": (lambda c: {"pk": c.partnership.pk}, partnership_editors()),
    "follow_up_create": (lambda c: {"pk": c.partnership.pk}, partnership_editors()),
    "partnership_archive": (lambda c: {"pk": c.partnership.pk}, same_for(NOT_ALLOWED)),
    "forum_list": (None, same_for(PAGE)),
    "forum_create": (None, staff_only()),
    "forum_detail": (lambda c: {"pk": c.asn_forum.pk}, forum_readers()),
    "forum_update": (lambda c: {"pk": c.asn_forum.pk}, forum_editors()),
    "meeting_list": (None, same_for(PAGE)),
    "meeting_export": (None, same_for(PAGE)),
    "attendance_export": (None, same_for(PAGE)),
    "meeting_calendar": (None, same_for(PAGE)),
    "meeting_create": (None, {**staff_only(), "elected": PAGE, "admin": PAGE}),
    "meeting_detail": (lambda c: {"pk": c.meeting.pk}, forum_readers()),
    "meeting_update": (lambda c: {"pk": c.meeting.pk}, {**forum_editors(), "elected": PAGE}),
    "meeting_log": (lambda c: {"pk": c.meeting.pk}, forum_editors()),
    "meeting_archive": (lambda c: {"pk": c.meeting.pk}, same_for(NOT_ALLOWED)),
    "meeting_minutes": (
        lambda c: {"pk": c.meeting.pk},
        {**forum_readers(), "representative": FORBIDDEN},
    ),
    "meeting_ics": (lambda c: {"pk": c.meeting.pk}, forum_readers()),
    "meeting_invitations": (lambda c: {"pk": c.meeting.pk}, forum_editors()),
    "calendar_subscriptions": (None, same_for(PAGE)),
    "feed_renew": (lambda c: {"kind": "forum", "pk": c.asn_forum.pk}, same_for(NOT_ALLOWED)),
    "feed_revoke": (lambda c: {"kind": "forum", "pk": c.asn_forum.pk}, same_for(NOT_ALLOWED)),
    # Feeds are reached by token, never by login; an unknown token is simply not found.
    "calendar_feed": (lambda c: {"token": "okand-token-som-inte-finns"}, public(NOT_FOUND)),
    "observation_list": (None, same_for(PAGE)),
    "observation_export": (None, same_for(PAGE)),
    "observation_update": (lambda c: {"pk": c.observation.pk}, forum_readers()),
    "observation_notify": (
        lambda c: {"pk": c.observation.pk},
        same_for(NOT_ALLOWED),
    ),
    "structures_report": (None, {**same_for(PAGE), "representative": FORBIDDEN}),
    "structures_workbook": (None, {**same_for(PAGE), "representative": FORBIDDEN}),
    "grant_list": (None, same_for(PAGE)),
    "grant_export": (None, same_for(PAGE)),
    "grant_create": (
        lambda c: asn_grant(c) and {},
        {**same_for(FORBIDDEN), "staff": PAGE, "admin": PAGE},
    ),
    "grant_detail": (
        lambda c: {"pk": asn_grant(c).pk},
        {**same_for(PAGE), "kalmar_staff": NOT_FOUND},
    ),
    "grant_update": (lambda c: {"pk": asn_grant(c).pk}, grant_editors()),
    "payment_create": (lambda c: {"pk": asn_grant(c).pk}, grant_editors()),
    "payment_reverse": (lambda c: {"pk": asn_payment(c).pk}, grant_editors()),
    "report_edit": (lambda c: {"pk": asn_grant(c).pk}, grant_editors()),
    "grant_workbook": (
        None,
        {**same_for(PAGE), "elected": FORBIDDEN, "representative": FORBIDDEN},
    ),
    "delegation_list": (None, {**same_for(PAGE), "representative": FORBIDDEN}),
    "scheme_list": (None, same_for(PAGE)),
    "scheme_create": (
        None,
        {
            **same_for(FORBIDDEN),
            "staff": PAGE,
            "other_staff": PAGE,
            "kalmar_staff": PAGE,
            "admin": PAGE,
        },
    ),
    "scheme_update": (lambda c: {"pk": asn_grant(c).scheme_id}, grant_editors()),
    "level_create": (lambda c: {"pk": asn_grant(c).scheme_id}, grant_editors()),
    "level_update": (
        lambda c: {"pk": asn_grant(c).scheme_id, "year": 2026},
        grant_editors(),
    ),
    # Those who see the account read the page; who may enter a change is tested in
    # tests/grants/test_payment_accounts.py. The representative proposes one.
    "account_edit": (
        lambda c: {"pk": c.org.pk},
        {**same_for(PAGE), "elected": FORBIDDEN, "kalmar_staff": NOT_FOUND},
    ),
    "account_decide": (lambda c: {"pk": account_change(c).pk}, same_for(NOT_ALLOWED)),
    "login": (None, public()),
    "logout": (None, same_for(NOT_ALLOWED)),
    "password_change": (None, same_for(PAGE)),
    "password_change_done": (None, same_for(PAGE)),
    "password_reset": (None, public()),
    "password_reset_done": (None, public()),
    "password_reset_confirm": (lambda c: {"uidb64": "MQ", "token": "ogiltig"}, public()),
    "password_reset_complete": (None, public()),
    "invitation_confirm": (lambda c: {"uidb64": "MQ", "token": "ogiltig"}, public()),
    "set_language": (None, public(REDIRECT)),
    "health": (None, public()),
}

# Django's admin is one namespace with a URL per model and action; its own login guards
# all of them. Its index stands for the namespace: administrators only.
NAMESPACES = {
    "admin": (
        "admin:index",
        {**dict.fromkeys(EVERYONE, "admin-login"), "admin": PAGE},
    ),
}


def url_names(patterns=None, namespace=""):
    """Every URL pattern's full name; unnamed ones as '<namespace>:?' or their route."""
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            names.append(
                f"{namespace}{entry.name}" if entry.name else f"{namespace}?{entry.pattern}"
            )
    return names


def test_every_url_is_declared():
    undeclared = [
        name
        for name in url_names()
        if name not in EXPECTED and name.split(":")[0] not in NAMESPACES
    ]
    assert undeclared == [], "declare who may see these URLs in EXPECTED"


def test_no_declaration_is_stale():
    assert set(EXPECTED) - set(url_names()) == set()


CASES = [(name, person) for name in EXPECTED for person in EVERYONE] + [
    (index, person) for index, _ in NAMESPACES.values() for person in EVERYONE
]


def expected_outcome(name, person):
    if name in EXPECTED:
        return EXPECTED[name][1][person]
    return next(outcomes for index, outcomes in NAMESPACES.values() if index == name)[person]


@pytest.mark.parametrize(("name", "person"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_access(client, cast, name, person):
    kwargs_for = EXPECTED[name][0] if name in EXPECTED else None
    url = reverse(name, kwargs=kwargs_for(cast) if kwargs_for else None)
    user = cast.user(person)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    outcome = expected_outcome(name, person)
    location = urlsplit(response.get("Location", ""))
    if outcome == PAGE:
        assert response.status_code == 200
    elif outcome == LOGIN:
        assert (response.status_code, location.path) == (302, reverse("login"))
        assert parse_qs(location.query) == {"next": [url]}
    elif outcome == "admin-login":
        assert (response.status_code, location.path) == (302, reverse("admin:login"))
    elif outcome == REDIRECT:
        assert response.status_code == 302
        assert location.path != reverse("login")
    else:
        assert response.status_code == int(outcome)
