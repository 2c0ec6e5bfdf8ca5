"""`manage.py seed_scale`: a large-city data set, synthetic and reproducible, for measuring.

It writes into every app (bodies and users, organisations and agreements, forums and
meetings, grants and payments, and their change history), so like `load_demo` it is a
composition root and lives beside it in `devdata`, at the top, which may know every app.
Unlike `load_demo` it makes no attempt to be idempotent: it refuses a database that
already holds data unless told otherwise (`--allow-existing`, alias `--force`), and then
adds new municipalities beside what is there.

Everything is written with bulk operations in one transaction, and every value is drawn
from `random.Random(--seed)` relative to `--today`, so the same options give the same data.
Sizes are totals, shared evenly between the municipalities.
"""

import datetime
import itertools
import random
import time
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from dialogues import feed_revisions
from dialogues.models import Forum, Invitation, Meeting, Observation
from grants import giro
from grants.models import Grant, GrantLevel, GrantReport, GrantScheme, Payment, PaymentAccount
from municipality.models import Body, Membership, Municipality, Role, User
from partners.founding import AREAS as DEFAULT_AREAS
from partners.founding import TARGET_GROUPS
from partners.models import (
    Area,
    ContactPerson,
    FollowUp,
    Organisation,
    Partnership,
    Representative,
    TargetGroup,
)

BATCH = 2000
PASSWORD = "samverkan2026"

# The sizes of the large city (one municipality), the defaults here.
LARGE = {
    "municipalities": 1,
    "organisations": 5000,
    "meetings": 50000,
    "observations": 20000,
    "agreements": 2000,
    "grants": 50000,
}

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

ORG_KINDS = [
    ("Idrottsklubben", Organisation.LegalForm.NON_PROFIT, "802"),
    ("Föreningen", Organisation.LegalForm.NON_PROFIT, "802"),
    ("Kulturföreningen", Organisation.LegalForm.NON_PROFIT, "802"),
    ("Hyresgästföreningen", Organisation.LegalForm.NON_PROFIT, "802"),
    ("Brukarföreningen", Organisation.LegalForm.USER_ASSOCIATION, "802"),
    ("Stiftelsen", Organisation.LegalForm.FOUNDATION, "802"),
    ("Församlingen", Organisation.LegalForm.RELIGIOUS, "252"),
    ("Kooperativet", Organisation.LegalForm.ECONOMIC, "769"),
    ("Nätverket", Organisation.LegalForm.OTHER, ""),
]
ORG_WORDS = [
    "Framtid",
    "Gemenskap",
    "Ljuset",
    "Vänskap",
    "Hopp",
    "Kraft",
    "Bron",
    "Ankaret",
    "Gnistan",
    "Källan",
    "Fyren",
    "Eken",
    "Lyktan",
    "Vågen",
    "Stegen",
    "Bryggan",
]
PLACES = [
    "Centrum",
    "Norr",
    "Söder",
    "Öster",
    "Väster",
    "Hamnen",
    "Backa",
    "Kortedala",
    "Majorna",
    "Frölunda",
    "Biskopsgården",
    "Angered",
    "Tuve",
    "Lundby",
    "Högsbo",
    "Bergsjön",
]
FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Ahmed",
    "Sara",
    "Johan",
    "Fatima",
    "Per",
    "Emma",
    "Ali",
    "Elin",
    "Mikael",
    "Lina",
    "Hassan",
    "Eva",
    "Oskar",
    "Amina",
    "Nils",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Haddad",
    "Yilmaz",
    "Lindberg",
    "Berg",
    "Ek",
    "Holm",
]
FORUM_NAMES = {
    Forum.Kind.ASSOCIATION_MEETING: "Föreningsträff",
    Forum.Kind.THEME_DAY: "Temadag",
    Forum.Kind.STEERING_GROUP: "Styrgrupp",
    Forum.Kind.COOPERATION_FORUM: "Samverkansforum",
    Forum.Kind.ONGOING_DIALOGUE: "Löpande dialog",
    Forum.Kind.ROUND_TABLE: "Rundabordssamtal",
    Forum.Kind.OTHER: "Dialogmöte",
}
THEMES = [
    "hemlöshet",
    "barn och unga",
    "äldres ensamhet",
    "föreningslokaler",
    "integration",
    "psykisk hälsa",
    "idrott för alla",
    "kultur i förorten",
    "våld i nära relation",
    "sysselsättning",
]
CONCERNS = [
    "behovet av lokaler",
    "långa väntetider",
    "brist på information",
    "svårt att nå rätt handläggare",
]
CADENCE_MEETINGS = {
    Forum.Cadence.WEEKLY: 8,
    Forum.Cadence.MONTHLY: 4,
    Forum.Cadence.QUARTERLY: 2,
    Forum.Cadence.YEARLY: 1,
    Forum.Cadence.AS_NEEDED: 2,
}
SCHEME_KINDS = [
    (GrantScheme.Kind.ORGANISATION, "Organisationsbidrag"),
    (GrantScheme.Kind.OPERATING, "Verksamhetsbidrag"),
    (GrantScheme.Kind.PROJECT, "Projektbidrag"),
    (GrantScheme.Kind.PREMISES, "Lokalbidrag"),
    (GrantScheme.Kind.DEVELOPMENT, "Utvecklingsbidrag"),
]


@dataclass
class MeetingRow:
    pk: int
    forum: int
    start: datetime.datetime
    held: bool
    attended: list = field(default_factory=list)  # indices into the organisations


def chunks(items, size=BATCH):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def check_digit(base):
    return base + luhn.calc_check_digit(base)


class Seeder:
    def __init__(self, options, out):
        self.rng = random.Random(options["seed"])
        self.today = options["today"] or timezone.localdate()
        self.years = options["years"]
        self.first_day = self.today - relativedelta(years=self.years)
        self.options = options
        self.out = out
        self.counts = {}
        self.began = time.perf_counter()
        self.password = make_password(options["password"])
        self.zone = timezone.get_current_timezone()
        self.logins = []

    # Helpers --------------------------------------------------------------------------

    def say(self, message):
        if self.options["verbosity"] >= 1:
            self.out.write(f"  {time.perf_counter() - self.began:6.1f} s  {message}")

    def count(self, model, n):
        name = model._meta.label
        self.counts[name] = self.counts.get(name, 0) + n

    def bulk(self, model, objects):
        """bulk_create in batches from an iterable; returns the created objects (with pks)."""
        created = []
        for batch in chunks(objects):
            created += model.objects.bulk_create(batch)
        self.count(model, len(created))
        return created

    def history(self, model, objects, when, who, update=False):
        """One historical record per object: `when(obj)` and `who(obj)` say when and by
        whom. Returns the records, in the order of `objects`."""
        records = []
        for batch in chunks(objects):
            for obj in batch:
                obj._history_date = when(obj)
                obj._history_user = who(obj)
            records += model.history.bulk_history_create(batch, update=update)
        self.counts["history rows"] = self.counts.get("history rows", 0) + len(records)
        return records

    def history_sets(self, model, records):
        """The many-to-many sets kept with each historical record (HistoryWithSets): the
        sets as they stand now, which is what they were when the records were made."""
        ids = sorted({record.id for record in records})
        for m2m_field in model.history.model._history_m2m_fields:
            history_through = getattr(model.history.model, m2m_field.name).model
            through = getattr(model, m2m_field.name).through
            source = m2m_field.m2m_field_name()
            target = m2m_field.m2m_reverse_field_name()
            current = {}
            for batch in chunks(ids):
                for pk, source_id, target_id in through.objects.filter(
                    **{f"{source}_id__in": batch}
                ).values_list("pk", f"{source}_id", f"{target}_id"):
                    current.setdefault(source_id, []).append((pk, target_id))
            rows = (
                history_through(
                    id=pk,
                    history_id=record.history_id,
                    **{f"{source}_id": record.id, f"{target}_id": target_id},
                )
                for record in records
                for pk, target_id in current.get(record.id, ())
            )
            created = 0
            for batch in chunks(rows):
                created += len(history_through.objects.bulk_create(batch))
            self.counts["history rows"] = self.counts.get("history rows", 0) + created

    def moment(self, day, hour=10, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    def day_between(self, first, last):
        span = (last - first).days
        return first + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def weekday_between(self, first, last):
        day = self.day_between(first, last)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    # The whole set -----------------------------------------------------------------------

    def build(self):
        opts = self.options
        n = opts["municipalities"]
        self.target_groups = self.ensure_target_groups()
        for index in range(n):

            def share(total, index=index):
                return total // n + (1 if index < total % n else 0)

            sizes = {
                key: share(opts[key])
                for key in ("organisations", "meetings", "observations", "agreements", "grants")
            }
            sizes["forums"] = share(
                opts["forums"]
                if opts["forums"] is not None
                else max(opts["organisations"] // 20, 3 * n)
            )
            self.municipality(index, sizes)
        return self.counts

    def ensure_target_groups(self):
        existing = {group.name: group for group in TargetGroup.objects.all()}
        missing = [TargetGroup(name=name) for name in TARGET_GROUPS if name not in existing]
        if missing:
            self.bulk(TargetGroup, missing)
        return list(TargetGroup.objects.filter(name__in=TARGET_GROUPS).order_by("name"))

    def municipality(self, index, sizes):
        self.index = index
        used_codes = set(Municipality.objects.values_list("code", flat=True))
        used_names = set(Municipality.objects.values_list("name", flat=True))
        code = next(str(c) for c in range(9001 + index, 10000) if str(c) not in used_codes)
        base = f"{CITY_NAMES[index % len(CITY_NAMES)]} stad"
        name = base
        suffix = 2
        while name in used_names:
            name, suffix = f"{base} {suffix}", suffix + 1
        self.place = Municipality.objects.create(name=name, code=code)
        self.count(Municipality, 1)
        self.say(f"{name} ({code}): {sizes}")
        self.bodies_and_users()
        self.areas = self.bulk(
            Area,
            [Area(municipality=self.place, name=area) for area in [*DEFAULT_AREAS, *PLACES[5:9]]],
        )
        self.organisations(sizes["organisations"])
        self.forums(sizes["forums"])
        self.meetings(sizes["meetings"])
        self.observations(sizes["observations"])
        self.partnerships(sizes["agreements"])
        self.grants(sizes["grants"])

    # Bodies and users --------------------------------------------------------------------

    def bodies_and_users(self):
        place = self.place
        committees, administrations = [], []
        for committee, c_short, administration, a_short in BODIES:
            committees.append(
                Body(municipality=place, name=committee, short_name=c_short, kind="committee")
            )
            administrations.append(
                Body(
                    municipality=place,
                    name=administration,
                    short_name=a_short,
                    kind="administration",
                )
            )
        self.committees = self.bulk(Body, committees)
        self.administrations = self.bulk(Body, administrations)
        serves = Body.serves.through
        links = [
            serves(from_body_id=a.pk, to_body_id=c.pk)
            for a, c in zip(self.administrations, self.committees, strict=True)
        ]
        # Stadsledningskontoret also prepares the environment committee's matters.
        links.append(
            serves(from_body_id=self.administrations[0].pk, to_body_id=self.committees[-1].pk)
        )
        serves.objects.bulk_create(links)

        code = place.code
        users, memberships = [], []

        def user(username, first, last, role, body=None, title=""):
            account = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.se",
                role=role,
                municipality=place,
                password=self.password,
            )
            users.append((account, body, title))
            return account

        self.staff = user(
            f"tjansteperson.{code}",
            "Elin",
            "Ström",
            Role.CIVIL_SERVANT,
            self.administrations[MAIN],
            "Utvecklingssekreterare",
        )
        self.elected = user(
            f"fortroendevald.{code}",
            "Johan",
            "Bergqvist",
            Role.ELECTED,
            self.committees[MAIN],
            "Ledamot",
        )
        self.representative = user(f"foretradare.{code}", "Amira", "Haddad", Role.REPRESENTATIVE)
        self.auditor = user(f"revisor.{code}", "Lars", "Nyqvist", Role.AUDITOR)
        self.officers = []
        for number, body in enumerate(self.administrations):
            if number == MAIN:
                self.officers.append(self.staff)
                continue
            first, last = (
                FIRST_NAMES[number % len(FIRST_NAMES)],
                LAST_NAMES[number % len(LAST_NAMES)],
            )
            self.officers.append(
                user(
                    f"tjansteperson.{code}.{body.short_name.lower()}",
                    first,
                    last,
                    Role.CIVIL_SERVANT,
                    body,
                    "Handläggare",
                )
            )
        created = self.bulk(User, [account for account, _body, _title in users])
        for account, (_same, body, title) in zip(created, users, strict=True):
            if body is not None:
                memberships.append(Membership(user=account, body=body, title=title))
        self.bulk(Membership, memberships)
        if not User.objects.filter(username="admin.skala").exists():
            self.bulk(
                User,
                [
                    User(
                        username="admin.skala",
                        first_name="Sara",
                        last_name="Lindholm",
                        email="admin.skala@example.se",
                        role=Role.ADMIN,
                        is_staff=True,
                        is_superuser=True,
                        password=self.password,
                    )
                ],
            )
            self.logins.append(("Administratör", "admin.skala"))
        self.logins += [
            (account.get_role_display(), account.username)
            for account in (self.staff, self.elected, self.representative, self.auditor)
        ]
        # Who keeps each body's records, for the history rows.
        self.keeper = {}
        for committee, administration, officer in zip(
            self.committees, self.administrations, self.officers, strict=True
        ):
            self.keeper[committee.pk] = self.keeper[administration.pk] = officer
        self.say(f"{len(created)} users in {len(self.committees) * 2} bodies")

    # Organisations -----------------------------------------------------------------------

    def organisations(self, count):
        rng = self.rng
        names = set()
        rows = []
        offset = self.index * 100_000
        for number in range(count):
            prefix, form, group = rng.choice(ORG_KINDS)
            name = f"{prefix} {rng.choice(ORG_WORDS)} {rng.choice(PLACES)}"
            while name in names:
                name = (
                    f"{prefix} {rng.choice(ORG_WORDS)} {rng.choice(PLACES)} {rng.randint(2, 999)}"
                )
            names.add(name)
            org_number = ""
            if group and rng.random() < 0.92:
                digits = check_digit(f"{group}{(offset + number) % 1_000_000:06d}")
                org_number = f"{digits[:6]}-{digits[6:]}"
            postal = f"4{rng.randint(10, 29)}{rng.randint(10, 99)}"
            rows.append(
                Organisation(
                    municipality=self.place,
                    name=name,
                    org_number=org_number,
                    legal_form=form,
                    street_address=f"{rng.choice(ORG_WORDS)}gatan {rng.randint(1, 120)}",
                    postal_code=f"{postal[:3]} {postal[3:]}",
                    city=self.place.name.removesuffix(" stad"),
                    email=f"info{number}@forening.example.se",
                    phone=f"031-{rng.randint(100000, 999999)}",
                    website=f"https://forening{number}.example.se" if rng.random() < 0.4 else "",
                    is_active=rng.random() < 0.95,
                    notes="Kontakt via kansliet." if rng.random() < 0.1 else "",
                    archived_at=self.moment(
                        self.today - datetime.timedelta(days=rng.randint(30, 900))
                    )
                    if rng.random() < 0.02
                    else None,
                )
            )
        self.orgs = self.bulk(Organisation, rows)
        # Weights: a few organisations are in everything, most in little.
        self.org_weights = [min(rng.paretovariate(1.2), 40.0) for _ in self.orgs]
        self.org_range = range(len(self.orgs))
        self.org_cumulative = list(itertools.accumulate(self.org_weights))
        groups, areas = Organisation.target_groups.through, Organisation.areas.through
        self.org_sets = []
        group_rows, area_rows = [], []
        for org in self.orgs:
            chosen_groups = sorted(
                {g.pk for g in rng.sample(self.target_groups, rng.randint(1, 3))}
            )
            chosen_areas = sorted({a.pk for a in rng.sample(self.areas, rng.randint(1, 2))})
            self.org_sets.append({"target_groups": chosen_groups, "areas": chosen_areas})
            group_rows += [
                groups(organisation_id=org.pk, targetgroup_id=pk) for pk in chosen_groups
            ]
            area_rows += [areas(organisation_id=org.pk, area_id=pk) for pk in chosen_areas]
        for batch in chunks(group_rows):
            groups.objects.bulk_create(batch)
        for batch in chunks(area_rows):
            areas.objects.bulk_create(batch)
        joined = {
            org.pk: self.moment(
                self.day_between(self.first_day, self.today - datetime.timedelta(days=400))
            )
            for org in self.orgs
        }
        records = self.history(
            Organisation, self.orgs, lambda o: joined[o.pk], lambda o: self.staff
        )
        self.history_sets(Organisation, records)
        # A fifth have since moved: one change each, later.
        moved = rng.sample(self.orgs, len(self.orgs) // 5)
        for org in moved:
            org.street_address = f"{rng.choice(ORG_WORDS)}vägen {rng.randint(1, 80)}"
        Organisation.objects.bulk_update(moved, ["street_address"], batch_size=BATCH)
        changed = {
            org.pk: joined[org.pk] + datetime.timedelta(days=rng.randint(30, 365)) for org in moved
        }
        records = self.history(
            Organisation, moved, lambda o: changed[o.pk], lambda o: self.staff, update=True
        )
        self.history_sets(Organisation, records)

        contacts = []
        for org in self.orgs:
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                name = self.person()
                contacts.append(
                    ContactPerson(
                        organisation=org,
                        name=name,
                        role=rng.choice(("ordförande", "kassör", "sekreterare", "verksamhetschef")),
                        email=f"{name.lower().replace(' ', '.')}.{org.pk}@example.se",
                        phone=f"07{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}",
                        is_protected=rng.random() < 0.005,
                    )
                )
        contacts = self.bulk(ContactPerson, contacts)
        self.history(
            ContactPerson, contacts, lambda c: joined[c.organisation_id], lambda c: self.staff
        )
        represented = self.orgs[:2]
        self.bulk(
            Representative,
            [
                Representative(
                    user=self.representative,
                    organisation=org,
                    authorisation="signatory",
                    since=self.first_day,
                )
                for org in represented
            ],
        )
        self.say(f"{len(self.orgs)} organisations, {len(contacts)} contact persons")

    def some_organisations(self, k):
        """k distinct organisation indices, the busier ones more often."""
        k = min(k, len(self.orgs))
        chosen = set()
        while len(chosen) < k:
            chosen.update(
                self.rng.choices(self.org_range, cum_weights=self.org_cumulative, k=k - len(chosen))
            )
        return sorted(chosen)

    # Forums and meetings ---------------------------------------------------------------------

    def forums(self, count):
        rng = self.rng
        kinds = list(FORUM_NAMES)
        kind_weights = [4, 2, 2, 3, 2, 1, 1]
        owners = self.administrations * 3 + self.committees  # förvaltningar own most
        # The measured förvaltning keeps a large share, as a large social förvaltning does.
        owners += [self.administrations[MAIN], self.committees[MAIN]] * 3
        rows, self.forum_members = [], []
        for number in range(count):
            kind = rng.choices(kinds, weights=kind_weights)[0]
            owner = rng.choice(owners)
            theme = rng.choice(THEMES)
            cadence = rng.choice(list(CADENCE_MEETINGS))
            rows.append(
                Forum(
                    name=f"{FORUM_NAMES[kind]} {theme} {rng.choice(PLACES)} {number + 1}",
                    kind=kind,
                    owner=owner,
                    cadence=cadence,
                    description=f"{FORUM_NAMES[kind]} om {theme} med föreningar i området.",
                    is_active=rng.random() < 0.9,
                )
            )
        self.forum_list = self.bulk(Forum, rows)
        members = Forum.members.through
        member_rows = []
        for forum in self.forum_list:
            chosen = self.some_organisations(rng.randint(3, 40))
            self.forum_members.append(chosen)
            member_rows += [
                members(forum_id=forum.pk, organisation_id=self.orgs[i].pk) for i in chosen
            ]
        for batch in chunks(member_rows):
            members.objects.bulk_create(batch)
        founded = {
            f.pk: self.moment(self.first_day + datetime.timedelta(days=rng.randint(0, 200)))
            for f in self.forum_list
        }
        records = self.history(
            Forum, self.forum_list, lambda f: founded[f.pk], lambda f: self.keeper[f.owner_id]
        )
        self.history_sets(Forum, records)
        self.say(f"{len(self.forum_list)} forums")

    def meetings(self, count):
        rng = self.rng
        forums = range(len(self.forum_list))
        cumulative = list(
            itertools.accumulate(CADENCE_MEETINGS[forum.cadence] for forum in self.forum_list)
        )
        last_day = self.today + datetime.timedelta(days=365)
        rows, plans = [], []
        for _ in range(count):
            index = rng.choices(forums, cum_weights=cumulative)[0]
            forum = self.forum_list[index]
            day = self.weekday_between(self.first_day, last_day)
            start = self.moment(day, rng.choice((9, 10, 13, 14, 15, 17)), rng.choice((0, 30)))
            past = day < self.today
            status = Meeting.Status.PLANNED
            if past:
                status = rng.choices(
                    (Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.PLANNED),
                    (88, 6, 6),
                )[0]
            held = status == Meeting.Status.HELD
            # Who was invited, and who came (only to a meeting that was held).
            members = self.forum_members[index]
            k = max(1, round(rng.gauss(self.options["invited"], 2)))
            chosen = set(rng.sample(members, min(k, len(members))))
            if len(chosen) < k:
                chosen.update(self.some_organisations(k - len(chosen)))
            invited = []
            for org_index in sorted(chosen):
                attended = held and rng.random() < 0.75
                invited.append((org_index, attended, rng.randint(1, 4) if attended else 0))
            theme = rng.choice(THEMES)
            plans.append((index, held, invited))
            rows.append(
                Meeting(
                    forum=forum,
                    title=f"{FORUM_NAMES[forum.kind]}: {theme}",
                    start=start,
                    end=start + datetime.timedelta(hours=rng.choice((1, 2, 2, 3))),
                    place=f"{rng.choice(PLACES)}s medborgarhus, sal {rng.randint(1, 6)}",
                    agenda=(
                        f"1. Välkomna\n2. {theme.capitalize()}: läget\n"
                        "3. Frågor från föreningarna\n4. Övrigt"
                    ),
                    status=status,
                    participants_count=sum(people for _i, _a, people in invited),
                    internal_participants=f"{self.person()}, {self.person()}" if held else "",
                    minutes=(
                        f"Samtal om {theme}. Föreningarna lyfte behov av lokaler och samordning."
                        if held
                        else ""
                    ),
                    created_by=self.keeper[forum.owner_id],
                    archived_at=self.moment(day) if past and rng.random() < 0.01 else None,
                )
            )
        created = self.bulk(Meeting, rows)
        self.meeting_rows = []
        invitations = []
        for meeting, (index, held, invited) in zip(created, plans, strict=True):
            row = MeetingRow(pk=meeting.pk, forum=index, start=meeting.start, held=held)
            for org_index, attended, people in invited:
                if attended:
                    row.attended.append(org_index)
                invitations.append(
                    Invitation(
                        meeting_id=meeting.pk,
                        organisation_id=self.orgs[org_index].pk,
                        attended=attended,
                        people=people,
                    )
                )
            self.meeting_rows.append(row)
        self.bulk(Invitation, invitations)
        scheduled = {m.pk: m.start - datetime.timedelta(days=rng.randint(14, 60)) for m in created}
        self.history(Meeting, created, lambda m: scheduled[m.pk], lambda m: m.created_by)
        self.say(f"{len(created)} meetings, {len(invitations)} invitations")

    def observations(self, count):
        rng = self.rng
        candidates = [row for row in self.meeting_rows if row.attended]
        if not candidates:
            return
        rows = []
        recent = self.today - datetime.timedelta(days=180)
        for _ in range(count):
            meeting = rng.choice(candidates)
            org_index = rng.choice(meeting.attended)
            day = timezone.localtime(meeting.start).date()
            theme = rng.choice(THEMES)
            if day < recent:
                status = rng.choices(("handled", "forwarded", "open"), (85, 10, 5))[0]
            else:
                status = rng.choices(("handled", "forwarded", "open"), (15, 35, 50))[0]
            forwarded_to = None
            if status != "open":
                forwarded_to = rng.choice(self.committees + self.administrations)
            handled_on = None
            if status == "handled":
                handled_on = min(day + datetime.timedelta(days=rng.randint(7, 120)), self.today)
            rows.append(
                Observation(
                    meeting_id=meeting.pk,
                    organisation_id=self.orgs[org_index].pk,
                    theme=theme,
                    text=f"Föreningen lyfte {theme}: {rng.choice(CONCERNS)}.",
                    forwarded_to=forwarded_to,
                    status=status,
                    feedback_due=day + datetime.timedelta(weeks=4),
                    response="Förvaltningen har sett över frågan och återkommer i samrådet."
                    if handled_on
                    else "",
                    handled_on=handled_on,
                    feedback_sent_at=self.moment(handled_on, 15)
                    if handled_on and rng.random() < 0.5
                    else None,
                )
            )
        created = self.bulk(Observation, rows)
        owner = {row.pk: self.forum_list[row.forum].owner_id for row in self.meeting_rows}
        raised_on = {row.pk: timezone.localtime(row.start).date() for row in candidates}
        self.history(
            Observation,
            created,
            lambda o: self.moment(raised_on[o.meeting_id], 16),
            lambda o: self.keeper[owner[o.meeting_id]],
        )
        handled = [o for o in created if o.handled_on]
        self.history(
            Observation,
            handled,
            lambda o: self.moment(o.handled_on, 11),
            lambda o: self.keeper[owner[o.meeting_id]],
            update=True,
        )
        self.say(f"{len(created)} observations")

    # Agreements ------------------------------------------------------------------------------

    def partnerships(self, count):
        rng = self.rng
        steering = [f for f in self.forum_list if f.kind == Forum.Kind.STEERING_GROUP]
        rows, parties, previous, wants_steering = [], [], None, []
        for number in range(count):
            pair = rng.randrange(len(self.committees))
            committee, administration = self.committees[pair], self.administrations[pair]
            renews = previous if previous is not None and rng.random() < 0.3 else None
            if renews is not None:
                start = renews.end_date + datetime.timedelta(days=1)
                committee_id, administration_id = renews.decided_by_id, renews.run_by_id
                chosen = parties[-1]
            else:
                start = self.day_between(
                    self.first_day, self.today + datetime.timedelta(days=180)
                ).replace(day=1)
                committee_id, administration_id = committee.pk, administration.pk
                chosen = self.some_organisations(rng.choice((1, 1, 2, 3)))
            end = start + relativedelta(years=rng.randint(1, 4)) - datetime.timedelta(days=1)
            notice = rng.choice((3, 6, 12))
            activity = rng.choice(THEMES)
            if steering and rng.random() < 0.3:
                wants_steering.append(number)
            partnership = Partnership(
                title=f"IOP {activity} {rng.choice(PLACES)} {number + 1}",
                case_number=f"{BODIES[pair][1]}-{start.year}-{rng.randint(100, 19999)}",
                decided_by_id=committee_id,
                run_by_id=administration_id,
                purpose=f"Partnerskap om {activity} för invånare i behov av stöd.",
                activities=f"{activity}, samordning, uppsökande arbete",
                start_date=start,
                end_date=end,
                yearly_compensation=rng.randint(2, 400) * 10_000,
                notice_period_months=notice,
                last_notice_date=end - relativedelta(months=notice),
                extension_option=rng.random() < 0.5,
                state_aid=rng.choice(list(Partnership.StateAid.values)),
                renews=renews,
                archived_at=self.moment(end + datetime.timedelta(days=400))
                if end + datetime.timedelta(days=400) < self.today and rng.random() < 0.1
                else None,
            )
            if renews is not None and renews.pk is None:
                # Renewals refer to a saved agreement: save the one before first.
                self.bulk(Partnership, rows)
                rows = []
            rows.append(partnership)
            parties.append(chosen)
            previous = partnership
            if len(rows) >= BATCH:
                self.bulk(Partnership, rows)
                rows = []
        if rows:
            self.bulk(Partnership, rows)
        created = list(Partnership.objects.filter(run_by__municipality=self.place).order_by("pk"))
        through = Partnership.parties.through
        party_rows = [
            through(partnership_id=p.pk, organisation_id=self.orgs[i].pk)
            for p, chosen in zip(created, parties, strict=True)
            for i in chosen
        ]
        for batch in chunks(party_rows):
            through.objects.bulk_create(batch)
        # A steering group steers one agreement: as many as there are free forums.
        free = rng.sample(steering, len(steering))
        for forum, index in zip(free, wants_steering, strict=False):
            forum.steers_id = created[index].pk
        Forum.objects.bulk_update(free, ["steers"], batch_size=BATCH)
        records = self.history(
            Partnership,
            created,
            lambda p: self.moment(p.start_date - datetime.timedelta(days=40)),
            lambda p: self.keeper[p.run_by_id],
        )
        self.history_sets(Partnership, records)
        follow_ups = []
        for partnership in created:
            for year in range(
                partnership.start_date.year, min(partnership.end_date.year, self.today.year - 1) + 1
            ):
                date = datetime.date(year + 1, 2, rng.randint(1, 28))
                if date > self.today:
                    continue
                follow_ups.append(
                    FollowUp(
                        partnership=partnership,
                        date=date,
                        year=year,
                        assessment=rng.choices(list(FollowUp.Assessment.values), (80, 15, 5))[0],
                        summary="Verksamheten har genomförts enligt överenskommelsen.",
                        next_steps="Fortsatt dialog i styrgruppen." if rng.random() < 0.5 else "",
                    )
                )
        follow_ups = self.bulk(FollowUp, follow_ups)
        runner = {p.pk: p.run_by_id for p in created}
        self.history(
            FollowUp,
            follow_ups,
            lambda f: self.moment(f.date, 14),
            lambda f: self.keeper[runner[f.partnership_id]],
        )
        self.say(f"{len(created)} agreements, {len(follow_ups)} follow-ups")

    # Grants ----------------------------------------------------------------------------------

    def grants(self, count):
        rng = self.rng
        schemes, levels = [], []
        for committee in self.committees:
            for kind, label in rng.sample(SCHEME_KINDS, rng.randint(2, 4)):
                schemes.append(
                    GrantScheme(
                        committee=committee,
                        name=f"{label} {committee.short_name}",
                        kind=kind,
                        description=f"{label} som {committee.name} beslutar om.",
                    )
                )
        schemes = self.bulk(GrantScheme, schemes)
        label_of = {s.pk: dict(SCHEME_KINDS)[s.kind] for s in schemes}
        self.history(
            GrantScheme,
            schemes,
            lambda s: self.moment(self.first_day),
            lambda s: self.keeper[s.committee_id],
        )
        first_year = self.first_day.year
        for scheme in schemes:
            amount = rng.randint(5, 50) * 10_000
            for year in range(first_year, self.today.year + 2):
                amount += rng.choice((0, 0, 10_000, 20_000))
                levels.append(
                    GrantLevel(
                        scheme=scheme,
                        year=year,
                        amount=amount,
                        is_ceiling=True,
                        decision=f"{year - 1}-11-20 § {rng.randint(100, 300)}",
                    )
                )
        self.bulk(GrantLevel, levels)

        accounts = []
        for index, org in enumerate(self.orgs):
            base = f"5{(self.index * 100_000 + index) % 1_000_000:06d}"
            accounts.append(
                PaymentAccount(
                    organisation=org,
                    kind="bankgiro",
                    number=giro.validate("bankgiro", check_digit(base)),
                )
            )
        accounts = self.bulk(PaymentAccount, accounts)
        account_of = {a.organisation_id: a for a in accounts}
        self.history(
            PaymentAccount, accounts, lambda a: self.moment(self.first_day), lambda a: self.staff
        )

        committee_short = {c.pk: c.short_name for c in self.committees}
        rows = []
        years = list(range(max(first_year, 2000), self.today.year + 1))
        org_for = rng.choices(self.org_range, cum_weights=self.org_cumulative, k=count)
        for number in range(count):
            scheme = rng.choice(schemes)
            year = rng.choice(years)
            applied = rng.randint(1, 100) * 5_000
            decision_date = datetime.date(year, 1, 15) + datetime.timedelta(
                days=rng.randint(0, 300)
            )
            decided_by = rng.choices(("committee", "delegate"), (35, 65))[0]
            if decision_date > self.today:
                decision, granted, decision_date, decided_by = "applied", None, None, ""
            else:
                decision = rng.choices(("granted", "partly_granted", "rejected"), (70, 18, 12))[0]
                granted = {
                    "granted": applied,
                    "partly_granted": applied * rng.randint(4, 9) // 10,
                    "rejected": 0,
                }[decision]
            short = committee_short[scheme.committee_id]
            rows.append(
                Grant(
                    organisation=self.orgs[org_for[number]],
                    scheme=scheme,
                    year=year,
                    purpose=f"{label_of[scheme.pk]} {year}: {rng.choice(THEMES)}.",
                    applied_amount=applied,
                    granted_amount=granted,
                    decision=decision,
                    decided_by=decided_by,
                    decision_date=decision_date,
                    decision_reference=(
                        f"{short} {decision_date:%Y-%m-%d} § {rng.randint(1, 300)}"
                        if decided_by == "committee"
                        else f"D-{short}-{year}-{number:05d}"
                    )
                    if decision_date
                    else "",
                    case_number=f"{short}-{year}-{number:05d}",
                    decision_maker=(
                        ""
                        if not decision_date
                        else self.person() + (", enhetschef" if decided_by == "delegate" else "")
                    ),
                    no_conflict_of_interest=decision != "applied",
                    created_by=self.keeper[scheme.committee_id],
                )
            )
        grants = self.bulk(Grant, rows)
        applied_on = {g.pk: self.moment(datetime.date(g.year, 1, 10)) for g in grants}
        self.history(
            Grant, grants, lambda g: min(applied_on[g.pk], timezone.now()), lambda g: g.created_by
        )
        decided = [g for g in grants if g.decision_date]
        self.history(
            Grant,
            decided,
            lambda g: self.moment(g.decision_date, 15),
            lambda g: g.created_by,
            update=True,
        )

        payments, reports = [], []
        for grant in decided:
            if not grant.granted_amount:
                continue
            account = account_of[grant.organisation_id]
            first = grant.decision_date + datetime.timedelta(days=rng.randint(5, 30))
            if first > self.today:
                continue
            split = rng.random() < 0.15
            parts = (
                [grant.granted_amount // 2, grant.granted_amount - grant.granted_amount // 2]
                if split
                else [grant.granted_amount]
            )
            for part_number, amount in enumerate(parts):
                paid_on = first + datetime.timedelta(days=120 * part_number)
                if paid_on > self.today:
                    break
                payments.append(
                    Payment(
                        grant=grant,
                        paid_on=paid_on,
                        amount=amount,
                        account_kind=account.kind,
                        account_number=account.number,
                        reference=f"Utbetalning {grant.case_number}",
                        created_by=grant.created_by,
                    )
                )
            due = datetime.date(grant.year + 1, 3, 31)
            received = None
            if due < self.today + datetime.timedelta(days=90):
                received = (
                    due - datetime.timedelta(days=rng.randint(-30, 60))
                    if rng.random() < 0.93
                    else None
                )
                if received is not None and received > self.today:
                    received = None
            recovery = 0
            if received is not None and rng.random() < 0.02:
                recovery = min(grant.granted_amount, rng.randint(1, 10) * 5_000)
            reports.append(
                GrantReport(
                    grant=grant,
                    due_on=due,
                    received_on=received,
                    approved=(recovery == 0) if received else None,
                    comment="Verksamheten genomförd enligt ansökan." if received else "",
                    recovery_amount=recovery,
                    recovery_reason="Delar av verksamheten genomfördes inte." if recovery else "",
                )
            )
        payments = self.bulk(Payment, payments)
        # A few wrong payments, taken back by reversing entries.
        reversals = [
            Payment(
                grant_id=p.grant_id,
                paid_on=p.paid_on + datetime.timedelta(days=3),
                amount=p.amount,
                account_kind=p.account_kind,
                account_number=p.account_number,
                reference=p.reference,
                reverses=p,
                reversal_reason="Fel belopp; nytt beslut om utbetalning.",
                created_by=p.created_by,
            )
            for p in payments
            if rng.random() < 0.003 and p.paid_on + datetime.timedelta(days=3) <= self.today
        ]
        payments += self.bulk(Payment, reversals)
        self.history(Payment, payments, lambda p: self.moment(p.paid_on, 9), lambda p: p.created_by)
        # Reports with a recovery exceed nothing paid: drop those whose payment did not happen.
        paid = {p.grant_id for p in payments}
        reports = [r for r in reports if r.grant_id in paid or r.recovery_amount == 0]
        reports = self.bulk(GrantReport, reports)
        self.history(
            GrantReport,
            reports,
            lambda r: self.moment(r.received_on or r.due_on - datetime.timedelta(days=60), 13),
            lambda r: self.staff,
        )
        self.say(f"{len(grants)} grants, {len(payments)} payments, {len(reports)} reports back")


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large, synthetic, reproducible data set (a large city): "
        "bodies, users, organisations, forums, meetings with attendance and issues, IOP "
        "agreements with follow-ups, grants with payments and reports back, and history."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=LARGE["municipalities"])
        parser.add_argument("--organisations", type=int, default=LARGE["organisations"])
        parser.add_argument(
            "--forums", type=int, default=None, help="Default: one per 20 organisations."
        )
        parser.add_argument("--meetings", type=int, default=LARGE["meetings"])
        parser.add_argument(
            "--invited",
            type=float,
            default=5.4,
            help="Organisations invited per meeting, on average.",
        )
        parser.add_argument("--observations", type=int, default=LARGE["observations"])
        parser.add_argument("--agreements", type=int, default=LARGE["agreements"])
        parser.add_argument("--grants", type=int, default=LARGE["grants"])
        parser.add_argument(
            "--years", type=int, default=20, help="How far back the history goes (years)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data is drawn around (YYYY-MM-DD); default today.",
        )
        parser.add_argument("--password", default=PASSWORD, help="Every user's password.")
        parser.add_argument(
            "--allow-existing",
            "--force",
            action="store_true",
            dest="allow_existing",
            help="Add to a database that already holds data (new municipalities beside it).",
        )

    def handle(self, *args, **options):
        if options["municipalities"] < 1 or options["organisations"] < options["municipalities"]:
            raise CommandError("At least one municipality, with at least one organisation each.")
        if not options["allow_existing"] and (
            Municipality.objects.exists() or User.objects.exists()
        ):
            raise CommandError(
                "The database already holds data. seed_scale fills an empty database; "
                "give --allow-existing to add to this one anyway."
            )
        seeder = Seeder(options, self.stdout)
        with transaction.atomic():
            counts = seeder.build()
            # Written in bulk, past the signals that raise a feed's revision.
            feed_revisions.everything_changed()
        seconds = time.perf_counter() - seeder.began
        self.stdout.write(self.style.SUCCESS(f"seed_scale: built in {seconds:.1f} s"))
        for name, number in counts.items():
            self.stdout.write(f"  {name}: {number}")
        self.stdout.write(f"Logins (password {options['password']!r}):")
        for role, username in seeder.logins:
            self.stdout.write(f"  {role}: {username}")
