"""Demo forums, meetings from 2025 to four months ahead, attendance and raised issues, from
the seed papers.

Malmö (seeds 000–002): the förvaltning's yearly föreningsträffar and ongoing dialogue on
homelessness, the nämnd's temadagar, the IOP steering groups, SSPF, Örat mot marken, CTC,
SBUM and Lokal beredskap. Kalmar (seed 004): the IOP steering group and the Bostad
först-grupp. Meetings are generated with a fixed seed, so every run on a day builds the
same data; those before the day are held, and whatever the day, meetings lie ahead.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from dialogues import feed_revisions
from dialogues.models import Forum, Invitation, Meeting, Observation, default_feedback_due
from municipality.models import Body, Municipality, User
from partners.models import Organisation, Partnership

K = Forum.Kind
C = Forum.Cadence
HOMELESSNESS_ORGS = [
    "Stiftelsen Stadsmissionen i Malmö",
    "Röda Korset Malmö krets",
    "Svenska kyrkan i Malmö",
    "Brukarföreningen Malmö",
    "Föreningen Gatans röst",
    "Nätverket Varma händer",
]

# (municipality, owner, name, kind, cadence, members, description)
FORUMS = [
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Föreningsträff hemlöshet och utsatthet",
        K.ASSOCIATION_MEETING,
        C.YEARLY,
        HOMELESSNESS_ORGS,
        "Förvaltningens årliga föreningsträff med brukarföreningar och andra "
        "civilsamhällesaktörer som möter personer i hemlöshet.",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Löpande dialog hemlöshet",
        K.ONGOING_DIALOGUE,
        C.AS_NEEDED,
        HOMELESSNESS_ORGS[:4],
        "Löpande kontakt där organisationerna för fram behov, svårigheter och iakttagelser.",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialnämnden",
        "ASN:s temadagar",
        K.THEME_DAY,
        C.QUARTERLY,
        [],
        "Nämndens temadagar för kunskapsdelning och fördjupad dialog med berörda organisationer.",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Styrgrupp IOP Värmestugor",
        K.STEERING_GROUP,
        C.QUARTERLY,
        HOMELESSNESS_ORGS[:3],
        "",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Styrgrupp IOP Crossroads",
        K.STEERING_GROUP,
        C.QUARTERLY,
        HOMELESSNESS_ORGS[:1],
        "",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Styrgrupp IOP Vinternatt",
        K.STEERING_GROUP,
        C.QUARTERLY,
        [HOMELESSNESS_ORGS[2], HOMELESSNESS_ORGS[0]],
        "",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "SSPF (skola, socialtjänst, polis, fritid)",
        K.COOPERATION_FORUM,
        C.MONTHLY,
        [],
        "Snabbare insatser för unga där det finns oro.",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Örat mot marken",
        K.COOPERATION_FORUM,
        C.WEEKLY,
        [],
        "Avstämningar per geografiskt område med polis, räddningstjänst och fastighetsägare.",
    ),
    (
        "Malmö stad",
        "Stadskontoret",
        "Communities That Care (CTC)",
        K.COOPERATION_FORUM,
        C.QUARTERLY,
        HOMELESSNESS_ORGS[1:3],
        "System för lokalt preventionsarbete med civilsamhälle, boende och näringsliv.",
    ),
    (
        "Malmö stad",
        "Kommunstyrelsen",
        "Samverkan barn och unga i Malmö (SBUM)",
        K.COOPERATION_FORUM,
        C.QUARTERLY,
        [],
        "Forum för berörda nämnder, polisen och Region Skåne.",
    ),
    (
        "Malmö stad",
        "Arbetsmarknads- och socialförvaltningen",
        "Lokal beredskap NHL och Rosengård",
        K.COOPERATION_FORUM,
        C.AS_NEEDED,
        [HOMELESSNESS_ORGS[2]],
        "Social respons i lokalområdet efter allvarliga händelser.",
    ),
    (
        "Kalmar kommun",
        "Socialförvaltningen",
        "Styrgrupp IOP Sysselsättning",
        K.STEERING_GROUP,
        C.QUARTERLY,
        ["Kalmar Stadsmission"],
        "",
    ),
    (
        "Kalmar kommun",
        "Socialförvaltningen",
        "Bostad först-gruppen",
        K.COOPERATION_FORUM,
        C.MONTHLY,
        ["Kalmar Stadsmission"],
        "Arbetar vidare med bostadsfrågor efter workshopen i december 2023.",
    ),
]

STEERING = {
    "IOP Värmestugor": "Styrgrupp IOP Värmestugor",
    "IOP Crossroads": "Styrgrupp IOP Crossroads",
    "IOP Vinternatt": "Styrgrupp IOP Vinternatt",
    "IOP Sysselsättning 2023–2026": "Styrgrupp IOP Sysselsättning",
}

MONTHS = {
    C.YEARLY: [10],
    C.QUARTERLY: [2, 5, 9, 11],
    C.MONTHLY: [1, 3, 5, 9, 10, 11, 12],
    C.WEEKLY: [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12],
    C.AS_NEEDED: [3, 11],
}

AHEAD = datetime.timedelta(days=120)  # how far past today meetings are planned

AGENDA = "1. Läget just nu\n2. Organisationernas iakttagelser\n3. Vad tar vi vidare?"

RAISED = [
    ("hemlöshet", "Det saknas akuta sovplatser för kvinnor vintertid."),
    ("hemlöshet", "Fler personer sover ute i Innerstaden än förra vintern."),
    ("ekonomisk utsatthet", "Kön till matutdelningen växer; fler barnfamiljer söker stöd."),
    ("missbruk och beroende", "Brukare upplever långa väntetider till öppenvården."),
    ("EU-migranter", "EU-medborgare utan uppehållsrätt nekas tillfälliga boenden."),
    ("barn och unga", "Unga söker sig till föreningslokalerna sent på kvällen."),
    ("hemlöshet", "Önskemål om gemensam utbildning om Bostad först."),
    ("sysselsättning", "Deltagarna efterfrågar fler praktikplatser hos kommunen."),
]


@transaction.atomic
def build(today=None):
    if Forum.objects.exists():
        return  # the demo's forums and meetings are built once, as one whole
    rng = random.Random(2026)
    municipalities = {m.name: m for m in Municipality.objects.all()}
    forums = {}
    for m_name, owner_name, name, kind, cadence, members, description in FORUMS:
        municipality = municipalities[m_name]
        forum = Forum(name=name, kind=kind, cadence=cadence, description=description)
        forum.owner = Body.objects.get(municipality=municipality, name=owner_name)
        forum.full_clean()
        forum.save()
        forum.members.set(Organisation.objects.filter(municipality=municipality, name__in=members))
        forums[name] = forum
    for title, forum_name in STEERING.items():
        forum = forums[forum_name]
        forum.steers = Partnership.objects.filter(title=title).first()
        forum.save(update_fields=["steers"])

    today = today or timezone.localdate()
    staff = User.objects.filter(username="tjansteperson").first()
    for forum in forums.values():
        invited = list(forum.members.all()) or list(
            Organisation.objects.filter(municipality_id=forum.municipality_id)[:3]
        )
        bodies = list(Body.objects.filter(municipality_id=forum.municipality_id))
        for year in range(2025, today.year + 2):
            for month in MONTHS[forum.cadence]:
                day = datetime.date(year, month, rng.randint(3, 26))
                while day.weekday() >= 5:
                    day += datetime.timedelta(days=1)
                if day > today + AHEAD:
                    continue
                hour = datetime.time(rng.choice([9, 10, 13]))
                start = timezone.make_aware(datetime.datetime.combine(day, hour))
                held = day < today
                meeting = Meeting.objects.create(
                    forum=forum,
                    title=forum.name
                    if forum.kind != K.THEME_DAY
                    else f"Temadag om {RAISED[rng.randrange(len(RAISED))][0]}",
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    place=rng.choice(
                        ["Stadshuset, sal 3", "Förvaltningens lokaler", "Digitalt (Teams)"]
                    ),
                    agenda=AGENDA,
                    status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                    created_by=staff,
                )
                Invitation.objects.bulk_create(
                    Invitation(meeting=meeting, organisation=organisation)
                    for organisation in invited
                )
                if not held:
                    continue
                attending = [o for o in invited if rng.random() < 0.8]
                people = 0
                for invitation in meeting.invitations.filter(organisation__in=attending):
                    invitation.attended = True
                    invitation.people = rng.randint(1, 3)
                    people += invitation.people
                    invitation.save()
                meeting.participants_count = people
                meeting.minutes = (
                    "Organisationerna beskrev läget. Förvaltningen tar med sig frågorna."
                )
                meeting.save()
                for organisation in attending:
                    if rng.random() < 0.35:
                        theme, text = RAISED[rng.randrange(len(RAISED))]
                        due = default_feedback_due(meeting.start)
                        handled = due < today - datetime.timedelta(days=30) and rng.random() < 0.7
                        forwarded = rng.choice(bodies)
                        Observation.objects.create(
                            meeting=meeting,
                            organisation=organisation,
                            theme=theme,
                            text=text,
                            forwarded_to=forwarded,
                            feedback_due=due,
                            status=Observation.Status.HANDLED
                            if handled
                            else (Observation.Status.FORWARDED),
                            response="Frågan är omhändertagen; se nämndens beslut."
                            if handled
                            else "",
                            handled_on=due if handled else None,
                        )
    # The invitations went in bulk, past the signals that raise a feed's revision.
    feed_revisions.everything_changed()
