"""Demo municipalities, bodies and users, written from the facts in the seed papers.

Malmö's Arbetsmarknads- och socialnämnden and Kalmar's socialnämnd are the committees the
seeds are about; the other bodies are those the papers name. People are invented.
Building is idempotent: running it again changes nothing that is already there.
"""

from django.db import transaction

from municipality.models import Body, Membership, Municipality, Role, User

DEMO_PASSWORD = "samverkan2026"

# (name, code, [(committee, abbreviation, administration, abbreviation), ...])
MUNICIPALITIES = [
    (
        "Malmö stad",
        "1280",
        [
            ("Kommunstyrelsen", "KS", "Stadskontoret", "STK"),
            (
                "Arbetsmarknads- och socialnämnden",
                "ASN",
                "Arbetsmarknads- och socialförvaltningen",
                "ASF",
            ),
            ("Fritidsnämnden", "FRN", "Fritidsförvaltningen", "FRF"),
            ("Kulturnämnden", "KN", "Kulturförvaltningen", "KF"),
            ("Funktionsstödsnämnden", "FSN", "Funktionsstödsförvaltningen", "FSF"),
            ("Grundskolenämnden", "GSN", "Grundskoleförvaltningen", "GSF"),
        ],
    ),
    (
        "Kalmar kommun",
        "0880",
        [
            ("Kommunstyrelsen", "KS", "Kommunledningskontoret", "KLK"),
            ("Socialnämnden", "SN", "Socialförvaltningen", "SOC"),
        ],
    ),
]

# (username, first name, last name, role, municipality, body or None, title)
USERS = [
    (
        "tjansteperson",
        "Elin",
        "Ström",
        Role.CIVIL_SERVANT,
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Utvecklingssekreterare",
    ),
    (
        "fortroendevald",
        "Johan",
        "Bergqvist",
        Role.ELECTED,
        "Malmö stad",
        "Arbetsmarknads- och socialnämnden",
        "Ledamot",
    ),
    ("foretradare", "Amira", "Haddad", Role.REPRESENTATIVE, "Malmö stad", None, ""),
    ("revisor", "Lars", "Nyqvist", Role.AUDITOR, "Malmö stad", None, ""),
    ("admin", "Sara", "Lindholm", Role.ADMIN, None, None, ""),
    (
        "tjansteperson.kalmar",
        "Maja",
        "Ek",
        Role.CIVIL_SERVANT,
        "Kalmar kommun",
        "Socialförvaltningen",
        "Verksamhetsutvecklare",
    ),
]


@transaction.atomic
def build():
    """Create what is missing; return the demo users in the order of USERS."""
    municipalities = {}
    for name, code, pairs in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
        municipalities[name] = municipality
        for committee_name, committee_abbr, admin_name, admin_abbr in pairs:
            committee, _ = Body.objects.get_or_create(
                municipality=municipality,
                name=committee_name,
                defaults={"kind": Body.Kind.COMMITTEE, "short_name": committee_abbr},
            )
            administration, _ = Body.objects.get_or_create(
                municipality=municipality,
                name=admin_name,
                defaults={"kind": Body.Kind.ADMINISTRATION, "short_name": admin_abbr},
            )
            administration.serves.add(committee)

    users = []
    for username, first, last, role, municipality_name, body_name, title in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.se",
                role=role,
                municipality=municipalities.get(municipality_name),
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
        if body_name:
            body = Body.objects.get(municipality=user.municipality, name=body_name)
            Membership.objects.get_or_create(user=user, body=body, defaults={"title": title})
        users.append(user)
    return users
