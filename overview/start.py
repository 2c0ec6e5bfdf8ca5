"""The start page: for each role, what needs them now and what is coming, at a glance.

Each section is a short list of records (each linking to its record), the number of all of
them and a link to the full list with the matching filter. Every figure comes from the
features' own querysets, scoped to the user, so nothing outside their scope appears; each
section costs the same two queries whatever the size of the register.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues import structures
from dialogues.models import Forum, Meeting, Observation
from grants.models import AccountChange, Grant, GrantReport
from municipality import access, history
from municipality.charts import Chart
from partners.models import Partnership

LIMIT = 5


@dataclass
class Section:
    slug: str
    title: str
    kind: str  # names the partial template that lists the items
    items: list
    total: int
    more_url: str = ""
    empty: str = ""
    extra: dict = field(default_factory=dict)


def section(slug, title, kind, queryset, more_url="", empty="", limit=LIMIT, **extra):
    return Section(
        slug, title, kind, list(queryset[:limit]), queryset.count(), more_url, empty, extra
    )


def url(name, **params):
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return reverse(name) + (f"?{query}" if query else "")


def sections_for(user, today=None):
    """The start page's sections and charts, in the order the user needs them."""
    today = today or timezone.localdate()
    page = {"sections": [], "charts": [], "summary": None, "links": []}
    if access.allows(user, "see_work_queue"):
        page["sections"] += work_queue(user, today)
        page["charts"] += activity_charts(user, today)
    if access.allows(user, "see_committee_overview"):
        page["sections"] += committee_overview(user, today)
        page["summary"] = structures_summary(user, today)
        page["charts"] += activity_charts(user, today)
    if access.allows(user, "see_organisation_overview"):
        page["sections"] += organisation_overview(user, today)
    if access.allows(user, "see_audit_overview"):
        audit = audit_overview(user, today)
        page["sections"] += audit["sections"]
        page["charts"].append(audit["chart"])
        page["links"].append(
            (
                _("Download the grant workbook for %(year)s") % {"year": today.year},
                url("grant_workbook", year=today.year),
            )
        )
    if access.allows(user, "see_setup_gaps"):
        page["sections"] += setup_gaps()
    return page


# Tjänsteperson (and administrators, across their scope) -----------------------------------


def work_queue(user, today):
    now = timezone.now()
    horizon = today + datetime.timedelta(days=30)
    return [
        section(
            "upcoming",
            _("Meetings in the next 30 days"),
            "meetings",
            Meeting.objects.mine(user).upcoming(30, now).for_list(),
            url("meeting_list", mine="on", before=horizon.isoformat()),
            _("No meetings of your bodies in the next 30 days."),
        ),
        section(
            "to-log",
            _("Held meetings not yet logged"),
            "meetings",
            Meeting.objects.kept_by(user).awaiting_log(now).for_list(),
            url("meeting_list", when="past", mine="on", unlogged="on"),
            _("Every meeting that has taken place is logged."),
            log_links=True,
        ),
        section(
            "forwarded",
            _("Issues forwarded to your bodies, not yet handled"),
            "observations",
            Observation.objects.forwarded_to_own_bodies(user)
            .unhandled()
            .select_related("organisation", "forwarded_to", "meeting")
            .order_by("feedback_due", "pk"),
            url("observation_list", mine="on", status="ej_hanterad"),
            _("No issue forwarded to your bodies is waiting."),
        ),
        section(
            "ending",
            _("Agreements ending within 90 days or past their last day for notice"),
            "partnerships",
            Partnership.objects.editable_by(user)
            .current()
            .with_status(Partnership.Status.EXPIRING, today)
            .select_related("run_by")
            .order_by("end_date", "pk"),
            url("partnership_list", mine="on", status=Partnership.Status.EXPIRING),
            _("No agreement you keep is ending soon."),
        ),
        section(
            "follow-ups",
            _("Yearly follow-ups overdue"),
            "partnerships",
            Partnership.objects.editable_by(user)
            .current()
            .follow_up_overdue(today)
            .select_related("run_by")
            .order_by("end_date", "pk"),
            url("partnership_list", mine="on", follow_up_overdue="on"),
            _("Every agreement you keep has its follow-up for last year."),
        ),
        section(
            "reports",
            _("Reports back overdue"),
            "grants",
            Grant.objects.editable_by(user)
            .report_overdue(today)
            .select_related("organisation", "scheme", "report")
            .order_by("report__due_on", "pk"),
            url("grant_list", mine="on", report_overdue="on"),
            _("No report back is overdue."),
        ),
        section(
            "accounts",
            _("Payment-account changes waiting for your confirmation"),
            "account_changes",
            AccountChange.objects.confirmable_by(user)
            .select_related("organisation", "entered_by")
            .order_by("entered_at", "pk"),
            empty=_("No account change is waiting for you."),
            limit=10,
        ),
        latest_changes(user),
    ]


def latest_changes(user, limit=8):
    """The latest changes to the agreements, grants and forums the user keeps, newest
    first: one query per kind of record."""
    entries = []
    kinds = (
        (Partnership, "partnership_detail", (), lambda entry: entry.title),
        (
            Grant,
            "grant_detail",
            ("scheme", "organisation"),
            lambda entry: f"{entry.scheme} {entry.year} – {entry.organisation}",
        ),
        (Forum, "forum_detail", (), lambda entry: entry.name),
    )
    for model, url_name, related, label in kinds:
        kept = model.objects.editable_by(user).values("pk")
        for entry in (
            model.history.filter(id__in=kept)
            .select_related("history_user", *related)
            .order_by("-history_date")[:limit]
        ):
            # The history row itself, not .instance: that reloads excluded fields one by one.
            entry.label, entry.url = label(entry), reverse(url_name, args=[entry.id])
            entry.action = history.ACTIONS[entry.history_type]
            entries.append(entry)
    entries.sort(key=lambda entry: entry.history_date, reverse=True)
    return Section(
        "changes",
        _("Latest changes to your records"),
        "changes",
        entries[:limit],
        len(entries[:limit]),
        empty=_("Nothing you keep has changed yet."),
    )


# Förtroendevald ---------------------------------------------------------------------------


def committee_overview(user, today):
    horizon = today + datetime.timedelta(days=90)
    return [
        section(
            "upcoming",
            _("Your nämnd's coming temadagar and meetings"),
            "meetings",
            Meeting.objects.mine(user).upcoming(90).for_list(),
            url("meeting_list", mine="on", before=horizon.isoformat()),
            _("Your nämnd has no meetings planned in the next three months."),
        ),
        section(
            "forwarded",
            _("Issues forwarded to your nämnd, and what became of them"),
            "observations",
            Observation.objects.forwarded_to_own_bodies(user)
            .select_related("organisation", "forwarded_to", "meeting")
            .order_by("-meeting__start", "-pk"),
            url("observation_list", mine="on", status=""),
            _("No issue has been forwarded to your nämnd."),
            show_response=True,
        ),
    ]


def structures_summary(user, today):
    """One paragraph on the dialogue structures the user's nämnd owns."""
    committees = access.scope_for(user).committee_ids
    rows = structures.build(
        Forum.objects.visible_to(user).filter(owner_id__in=committees).select_related("owner"),
        today,
    )
    return {
        "bodies": [row.body for row in rows],
        "forums": sum(len(row.forums) for row in rows),
        "meetings_held": sum(row.meetings_held for row in rows),
        "organisations_reached": sum(row.organisations_reached for row in rows),
        "observations_open": sum(row.observations_open for row in rows),
        "url": reverse("structures_report"),
    }


# Organisationsföreträdare -----------------------------------------------------------------


def organisation_overview(user, today):
    partnerships = (
        Partnership.objects.visible_to(user)
        .current()
        .filter(end_date__gte=today)
        .annotate(last_follow_up_year=Max("follow_ups__year"))
        .order_by("end_date", "pk")
    )
    return [
        section(
            "upcoming",
            _("Your organisation's next meetings"),
            "meetings",
            Meeting.objects.visible_to(user).upcoming(365).for_list(),
            url("meeting_list"),
            _("Your organisation is not invited to any coming meeting."),
            ics_links=True,
            feed_url=reverse("calendar_subscriptions"),
        ),
        section(
            "raised",
            _("What you have raised"),
            "observations",
            Observation.objects.visible_to(user)
            .select_related("organisation", "forwarded_to", "meeting")
            .order_by("-meeting__start", "-pk"),
            url("observation_list", status=""),
            _("Your organisation has not raised any issue yet."),
            show_response=True,
        ),
        section(
            "agreements",
            _("Your agreements"),
            "partnerships",
            partnerships,
            url("partnership_list"),
            _("Your organisation has no running IOP agreement."),
            next_follow_up=True,
        ),
        section(
            "grants",
            _("Your grants this year"),
            "grants",
            Grant.objects.visible_to(user)
            .filter(year=today.year)
            .select_related("organisation", "scheme", "report")
            .order_by("scheme__name", "pk"),
            url("grant_list", year=today.year),
            _("Your organisation has no grant for this year."),
            report_due=True,
        ),
    ]


# Revisor ----------------------------------------------------------------------------------


def audit_overview(user, today):
    year = today.year
    grants = Grant.objects.visible_to(user)
    years = [year - 2, year - 1, year]
    totals = grants.totals_per_scheme(years)
    schemes = sorted({scheme for scheme, _year in totals})
    comparison = [
        (scheme, totals.get((scheme, year - 1), 0), totals.get((scheme, year), 0))
        for scheme in schemes
    ]
    delegated = (
        grants.filter(decided_by=Grant.DecidedBy.DELEGATE, decision_date__year=year)
        .values("scheme__committee_id", "scheme__committee__name")
        .annotate(count=Count("pk"), total=Sum("granted_amount"))
        .order_by("scheme__committee__name")
    )
    period = {"from": f"{year}-01-01", "to": today.isoformat()}
    delegations = [
        {
            "committee": row["scheme__committee__name"],
            "count": row["count"],
            "total": row["total"] or 0,
            "url": url("delegation_list", committee=row["scheme__committee_id"], **period),
        }
        for row in delegated
    ]
    recoveries = GrantReport.objects.filter(
        grant__in=grants.values("pk"), recovery_amount__gt=0, grant__year__gte=year - 1
    ).aggregate(count=Count("pk"), total=Sum("recovery_amount"))
    chart = Chart(
        _("Granted amounts per scheme and year"),
        schemes,
        [(str(y), [totals.get((scheme, y), 0) for scheme in schemes]) for y in years],
        unit="kr",
        slug="chart-granted",
        table_url=url("grant_list", year=year),
        empty_text=_("No grants granted in these years."),
    )
    sections = [
        Section(
            "totals",
            _("Granted this year per scheme, against last year"),
            "totals",
            comparison,
            len(comparison),
            url("grant_list", year=year),
            _("No grants granted this year or last."),
            {"year": year, "last_year": year - 1},
        ),
        Section(
            "delegated",
            _("Delegated decisions per nämnd this year"),
            "delegations",
            delegations,
            len(delegations),
            empty=_("No delegated decisions this year."),
        ),
        section(
            "accounts",
            _("Payment-account changes this year"),
            "account_changes",
            AccountChange.objects.visible_to(user)
            .filter(entered_at__year=year)
            .select_related("organisation", "entered_by", "decided_by")
            .order_by("-entered_at", "-pk"),
            empty=_("No payment account was changed this year."),
            limit=10,
        ),
        section(
            "reports",
            _("Reports back overdue"),
            "grants",
            grants.report_overdue(today)
            .select_related("organisation", "scheme", "report")
            .order_by("report__due_on", "pk"),
            url("grant_list", report_overdue="on"),
            _("No report back is overdue."),
            report_due=True,
            recoveries={"count": recoveries["count"], "total": recoveries["total"] or 0},
            recoveries_url=url("grant_list", status=Grant.Status.RECOVERY),
        ),
    ]
    return {"sections": sections, "chart": chart}


# Administratör ----------------------------------------------------------------------------


def setup_gaps():
    return [
        section(
            "placeless",
            _("Users without a body or organisation"),
            "users",
            access.users_without_a_place().select_related("municipality").order_by("username"),
            empty=_("Every user belongs somewhere."),
            limit=10,
        ),
        section(
            "unstaffed",
            _("Förvaltningar without staff"),
            "bodies",
            access.administrations_without_staff().select_related("municipality"),
            empty=_("Every förvaltning has staff."),
            limit=10,
        ),
    ]


# Charts -----------------------------------------------------------------------------------


def activity_charts(user, today):
    return [meetings_per_month(user, today), issues_per_quarter(user, today)]


def months_back(today, count):
    first = today.replace(day=1)
    months = []
    for _step in range(count):
        months.insert(0, first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


def meetings_per_month(user, today, bodies=4):
    """Meetings held or planned per month, for the last twelve months, per owning body."""
    months = months_back(today, 12)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    rows = (
        Meeting.objects.mine(user)
        .current()
        .filter(start__gte=since)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(month=TruncMonth("start"))
        .values("month", "forum__owner__name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        counts[(row["forum__owner__name"], month)] = row["count"]
    totals = {}
    for (owner, _month), count in counts.items():
        totals[owner] = totals.get(owner, 0) + count
    owners = sorted(totals, key=lambda owner: (-totals[owner], owner))[:bodies]
    return Chart(
        _("Meetings per month per owning body"),
        [date_format(month, "M y") for month in months],
        [(owner, [counts.get((owner, month), 0) for month in months]) for owner in owners],
        slug="chart-meetings",
        table_url=url("meeting_list", mine="on", when="past"),
        empty_text=_("No meetings in the last twelve months."),
    )


def quarters_back(today, count):
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(count):
        quarters.insert(0, (year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return quarters


def issues_per_quarter(user, today):
    """Issues raised against issues handled, per quarter, for the last two years."""
    quarters = quarters_back(today, 8)
    first_year, first_quarter = quarters[0]
    since = datetime.date(first_year, 3 * first_quarter - 2, 1)
    own = access.scope_for(user).own_body_ids
    observations = Observation.objects.visible_to(user)
    if own is not None:
        observations = observations.filter(
            Q(meeting__forum__owner_id__in=own) | Q(forwarded_to_id__in=own)
        )
    raised = per_quarter(observations.filter(meeting__start__date__gte=since), "meeting__start")
    handled = per_quarter(observations.filter(handled_on__gte=since), "handled_on")
    return Chart(
        _("Issues raised and handled per quarter"),
        [f"{year} K{quarter}" for year, quarter in quarters],
        [
            (_("raised"), [raised.get(q, 0) for q in quarters]),
            (_("handled"), [handled.get(q, 0) for q in quarters]),
        ],
        slug="chart-issues",
        table_url=url("observation_list", status=""),
        empty_text=_("No issues raised or handled in the last two years."),
    )


def per_quarter(queryset, field):
    """{(year, quarter): count}, grouped in the database."""
    rows = (
        queryset.annotate(year=ExtractYear(field), quarter=ExtractQuarter(field))
        .values("year", "quarter")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["year"], row["quarter"]): row["count"] for row in rows}
