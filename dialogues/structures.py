"""The dialogue structures report ("Dialogstrukturer"): per owning body, its forums, the
meetings held in the last twelve months, the organisations reached and what was raised,
and the issues still open from any of the forum's meetings, however old.

This is the overview a förvaltning otherwise writes by hand when a nämnd asks which
forums for dialogue with civil society already exist (seed 000).
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Forum, Invitation, Meeting, Observation
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


def build(forums, today=None):
    """Rows per owning body from a queryset of forums the user may see."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    held = Q(status=Meeting.Status.HELD, start__date__gt=since, start__date__lte=today)
    still_open = (
        Observation.objects.filter(meeting__forum=OuterRef("pk"))
        .exclude(status=Observation.Status.HANDLED)
        .order_by()
        .values("meeting__forum")
        .annotate(count=Count("pk"))
        .values("count")
    )
    forums = (
        forums.select_related("owner")
        .annotate(
            member_count=Count("members", distinct=True),
            open_count=Coalesce(Subquery(still_open), 0),
        )
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(held).prefetch_related(
                    Prefetch(
                        "invitations",
                        queryset=Invitation.objects.filter(attended=True),
                        to_attr="attended",
                    ),
                    "observations",
                ),
                to_attr="held_meetings",
            )
        )
        .order_by("name")
    )
    bodies = {}
    reached_by_body = {}
    for forum in forums:
        reached = {i.organisation_id for m in forum.held_meetings for i in m.attended}
        raised = [o for m in forum.held_meetings for o in m.observations.all()]
        row = ForumRow(
            forum=forum,
            members=forum.member_count,
            meetings_held=len(forum.held_meetings),
            organisations_reached=len(reached),
            observations=len(raised),
            observations_open=forum.open_count,
        )
        owner = forum.owner
        bodies.setdefault(owner.pk, BodyRow(body=owner)).forums.append(row)
        reached_by_body.setdefault(owner.pk, set()).update(reached)
    for pk, body_row in bodies.items():
        body_row.organisations_reached = len(reached_by_body[pk])
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
