"""The meeting list, its attendance and the issue list as .xlsx
(municipality.list_exports): the rows of the list's filter, with Swedish headers and
dates and times as such. Counts are read with the meetings and the rows of each sheet in
one query (chunked), so the queries are a fixed few however many rows.

What a representative may not read on a meeting's page (the attendance of other
organisations, the total from organisations) is not in their file either."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.filters import MeetingFilter, ObservationFilter
from dialogues.models import Invitation, Meeting, Observation
from municipality import access, list_exports
from municipality.spreadsheet import Column

YES, NO = "Ja", "Nej"
NEWEST_FIRST = ("-meeting__start", "-pk")


def meeting_filter(user, data):
    """The meeting list's filter over what the user may see: upcoming, or past with
    `when=past` (the page's own)."""
    now = timezone.now()
    meetings = Meeting.objects.visible_to(user).for_list()
    past = data.get("when") == "past"
    meetings = meetings.filter(start__lt=now) if past else meetings.filter(start__gte=now)
    return MeetingFilter(
        data,
        queryset=meetings,
        user=user,
        municipality_id=access.scope_for(user).municipality_id,
    )


def observation_filter(user, data):
    """The issue list's filter over what the user may see, newest first: the latest
    meeting's, and of one meeting the last recorded (the page's own). Those who follow
    issues to their handling start on those not yet handled."""
    observations = (
        Observation.objects.visible_to(user)
        .select_related("organisation", "forwarded_to", "meeting", "meeting__forum")
        .order_by(*NEWEST_FIRST)
    )
    if "status" not in data and access.allows(user, "follow_forwarded_issues"):
        data = data.copy()
        data["status"] = ObservationFilter.NOT_HANDLED
    return ObservationFilter(
        data,
        queryset=observations,
        user=user,
        municipality_id=access.scope_for(user).municipality_id,
    )


def reads_records(user):
    """Whether the user's file holds every organisation's attendance."""
    return user is not None and access.allows(user, "export_every_attendance")


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def archived_on(record):
    return timezone.localtime(record.archived_at).date() if record.archived_at else None


MEETING_COLUMNS = [
    Column("Start", "datetime"),
    Column("Slut", "datetime"),
    Column("Vecka"),
    Column("Möte"),
    Column("Forum"),
    Column("Ägare"),
    Column("Plats"),
    Column("Status"),
    Column("Inbjudna organisationer"),
]
RECORD_COLUMNS = [
    Column("Närvarande organisationer"),
    Column("Deltagare från organisationer"),
]


def meetings(queryset, user=None, filters=(), progress=None):
    """The meetings of `queryset` as .xlsx bytes, each with its invited and attending
    organisations counted (by subqueries: a count over the filter's own join to the
    invitations would count only the invitations the filter matched)."""
    records = reads_records(user)
    invitations = Invitation.objects.filter(meeting=OuterRef("pk")).order_by()
    invited = invitations.values("meeting").annotate(n=Count("pk")).values("n")
    attending = (
        invitations.filter(attended=True).values("meeting").annotate(n=Count("pk")).values("n")
    )
    rows_of = (
        Meeting.objects.filter(pk__in=queryset.values("pk"))
        .for_list()
        .annotate(
            invited_count=Coalesce(Subquery(invited), 0),
            attending_count=Coalesce(Subquery(attending), 0),
        )
        .order_by("start", "pk")
    )
    columns = MEETING_COLUMNS + (RECORD_COLUMNS if records else [])
    rows = (
        [
            local(meeting.start),
            local(meeting.end),
            meeting.iso_week,
            meeting.title,
            meeting.forum.name,
            str(meeting.forum.owner),
            meeting.place,
            str(meeting.get_status_display()) + (" (arkiverat)" if meeting.is_archived else ""),
            meeting.invited_count,
            *([meeting.attending_count, meeting.participants_count] if records else []),
        ]
        for meeting in rows_of.iterator(chunk_size=2000)
    )
    return list_exports.single_table("Möten", columns, rows, progress, queryset.count, filters)


ATTENDANCE_COLUMNS = [
    Column("Start", "datetime"),
    Column("Vecka"),
    Column("Möte"),
    Column("Forum"),
    Column("Ägare"),
    Column("Organisation"),
    Column("Organisationsnummer"),
    Column("Antal deltagare"),
]


def attendances(queryset, user=None):
    """The attendance rows the export of `queryset` holds: each organisation that came
    to each meeting, only the user's own organisations' for a representative."""
    attended = Invitation.objects.filter(meeting__in=queryset.values("pk"), attended=True)
    if not reads_records(user):
        attended = attended.filter(
            organisation_id__in=access.scope_for(user).organisation_ids if user else []
        )
    return attended


def attendance(queryset, user=None, filters=(), progress=None):
    """One row per meeting of `queryset` and organisation that attended, with how many
    people it sent, as .xlsx bytes."""
    attended = (
        attendances(queryset, user)
        .select_related("meeting", "meeting__forum", "meeting__forum__owner", "organisation")
        .order_by("meeting__start", "meeting_id", "organisation__name", "pk")
    )
    rows = (
        [
            local(invitation.meeting.start),
            invitation.meeting.iso_week,
            invitation.meeting.title,
            invitation.meeting.forum.name,
            str(invitation.meeting.forum.owner),
            invitation.organisation.name,
            invitation.organisation.org_number,
            invitation.people,
        ]
        for invitation in attended.iterator(chunk_size=2000)
    )
    return list_exports.single_table(
        "Närvaro", ATTENDANCE_COLUMNS, rows, progress, attended.count, filters
    )


OBSERVATION_COLUMNS = [
    Column("Id"),
    Column("Tema"),
    Column("Vad som togs upp"),
    Column("Organisation"),
    Column("Möte"),
    Column("Mötesdatum", "date"),
    Column("Forum"),
    Column("Vidarebefordrad till"),
    Column("Status"),
    Column("Återkoppling senast", "date"),
    Column("Försenad"),
    Column("Svar"),
    Column("Hanterad den", "date"),
    Column("Återkoppling skickad", "datetime"),
]


def observations(queryset, user=None, filters=(), progress=None):
    """The issues of `queryset` as .xlsx bytes, newest first as the list shows them."""
    today = timezone.localdate()
    queryset = queryset.select_related(
        "organisation", "forwarded_to", "meeting", "meeting__forum"
    ).order_by(*NEWEST_FIRST)
    rows = (
        [
            observation.pk,
            observation.theme,
            observation.text,
            observation.organisation.name,
            observation.meeting.title,
            timezone.localtime(observation.meeting.start).date(),
            observation.meeting.forum.name,
            str(observation.forwarded_to or ""),
            str(observation.get_status_display()),
            observation.feedback_due,
            YES if observation.is_overdue_on(today) else NO,
            observation.response,
            observation.handled_on,
            local(observation.feedback_sent_at),
        ]
        for observation in queryset.iterator(chunk_size=2000)
    )
    return list_exports.single_table(
        "Frågor", OBSERVATION_COLUMNS, rows, progress, queryset.count, filters
    )


MEETINGS = list_exports.register(
    list_exports.ListExport(
        kind="meeting_list",
        title=_("Meetings (.xlsx)"),
        stem="moten",
        list_url="meeting_list",
        filtered=meeting_filter,
        write=meetings,
    )
)
ATTENDANCE = list_exports.register(
    list_exports.ListExport(
        kind="attendance_list",
        title=_("Attendance at meetings (.xlsx)"),
        stem="narvaro",
        list_url="meeting_list",
        filtered=meeting_filter,
        write=attendance,
        rows=lambda queryset: Invitation.objects.filter(
            meeting__in=queryset.values("pk"), attended=True
        ).count(),
    )
)
OBSERVATIONS = list_exports.register(
    list_exports.ListExport(
        kind="observation_list",
        title=_("Raised issues (.xlsx)"),
        stem="fragor",
        list_url="observation_list",
        filtered=observation_filter,
        write=observations,
    )
)
