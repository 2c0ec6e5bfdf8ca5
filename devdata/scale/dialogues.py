"""Scale data for dialogues: forums owned mostly by förvaltningar (the measured one keeps
many), meetings weighted by each forum's cadence with invitations and attendance, and the
issues raised at meetings that were held, handled, forwarded or still open."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from devdata.scale.municipality import MAIN
from devdata.scale.words import PLACES, THEMES
from dialogues.models import Forum, Invitation, Meeting, Observation, default_feedback_due

FORUM_NAMES = {
    Forum.Kind.ASSOCIATION_MEETING: "Föreningsträff",
    Forum.Kind.THEME_DAY: "Temadag",
    Forum.Kind.STEERING_GROUP: "Styrgrupp",
    Forum.Kind.COOPERATION_FORUM: "Samverkansforum",
    Forum.Kind.ONGOING_DIALOGUE: "Löpande dialog",
    Forum.Kind.ROUND_TABLE: "Rundabordssamtal",
    Forum.Kind.OTHER: "Dialogmöte",
}
FORUM_KIND_WEIGHTS = [4, 2, 2, 3, 2, 1, 1]  # in the order of FORUM_NAMES
CONCERNS = [
    "behovet av lokaler",
    "långa väntetider",
    "brist på information",
    "svårt att nå rätt handläggare",
]
# How many meetings a forum of each cadence holds, relative to the others.
CADENCE_MEETINGS = {
    Forum.Cadence.WEEKLY: 8,
    Forum.Cadence.MONTHLY: 4,
    Forum.Cadence.QUARTERLY: 2,
    Forum.Cadence.YEARLY: 1,
    Forum.Cadence.AS_NEEDED: 2,
}


@dataclass
class Forums:
    rows: list
    members: list  # per forum, the indices of its member organisations


@dataclass
class MeetingRow:
    """What observations need of a meeting, without reading it back."""

    pk: int
    forum: int  # index into Forums.rows
    start: datetime.datetime
    held: bool
    attended: list = field(default_factory=list)  # indices into the organisations


def forums(run, city, count):
    rng, bodies = run.rng, city.bodies
    kinds = list(FORUM_NAMES)
    owners = bodies.administrations * 3 + bodies.committees  # förvaltningar own most
    # The measured förvaltning keeps a large share, as a large social förvaltning does.
    owners += [bodies.administrations[MAIN], bodies.committees[MAIN]] * 3
    rows, forum_members = [], []
    for number in range(count):
        kind = rng.choices(kinds, weights=FORUM_KIND_WEIGHTS)[0]
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
    forum_list = run.bulk(Forum, rows)
    members = Forum.members.through
    member_rows = []
    for forum in forum_list:
        chosen = city.orgs.some(rng, rng.randint(3, 40))
        forum_members.append(chosen)
        member_rows += [
            members(forum_id=forum.pk, organisation_id=city.orgs.rows[i].pk) for i in chosen
        ]
    run.links(members, member_rows)
    founded = {
        f.pk: run.moment(run.first_day + datetime.timedelta(days=rng.randint(0, 200)))
        for f in forum_list
    }
    records = run.history(
        Forum, forum_list, lambda f: founded[f.pk], lambda f: bodies.keeper[f.owner_id]
    )
    run.history_sets(Forum, records)
    run.say(f"{len(forum_list)} forums")
    return Forums(forum_list, forum_members)


def meetings(run, city, count):
    """Meetings from the first day to a year ahead; those past were mostly held. Returns
    a MeetingRow per meeting."""
    rng, orgs, forum_list = run.rng, city.orgs, city.forums.rows
    forum_indices = range(len(forum_list))
    cumulative = list(itertools.accumulate(CADENCE_MEETINGS[forum.cadence] for forum in forum_list))
    last_day = run.today + datetime.timedelta(days=365)
    rows, plans = [], []
    for _ in range(count):
        index = rng.choices(forum_indices, cum_weights=cumulative)[0]
        forum = forum_list[index]
        day = run.weekday_between(run.first_day, last_day)
        start = run.moment(day, rng.choice((9, 10, 13, 14, 15, 17)), rng.choice((0, 30)))
        past = day < run.today
        status = Meeting.Status.PLANNED
        if past:
            status = rng.choices(
                (Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.PLANNED),
                (88, 6, 6),
            )[0]
        held = status == Meeting.Status.HELD
        # Who was invited, and who came (only to a meeting that was held).
        members = city.forums.members[index]
        k = max(1, round(rng.gauss(run.options["invited"], 2)))
        chosen = set(rng.sample(members, min(k, len(members))))
        if len(chosen) < k:
            chosen.update(orgs.some(rng, k - len(chosen)))
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
                internal_participants=f"{run.person()}, {run.person()}" if held else "",
                minutes=(
                    f"Samtal om {theme}. Föreningarna lyfte behov av lokaler och samordning."
                    if held
                    else ""
                ),
                created_by=city.bodies.keeper[forum.owner_id],
                archived_at=run.moment(day) if past and rng.random() < 0.01 else None,
            )
        )
    created = run.bulk(Meeting, rows)
    meeting_rows, invitations = [], []
    for meeting, (index, held, invited) in zip(created, plans, strict=True):
        row = MeetingRow(pk=meeting.pk, forum=index, start=meeting.start, held=held)
        for org_index, attended, people in invited:
            if attended:
                row.attended.append(org_index)
            invitations.append(
                Invitation(
                    meeting_id=meeting.pk,
                    organisation_id=orgs.rows[org_index].pk,
                    attended=attended,
                    people=people,
                )
            )
        meeting_rows.append(row)
    run.bulk(Invitation, invitations)
    scheduled = {m.pk: m.start - datetime.timedelta(days=rng.randint(14, 60)) for m in created}
    run.history(Meeting, created, lambda m: scheduled[m.pk], lambda m: m.created_by)
    run.say(f"{len(created)} meetings, {len(invitations)} invitations")
    return meeting_rows


# How the issues raised before and within the last half year stand (in STATUSES' order).
STATUSES = (Observation.Status.HANDLED, Observation.Status.FORWARDED, Observation.Status.OPEN)
OLDER_WEIGHTS, RECENT_WEIGHTS = (85, 10, 5), (15, 35, 50)


def observations(run, city, count):
    """Issues raised by organisations that came to a held meeting."""
    rng, bodies = run.rng, city.bodies
    candidates = [row for row in city.meetings if row.attended]
    if not candidates:
        return
    rows = []
    recent = run.today - datetime.timedelta(days=180)
    for _ in range(count):
        meeting = rng.choice(candidates)
        org_index = rng.choice(meeting.attended)
        day = timezone.localtime(meeting.start).date()
        theme = rng.choice(THEMES)
        weights = OLDER_WEIGHTS if day < recent else RECENT_WEIGHTS
        status = rng.choices(STATUSES, weights)[0]
        forwarded_to = None
        if status != Observation.Status.OPEN:
            forwarded_to = rng.choice(bodies.all)
        handled_on = None
        if status == Observation.Status.HANDLED:
            handled_on = min(day + datetime.timedelta(days=rng.randint(7, 120)), run.today)
        rows.append(
            Observation(
                meeting_id=meeting.pk,
                organisation_id=city.orgs.rows[org_index].pk,
                theme=theme,
                text=f"Föreningen lyfte {theme}: {rng.choice(CONCERNS)}.",
                forwarded_to=forwarded_to,
                status=status,
                feedback_due=default_feedback_due(meeting.start),
                response="Förvaltningen har sett över frågan och återkommer i samrådet."
                if handled_on
                else "",
                handled_on=handled_on,
                feedback_sent_at=run.moment(handled_on, 15)
                if handled_on and rng.random() < 0.5
                else None,
            )
        )
    created = run.bulk(Observation, rows)
    owner = {row.pk: city.forums.rows[row.forum].owner_id for row in city.meetings}
    raised_on = {row.pk: timezone.localtime(row.start).date() for row in candidates}
    run.history(
        Observation,
        created,
        lambda o: run.moment(raised_on[o.meeting_id], 16),
        lambda o: bodies.keeper[owner[o.meeting_id]],
    )
    handled = [o for o in created if o.handled_on]
    run.history(
        Observation,
        handled,
        lambda o: run.moment(o.handled_on, 11),
        lambda o: bodies.keeper[owner[o.meeting_id]],
        update=True,
    )
    run.say(f"{len(created)} observations")
