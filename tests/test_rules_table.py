"""The "Who may do what" table in docs/access.md is made from the named rules and the cast,
so the table and the code cannot drift apart; and nothing outside the rules compares roles.

After changing a rule: `UPDATE_DOCS=1 .venv/bin/pytest tests/test_rules_table.py`.
"""

import datetime
import os
import re
from pathlib import Path

from django.utils import timezone, translation

from dialogues.models import Meeting, Observation
from grants.models import AccountChange, Grant, GrantScheme
from municipality import access
from municipality.models import Export

ROOT = Path(__file__).resolve().parent.parent
ACCESS_DOC = ROOT / "docs" / "access.md"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
ROLES = (
    ("staff", "Tjänsteperson"),
    ("elected", "Förtroendevald"),
    ("representative", "Organisationsföreträdare"),
    ("auditor", "Revisor"),
    ("admin", "Administratör"),
)
SELF = object()  # stands for the user themself (their personal calendar feed)


def own_export(user):
    """An export the asking user asked for themself, of a kind every user may have."""
    return Export.objects.create(user=user, kind="organisation_list", title="Organisationer")


def examples(cast):
    """For each rule, objects it is asked about: the cast's own and others' records."""
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    leisure = GrantScheme.objects.create(committee=cast.frn, name="Föreningsbidrag")
    grants = [
        Grant.objects.create(
            organisation=organisation,
            scheme=grant_scheme,
            year=2026,
            purpose="Verksamhet",
            applied_amount=1000,
            granted_amount=1000,
            decision="granted",
            decided_by="committee",
            decision_date=datetime.date(2026, 2, 1),
        )
        for organisation, grant_scheme in ((cast.org, scheme), (cast.other_org, leisure))
    ]
    frf_meeting = Meeting.objects.create(
        forum=cast.frf_forum, title="Fritidsdialog", start=timezone.now(), status="held"
    )
    frf_observation = Observation.objects.create(
        meeting=frf_meeting, organisation=cast.other_org, text="Fler bokningsbara tider."
    )
    changes = [
        AccountChange.objects.create(
            organisation=organisation,
            kind="bankgiro",
            number="505-0109",
            signatory="Eva Ek",
            entered_by=entered_by,
        )
        for organisation, entered_by in ((cast.org, cast.representative), (cast.other_org, None))
    ]
    organisations = [cast.org, cast.other_org]
    colleagues_export = Export.objects.create(
        user=cast.other_staff, kind="organisation_list", title="Organisationer"
    )
    return {
        "organisation": organisations,
        "partnership": [cast.partnership, cast.other_partnership],
        "forum": [cast.asn_forum, cast.asf_forum, cast.frf_forum],
        "meeting": [cast.meeting, frf_meeting],
        "observation": [cast.observation, frf_observation],
        "grant": grants,
        "grant_scheme": [scheme, leisure],
        "payment_account": organisations,
        "payment_account_change": changes,
        "calendar_feed": [SELF, cast.org, cast.other_org, cast.asf, cast.frf, cast.asf_forum],
        "contact_person": [cast.contact, cast.other_contact],
        # One's own export and a colleague's: a file is only ever its asker's.
        "background_export": [own_export, colleagues_export],
    }


# Rules whose name does not say what they are asked about.
SUBJECTS = {
    "schedule_meeting": "forum",
    "confirm_payment_account": "payment_account_change",
    "see_contact_persons": "organisation",
    "extract_contact_data": "contact_person",
    "take_export": "background_export",
}


def subject_of(rule, objects):
    """Which example list a rule is asked about, from its name; [None]: no object."""
    if rule in SUBJECTS:
        return objects[SUBJECTS[rule]]
    for key in sorted(objects, key=len, reverse=True):
        if f"_{key}_" in f"_{rule}_":
            return objects[key]
    return [None]


def asked_about(user, subject):
    """The object itself; the user for SELF; a function of the user makes it for them."""
    if subject is SELF:
        return user
    return subject(user) if callable(subject) else subject


def answer(user, rule, subjects):
    results = [access.allows(user, rule, asked_about(user, s)) for s in subjects]
    if all(results):
        return "ja"
    return "egna" if any(results) else "–"


def build_table(cast):
    objects = examples(cast)
    lines = [
        "| regel | vad den säger | " + " | ".join(label for _, label in ROLES) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for rule in sorted(access.DESCRIPTIONS):
        subjects = subject_of(rule, objects)
        cells = [answer(cast.user(key), rule, subjects) for key, _ in ROLES]
        with translation.override("en"):
            described = str(access.DESCRIPTIONS[rule])
        lines.append(f"| `{rule}` | {described} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_access_table_matches_the_rules(cast):
    table = build_table(cast)
    text = ACCESS_DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    current, after = rest.split(END, 1)
    if os.environ.get("UPDATE_DOCS"):
        ACCESS_DOC.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")
        current = table
    assert current.strip() == table, "run UPDATE_DOCS=1 pytest tests/test_rules_table.py"


def test_every_rule_is_asked_about_something_it_can_allow(cast):
    """A rule that refuses every role in the table has examples that miss its subject (as
    extract_contact_data and take_export once had), or is dead."""
    objects = examples(cast)
    never = [
        rule
        for rule in access.DESCRIPTIONS
        if all(answer(cast.user(key), rule, subject_of(rule, objects)) == "–" for key, _ in ROLES)
    ]
    assert never == []


def test_every_rule_is_asked_somewhere():
    """A rule nobody asks is dead; one asked under a name that is not registered fails."""
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("municipality", "partners", "dialogues", "grants", "overview", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".html")
        and path.name != "rules.py"
        and "migrations" not in str(path)
    )
    # Templates ask `can.<rule>` of the answers their view gives (access.answers).
    in_templates = set(re.findall(r"\bcan\.(\w+)", sources))
    unasked = [
        rule
        for rule in access.DESCRIPTIONS
        if f'"{rule}"' not in sources and rule not in in_templates
    ]
    assert unasked == [], unasked
    asked = set(re.findall(r'(?:allows|require)\([^,]+, "(\w+)"', sources))
    asked |= set(re.findall(r'test_rule "(\w+)"', sources)) | in_templates
    assert asked - set(access.DESCRIPTIONS) == set()


# Where a role may still be named outside the scopes and rules, and why.
ROLE_NAMED_FOR_DATA = {
    # The role field itself and the invariants it guards (admin without a municipality,
    # memberships of the body kind a role belongs to, Django's flags derived from it).
    "municipality/models.py",
    # Getting started is shown until someone other than the administrator exists.
    "municipality/founding.py",
    # Bulk invitation reads a role column and checks each row against the role's
    # invariants (a representative names an organisation), as the admin's forms do.
    "municipality/user_import.py",
    "partners/user_import.py",
}
ROLE_TESTS = re.compile(
    r"\.is_(admin|civil_servant|elected|representative|auditor)\b|\.role\s*(==|!=|in\b)|Role\.[A-Z]"
)


def test_nothing_outside_the_rules_compares_roles():
    """Views, forms, models' scopes, e-mails and templates ask named rules or the scope's
    data; only municipality/access.py and the apps' rules.py look at a user's role."""
    offenders = []
    for folder in ("config", "municipality", "partners", "dialogues", "grants", "overview"):
        for path in (ROOT / folder).rglob("*.py"):
            name = str(path.relative_to(ROOT))
            if (
                path.name in ("access.py", "rules.py")
                or "migrations" in path.parts
                # createsuperuser makes an administrator (the demo and scale data, which
                # create users of every role, live in devdata, outside these folders).
                or "management" in path.parts
                or name in ROLE_NAMED_FOR_DATA
            ):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ROLE_TESTS.search(line):
                    offenders.append(f"{name}:{number}: {line.strip()}")
    for path in (ROOT / "templates").rglob("*.html"):
        if re.search(r"scope\.|user\.role\b|\.role ==", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_role_test_finds_a_role_comparison():
    """The pattern above is not vacuous: it catches each way of comparing a role."""
    for line in (
        "if access.scope_for(request.user).is_representative:",
        "if user.role == 'admin':",
        "User.objects.filter(role=Role.CIVIL_SERVANT)",
    ):
        assert ROLE_TESTS.search(line), line
