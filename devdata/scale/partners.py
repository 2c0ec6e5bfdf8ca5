"""Scale data for partners: organisations with their target groups, areas, contact
persons and moves, the representative's organisations, and IOP agreements (some renewing
the one before, some with a steering group) with their yearly follow-ups."""

import datetime
import itertools
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from stdnum import luhn

from devdata.scale.core import BATCH
from devdata.scale.words import PLACES, THEMES
from dialogues.models import Forum
from partners import orgnr
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

# (name prefix, legal form, first digits of its organisationsnummer; none for a network)
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
CONTACT_ROLES = ("ordförande", "kassör", "sekreterare", "verksamhetschef")


@dataclass
class Organisations:
    """The organisations in the order built, and the weights that make a few of them busy
    (in many forums, meetings, agreements and grants) and most of them seldom seen."""

    rows: list
    cumulative: list  # cumulative weights over rows

    @property
    def indices(self):
        return range(len(self.rows))

    def busy(self, rng, k):
        """k organisation indices with repeats, the busier ones more often."""
        return rng.choices(self.indices, cum_weights=self.cumulative, k=k)

    def some(self, rng, k):
        """k distinct organisation indices, the busier ones more often."""
        k = min(k, len(self.rows))
        chosen = set()
        while len(chosen) < k:
            chosen.update(self.busy(rng, k - len(chosen)))
        return sorted(chosen)


def target_groups(run):
    """The default target groups (shared by every municipality), created where missing."""
    existing = {group.name: group for group in TargetGroup.objects.all()}
    missing = [TargetGroup(name=name) for name in TARGET_GROUPS if name not in existing]
    if missing:
        run.bulk(TargetGroup, missing)
    return list(TargetGroup.objects.filter(name__in=TARGET_GROUPS).order_by("name"))


def areas(run, place):
    names = [*DEFAULT_AREAS, *PLACES[5:9]]
    return run.bulk(Area, [Area(municipality=place, name=name) for name in names])


def org_number(group, serial):
    """A valid organisationsnummer: the group's digits, a serial and the check digit."""
    base = f"{group}{serial % 1_000_000:06d}"
    return orgnr.normalise(base + luhn.calc_check_digit(base))


def organisations(run, city, groups, count):
    rng, staff = run.rng, city.bodies.staff
    names = set()
    rows = []
    offset = city.index * 100_000
    for number in range(count):
        prefix, form, group = rng.choice(ORG_KINDS)
        name = f"{prefix} {rng.choice(ORG_WORDS)} {rng.choice(PLACES)}"
        while name in names:
            name = f"{prefix} {rng.choice(ORG_WORDS)} {rng.choice(PLACES)} {rng.randint(2, 999)}"
        names.add(name)
        number_in_register = ""
        if group and rng.random() < 0.92:
            number_in_register = org_number(group, offset + number)
        postal = f"4{rng.randint(10, 29)}{rng.randint(10, 99)}"
        rows.append(
            Organisation(
                municipality=city.place,
                name=name,
                org_number=number_in_register,
                legal_form=form,
                street_address=f"{rng.choice(ORG_WORDS)}gatan {rng.randint(1, 120)}",
                postal_code=f"{postal[:3]} {postal[3:]}",
                city=city.place.name.removesuffix(" stad"),
                email=f"info{number}@forening.example.se",
                phone=f"031-{rng.randint(100000, 999999)}",
                website=f"https://forening{number}.example.se" if rng.random() < 0.4 else "",
                is_active=rng.random() < 0.95,
                notes="Kontakt via kansliet." if rng.random() < 0.1 else "",
                archived_at=run.moment(run.today - datetime.timedelta(days=rng.randint(30, 900)))
                if rng.random() < 0.02
                else None,
            )
        )
    orgs = run.bulk(Organisation, rows)
    # Weights: a few organisations are in everything, most in little.
    weights = [min(rng.paretovariate(1.2), 40.0) for _ in orgs]
    built = Organisations(orgs, list(itertools.accumulate(weights)))
    group_links, area_links = Organisation.target_groups.through, Organisation.areas.through
    group_rows, area_rows = [], []
    for org in orgs:
        chosen_groups = sorted({g.pk for g in rng.sample(groups, rng.randint(1, 3))})
        chosen_areas = sorted({a.pk for a in rng.sample(city.areas, rng.randint(1, 2))})
        group_rows += [
            group_links(organisation_id=org.pk, targetgroup_id=pk) for pk in chosen_groups
        ]
        area_rows += [area_links(organisation_id=org.pk, area_id=pk) for pk in chosen_areas]
    run.links(group_links, group_rows)
    run.links(area_links, area_rows)
    joined = {
        org.pk: run.moment(run.day_between(run.first_day, run.today - datetime.timedelta(days=400)))
        for org in orgs
    }
    records = run.history(Organisation, orgs, lambda o: joined[o.pk], lambda o: staff)
    run.history_sets(Organisation, records)
    # A fifth have since moved: one change each, later.
    moved = rng.sample(orgs, len(orgs) // 5)
    for org in moved:
        org.street_address = f"{rng.choice(ORG_WORDS)}vägen {rng.randint(1, 80)}"
    Organisation.objects.bulk_update(moved, ["street_address"], batch_size=BATCH)
    changed = {
        org.pk: joined[org.pk] + datetime.timedelta(days=rng.randint(30, 365)) for org in moved
    }
    records = run.history(
        Organisation, moved, lambda o: changed[o.pk], lambda o: staff, update=True
    )
    run.history_sets(Organisation, records)

    contacts = []
    for org in orgs:
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            name = run.person()
            contacts.append(
                ContactPerson(
                    organisation=org,
                    name=name,
                    role=rng.choice(CONTACT_ROLES),
                    email=f"{name.lower().replace(' ', '.')}.{org.pk}@example.se",
                    phone=f"07{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}",
                    is_protected=rng.random() < 0.005,
                )
            )
    contacts = run.bulk(ContactPerson, contacts)
    run.history(ContactPerson, contacts, lambda c: joined[c.organisation_id], lambda c: staff)
    run.bulk(
        Representative,
        [
            Representative(
                user=city.bodies.representative,
                organisation=org,
                authorisation=Representative.Authorisation.SIGNATORY,
                since=run.first_day,
            )
            for org in orgs[:2]
        ],
    )
    run.say(f"{len(orgs)} organisations, {len(contacts)} contact persons")
    return built


def partnerships(run, city, count):
    """Agreements between a committee and the förvaltning serving it; about a third renew
    the one before (the next day on, with the same parties), and a free steering group
    steers some of them."""
    rng, bodies, orgs = run.rng, city.bodies, city.orgs
    steering = [f for f in city.forums.rows if f.kind == Forum.Kind.STEERING_GROUP]
    rows, parties, previous, wants_steering = [], [], None, []
    for number in range(count):
        pair = rng.randrange(len(bodies.committees))
        committee, administration = bodies.committees[pair], bodies.administrations[pair]
        renews = previous if previous is not None and rng.random() < 0.3 else None
        if renews is not None:
            start = renews.end_date + datetime.timedelta(days=1)
            committee_id, administration_id = renews.decided_by_id, renews.run_by_id
            chosen = parties[-1]
        else:
            start = run.day_between(
                run.first_day, run.today + datetime.timedelta(days=180)
            ).replace(day=1)
            committee_id, administration_id = committee.pk, administration.pk
            chosen = orgs.some(rng, rng.choice((1, 1, 2, 3)))
        end = start + relativedelta(years=rng.randint(1, 4)) - datetime.timedelta(days=1)
        notice = rng.choice((3, 6, 12))
        activity = rng.choice(THEMES)
        if steering and rng.random() < 0.3:
            wants_steering.append(number)
        partnership = Partnership(
            title=f"IOP {activity} {rng.choice(PLACES)} {number + 1}",
            case_number=f"{committee.short_name}-{start.year}-{rng.randint(100, 19999)}",
            decided_by_id=committee_id,
            run_by_id=administration_id,
            purpose=f"Partnerskap om {activity} för invånare i behov av stöd.",
            activities=f"{activity}, samordning, uppsökande arbete",
            start_date=start,
            end_date=end,
            yearly_compensation=rng.randint(2, 400) * 10_000,
            notice_period_months=notice,
            # What Partnership.save() derives, which a bulk write skips.
            last_notice_date=end - relativedelta(months=notice),
            extension_option=rng.random() < 0.5,
            state_aid=rng.choice(list(Partnership.StateAid.values)),
            renews=renews,
            archived_at=run.moment(end + datetime.timedelta(days=400))
            if end + datetime.timedelta(days=400) < run.today and rng.random() < 0.1
            else None,
        )
        if renews is not None and renews.pk is None:
            # Renewals refer to a saved agreement: save the one before first.
            run.bulk(Partnership, rows)
            rows = []
        rows.append(partnership)
        parties.append(chosen)
        previous = partnership
        if len(rows) >= BATCH:
            run.bulk(Partnership, rows)
            rows = []
    if rows:
        run.bulk(Partnership, rows)
    created = list(Partnership.objects.filter(run_by__municipality=city.place).order_by("pk"))
    through = Partnership.parties.through
    run.links(
        through,
        [
            through(partnership_id=p.pk, organisation_id=orgs.rows[i].pk)
            for p, chosen in zip(created, parties, strict=True)
            for i in chosen
        ],
    )
    # A steering group steers one agreement: as many as there are free forums.
    free = rng.sample(steering, len(steering))
    for forum, index in zip(free, wants_steering, strict=False):
        forum.steers_id = created[index].pk
    Forum.objects.bulk_update(free, ["steers"], batch_size=BATCH)
    records = run.history(
        Partnership,
        created,
        lambda p: run.moment(p.start_date - datetime.timedelta(days=40)),
        lambda p: bodies.keeper[p.run_by_id],
    )
    run.history_sets(Partnership, records)
    follow_ups = []
    for partnership in created:
        last_year = min(partnership.end_date.year, run.today.year - 1)
        for year in range(partnership.start_date.year, last_year + 1):
            date = datetime.date(year + 1, 2, rng.randint(1, 28))
            if date > run.today:
                continue
            follow_ups.append(
                FollowUp(
                    partnership=partnership,
                    date=date,
                    year=year,
                    assessment=rng.choices(list(FollowUp.Assessment), (80, 15, 5))[0],
                    summary="Verksamheten har genomförts enligt överenskommelsen.",
                    next_steps="Fortsatt dialog i styrgruppen." if rng.random() < 0.5 else "",
                )
            )
    follow_ups = run.bulk(FollowUp, follow_ups)
    runner = {p.pk: p.run_by_id for p in created}
    run.history(
        FollowUp,
        follow_ups,
        lambda f: run.moment(f.date, 14),
        lambda f: bodies.keeper[runner[f.partnership_id]],
    )
    run.say(f"{len(created)} agreements, {len(follow_ups)} follow-ups")
