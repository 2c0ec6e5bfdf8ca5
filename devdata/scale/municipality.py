"""Scale data for the base: the municipality, its nämnder and förvaltningar in pairs, and
a user of each role (a civil servant in every förvaltning), with their memberships."""

from dataclasses import dataclass

from devdata.scale.words import FIRST_NAMES, LAST_NAMES
from municipality.models import Body, Membership, Municipality, Role, User

CITY_NAMES = [
    "Älvstad",
    "Sjöstad",
    "Bergvik",
    "Ekeby",
    "Norrhamn",
    "Söderås",
    "Lindköping",
    "Västervik",
    "Storfors",
    "Åby",
]

# (committee, abbreviation, administration, abbreviation); the first social förvaltning
# is where the measured civil servant works.
BODIES = [
    ("Kommunstyrelsen", "KS", "Stadsledningskontoret", "SLK"),
    ("Socialnämnden Nordost", "SNNO", "Socialförvaltningen Nordost", "SFNO"),
    ("Socialnämnden Centrum", "SNC", "Socialförvaltningen Centrum", "SFC"),
    ("Socialnämnden Hisingen", "SNH", "Socialförvaltningen Hisingen", "SFH"),
    ("Socialnämnden Sydväst", "SNSV", "Socialförvaltningen Sydväst", "SFSV"),
    ("Idrotts- och föreningsnämnden", "IFN", "Idrotts- och föreningsförvaltningen", "IFF"),
    ("Kulturnämnden", "KN", "Kulturförvaltningen", "KF"),
    ("Förskolenämnden", "FSKN", "Förskoleförvaltningen", "FSKF"),
    ("Grundskolenämnden", "GSN", "Grundskoleförvaltningen", "GSF"),
    (
        "Äldre samt vård- och omsorgsnämnden",
        "ÄVN",
        "Äldre samt vård- och omsorgsförvaltningen",
        "ÄVF",
    ),
    ("Nämnden för funktionsstöd", "NFS", "Förvaltningen för funktionsstöd", "FFS"),
    ("Miljö- och klimatnämnden", "MKN", "Miljöförvaltningen", "MF"),
]
MAIN = 1  # index in BODIES of the measured user's förvaltning


@dataclass
class Bodies:
    """The bodies in pairs (committees[i] is served by administrations[i]) and the users."""

    committees: list
    administrations: list
    staff: User  # the measured civil servant, in administrations[MAIN]
    elected: User
    representative: User
    auditor: User
    keeper: dict  # body pk: the civil servant who keeps its records (in the history)

    @property
    def all(self):
        return self.committees + self.administrations


def municipality(run, index):
    """A new municipality beside any already there: the first free code from 9001 and a
    city name not yet taken."""
    used_codes = set(Municipality.objects.values_list("code", flat=True))
    used_names = set(Municipality.objects.values_list("name", flat=True))
    code = next(str(c) for c in range(9001 + index, 10000) if str(c) not in used_codes)
    base = f"{CITY_NAMES[index % len(CITY_NAMES)]} stad"
    name = base
    suffix = 2
    while name in used_names:
        name, suffix = f"{base} {suffix}", suffix + 1
    place = Municipality.objects.create(name=name, code=code)
    run.count(Municipality, 1)
    return place


def bodies_and_users(run, place):
    committees, administrations = [], []
    for committee, c_short, administration, a_short in BODIES:
        committees.append(
            Body(
                municipality=place,
                name=committee,
                short_name=c_short,
                kind=Body.Kind.COMMITTEE,
            )
        )
        administrations.append(
            Body(
                municipality=place,
                name=administration,
                short_name=a_short,
                kind=Body.Kind.ADMINISTRATION,
            )
        )
    committees = run.bulk(Body, committees)
    administrations = run.bulk(Body, administrations)
    serves = Body.serves.through
    links = [
        serves(from_body_id=a.pk, to_body_id=c.pk)
        for a, c in zip(administrations, committees, strict=True)
    ]
    # Stadsledningskontoret also prepares the environment committee's matters.
    links.append(serves(from_body_id=administrations[0].pk, to_body_id=committees[-1].pk))
    run.links(serves, links)

    code = place.code
    users = []

    def user(username, first, last, role, body=None, title=""):
        account = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.se",
            role=role,
            municipality=place,
            password=run.password,
        )
        users.append((account, body, title))
        return account

    staff = user(
        f"tjansteperson.{code}",
        "Elin",
        "Ström",
        Role.CIVIL_SERVANT,
        administrations[MAIN],
        "Utvecklingssekreterare",
    )
    elected = user(
        f"fortroendevald.{code}",
        "Johan",
        "Bergqvist",
        Role.ELECTED,
        committees[MAIN],
        "Ledamot",
    )
    representative = user(f"foretradare.{code}", "Amira", "Haddad", Role.REPRESENTATIVE)
    auditor = user(f"revisor.{code}", "Lars", "Nyqvist", Role.AUDITOR)
    officers = []
    for number, body in enumerate(administrations):
        if number == MAIN:
            officers.append(staff)
            continue
        officers.append(
            user(
                f"tjansteperson.{code}.{body.short_name.lower()}",
                FIRST_NAMES[number % len(FIRST_NAMES)],
                LAST_NAMES[number % len(LAST_NAMES)],
                Role.CIVIL_SERVANT,
                body,
                "Handläggare",
            )
        )
    created = run.bulk(User, [account for account, _body, _title in users])
    memberships = [
        Membership(user=account, body=body, title=title)
        for account, (_same, body, title) in zip(created, users, strict=True)
        if body is not None
    ]
    run.bulk(Membership, memberships)
    if not User.objects.filter(username="admin.skala").exists():
        admin = User(
            username="admin.skala",
            first_name="Sara",
            last_name="Lindholm",
            email="admin.skala@example.se",
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
            password=run.password,
        )
        run.bulk(User, [admin])
        run.logins.append((admin.get_role_display(), admin.username))
    run.logins += [
        (account.get_role_display(), account.username)
        for account in (staff, elected, representative, auditor)
    ]
    keeper = {}
    for committee, administration, officer in zip(
        committees, administrations, officers, strict=True
    ):
        keeper[committee.pk] = keeper[administration.pk] = officer
    run.say(f"{len(created)} users in {len(committees) * 2} bodies")
    return Bodies(committees, administrations, staff, elected, representative, auditor, keeper)
