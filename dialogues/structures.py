"""The dialogue structures report ("Dialogstrukturer"): per owning body, its forums, the
meetings held in the last twelve months, the organisations reached and what was raised,
and the issues still open from any of the forum's meetings, however old.

This is the overview a förvaltning otherwise writes by hand when a nämnd asks which
forums for dialogue with civil society already exist (seed 000).
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Forum, Invitation, Meeting, Observation, local_midnight
from municipality.spreadsheet import Book, Column


@dataclass
class ForumRow:
    forum: Forum
    members: int
    meetings_held: int
    organisations_reached: int
    observations: int
    observations_open: int


@dataclass
class BodyRow:
    body: object
    forums: list = field(default_factory=list)

    @property
    def meetings_held(self):
        return sum(row.meetings_held for row in self.forums)

    @property
    def observations(self):
        return sum(row.observations for row in self.forums)

    @property
    def observations_open(self):
        return sum(row.observations_open for row in self.forums)

    organisations_reached: int = 0


def grouped(queryset, key, count):
    """{key value: count} from one grouped query (default orderings would split groups)."""
    return dict(queryset.order_by().values(key).annotate(n=count).values_list(key, "n"))


def build(forums, today=None):
    """Rows per owning body from a queryset of forums the user may see: a handful of
    grouped queries, however many forums, meetings and issues there are."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    forums = list(
        forums.select_related("owner")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
    forum_ids = [forum.pk for forum in forums]
    first, last = since + datetime.timedelta(days=1), today
    held = Meeting.objects.filter(forum_id__in=forum_ids, status=Meeting.Status.HELD)
    held = held.starting_on(first, last)
    # Joined, not `meeting__in=<subquery>`: the meetings of the period are found by their
    # start, and what hangs off them by the meeting.
    at_held = {
        "meeting__forum_id__in": forum_ids,
        "meeting__status": Meeting.Status.HELD,
        "meeting__start__gte": local_midnight(first),
        "meeting__start__lt": local_midnight(last + datetime.timedelta(days=1)),
    }
    attended = Invitation.objects.filter(attended=True, **at_held)
    meetings_held = grouped(held, "forum_id", Count("pk"))
    reached = grouped(attended, "meeting__forum_id", Count("organisation_id", distinct=True))
    reached_by_body = grouped(
        attended, "meeting__forum__owner_id", Count("organisation_id", distinct=True)
    )
    raised = grouped(Observation.objects.filter(**at_held), "meeting__forum_id", Count("pk"))
    still_open = grouped(
        Observation.objects.filter(meeting__forum_id__in=forum_ids).not_handled(),
        "meeting__forum_id",
        Count("pk"),
    )
    bodies = {}
    for forum in forums:
        row = ForumRow(
            forum=forum,
            members=forum.member_count,
            meetings_held=meetings_held.get(forum.pk, 0),
            organisations_reached=reached.get(forum.pk, 0),
            observations=raised.get(forum.pk, 0),
            observations_open=still_open.get(forum.pk, 0),
        )
        owner = forum.owner
        bodies.setdefault(owner.pk, BodyRow(body=owner)).forums.append(row)
    for pk, body_row in bodies.items():
        body_row.organisations_reached = reached_by_body.get(pk, 0)
    return sorted(bodies.values(), key=lambda row: (row.body.kind, row.body.name))


COLUMNS = [
    Column("Ägare"),
    Column("Typ av ägare"),
    Column("Forum"),
    Column("Typ av forum"),
    Column("Intervall"),
    Column("Medlemmar"),
    Column("Möten senaste 12 mån"),
    Column("Organisationer som deltagit"),
    Column("Frågor som lyfts"),
    Column("Frågor ännu öppna"),
]


def workbook(rows, today=None):
    """The report as .xlsx bytes: one row per forum, by the service's spreadsheet writer."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    book = Book()
    book.table(
        "Dialogstrukturer",
        COLUMNS,
        (
            [
                body_row.body.name,
                body_row.body.get_kind_display(),
                row.forum.name,
                row.forum.get_kind_display(),
                row.forum.get_cadence_display(),
                row.members,
                row.meetings_held,
                row.organisations_reached,
                row.observations,
                row.observations_open,
            ]
            for body_row in rows
            for row in body_row.forums
        ),
    )
    book.facts(
        "Om uttaget",
        [
            ("Uttaget", today.isoformat()),
            ("Period", f"{since.isoformat()} – {today.isoformat()}"),
            (_("Forums"), sum(len(r.forums) for r in rows)),
        ],
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
