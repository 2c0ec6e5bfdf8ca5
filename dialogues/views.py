import calendar
import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dialogues import (
    feedback,
    feeds,
    forwarding,
    ical,
    lists_export,
    scheduling,
    structures,
)
from dialogues import invitations as invitations_mod
from dialogues.filters import ForumFilter
from dialogues.forms import (
    AttendanceFormSet,
    ForumForm,
    MeetingForm,
    MeetingLogForm,
    ObservationForm,
    RaisedFormSet,
)
from dialogues.meeting_log import log_meeting
from dialogues.models import (
    CalendarFeed,
    Forum,
    Invitation,
    Meeting,
    Observation,
    local_midnight,
)
from dialogues.tables import ForumTable, MeetingTable, ObservationTable
from municipality import access, archive, history, inputs, list_exports, lists
from partners.models import ContactPerson

PER_PAGE = 25


def form_page(request, form, heading, cancel_url, template="form_page.html", **context):
    return render(
        request,
        template,
        {"form": form, "heading": heading, "cancel_url": cancel_url, **context},
    )


# Forums ---------------------------------------------------------------------------------


def forum_list(request):
    scope = access.scope_for(request.user)
    forums = (
        Forum.objects.visible_to(request.user)
        .select_related("owner")
        .annotate(member_count=Count("members", distinct=True))
    )
    filterset = ForumFilter(request.GET, queryset=forums, municipality_id=scope.municipality_id)
    table = ForumTable(filterset.qs)
    lists.configure(request, table, PER_PAGE, filterset=filterset, empty=_("No forums yet."))
    return render(
        request,
        "dialogues/forum_list.html",
        {
            "filter": filterset,
            "table": table,
            "can": access.answers(request.user, "create_forum"),
        },
    )


def forum_detail(request, pk):
    user = request.user
    forum = get_object_or_404(
        Forum.objects.visible_to(user)
        .select_related("owner", "steers")
        .prefetch_related("members", "target_groups", "areas"),
        pk=pk,
    )
    meetings = Meeting.objects.visible_to(user).current().filter(forum=forum).for_list()
    now = timezone.now()
    context = {
        "forum": forum,
        "upcoming": meetings.filter(start__gte=now).order_by("start")[:20],
        "past": meetings.filter(start__lt=now).order_by("-start")[:20],
        "can": access.answers(user, change_forum=forum, schedule_meeting=forum),
        "history": None,
    }
    if access.allows(user, "read_history"):
        context["history"] = history.entries(Forum.history.filter(id=forum.pk))
    return render(request, "dialogues/forum_detail.html", context)


def forum_create(request):
    access.require(request.user, "create_forum")
    form = ForumForm(request.POST or None, user=request.user)
    if form.is_valid():
        forum = form.save()
        messages.success(request, _("The forum was saved."))
        return redirect(forum)
    return form_page(request, form, _("New forum"), reverse("forum_list"))


def forum_update(request, pk):
    forum = Forum.objects.for_change(request.user, pk=pk)
    form = ForumForm(request.POST or None, instance=forum, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The forum was saved."))
        return redirect(forum)
    return form_page(
        request, form, _("Edit %(name)s") % {"name": forum.name}, forum.get_absolute_url()
    )


# Meetings -------------------------------------------------------------------------------


def meeting_list(request):
    past = request.GET.get("when") == "past"
    filterset = lists_export.meeting_filter(request.user, request.GET)
    table = MeetingTable(filterset.qs, order_by="-start" if past else "start")
    lists.configure(
        request,
        table,
        PER_PAGE,
        paginator_class=lists.BoundedPaginator,
        filterset=filterset,
        empty=_("No past meetings yet.") if past else _("No upcoming meetings."),
    )
    return render(
        request,
        "dialogues/meeting_list.html",
        {
            "filter": filterset,
            "table": table,
            "past": past,
            "can": access.answers(request.user, "schedule_meeting"),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_export(request):
    """The meeting list's filter as .xlsx (a large one prepared in the background)."""
    return list_exports.respond(request, lists_export.MEETINGS)


@require_http_methods(["GET", "POST"])
def attendance_export(request):
    """Who attended the meetings of the list's filter, one row per meeting and
    organisation, as .xlsx (a large one prepared in the background)."""
    return list_exports.respond(request, lists_export.ATTENDANCE)


# A day shows this many meetings; more are a link to that day in the meeting list.
CALENDAR_DAY_LIMIT = 4


def meeting_calendar(request):
    """A month grid with ISO week numbers, rendered on the server: the month's meetings
    only (a range on the start index), each day showing at most CALENDAR_DAY_LIMIT."""
    today = timezone.localdate()
    month = inputs.month_param(request.GET, "month", today.replace(day=1))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    meetings = (
        Meeting.objects.visible_to(request.user)
        .current()
        .starting_on(first, last)
        .only("pk", "start", "title", "status")
        .order_by("start")
    )
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    list_url = reverse("meeting_list")
    grid = []
    for week in weeks:
        days = []
        for day in week:
            on_day = by_day.get(day, [])
            more = len(on_day) - CALENDAR_DAY_LIMIT
            days.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "holiday": scheduling.holiday_name(day),
                    "meetings": on_day if more <= 0 else on_day[: CALENDAR_DAY_LIMIT - 1],
                    "more": 0 if more <= 0 else more + 1,
                    "more_url": f"{list_url}?{'when=past&' if day < today else ''}"
                    f"after={day.isoformat()}&before={day.isoformat()}",
                }
            )
        grid.append({"number": week[0].isocalendar().week, "days": days})
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "dialogues/meeting_calendar.html",
        {
            "month": month,
            "grid": grid,
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "this_month": today.strftime("%Y-%m"),
            "showing_this_month": (month.year, month.month) == (today.year, today.month),
            "can": access.answers(request.user, "schedule_meeting"),
        },
    )


def meeting_detail(request, pk):
    user = request.user
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user)
        .for_list()
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.select_related("organisation")),
            Prefetch(
                "observations",
                queryset=Observation.objects.visible_to(user).select_related(
                    "organisation", "forwarded_to"
                ),
            ),
        ),
        pk=pk,
    )
    may_read_record = access.allows(user, "read_meeting_record", meeting)
    invitations = meeting.invitations.all()
    if not may_read_record:
        own = access.scope_for(user).organisation_ids
        invitations = [i for i in invitations if i.organisation_id in own]
    may_log = access.allows(user, "keep_meeting", meeting)
    context = {
        "meeting": meeting,
        "invitations": invitations,
        "can": {
            "read_meeting_record": may_read_record,
            "keep_meeting": may_log,
            **access.answers(user, change_meeting=meeting),
        },
    }
    if may_log:
        sent = list(meeting.calendar_messages.select_related("sent_by"))
        context["sent_invitations"] = sent
        context["pending_invitation"] = invitations_mod.next_message(
            meeting, sent[0] if sent else None
        )
    return render(request, "dialogues/meeting_detail.html", context)


def meeting_create(request):
    access.require(request.user, "schedule_meeting")
    initial = {"forum": inputs.id_param(request.GET, "forum")}
    day = inputs.date_param(request.GET, "date")
    if day is not None:  # a day clicked in the month view
        initial["start"] = local_midnight(day) + scheduling.DEFAULT_START
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    return scheduled(request, form, _("New meeting"), reverse("meeting_list"))


@require_POST
def meeting_archive(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "archive_meeting", meeting)
    return archive.toggle(request, meeting)


def meeting_update(request, pk):
    meeting = Meeting.objects.for_change(request.user, pk=pk)
    # The form fills its own copy: the heading names the meeting as saved.
    form = MeetingForm(request.POST or None, instance=copy.copy(meeting), user=request.user)
    heading = _("Edit %(title)s") % {"title": meeting.title}
    return scheduled(request, form, heading, meeting.get_absolute_url())


def scheduled(request, form, heading, cancel_url):
    """Save a valid meeting, unless it falls on a holiday or clashes within its body: then
    the form comes back with the warnings, and only "Save anyway" saves it as it is."""
    warnings = []
    if form.is_valid():
        # An edit that leaves the time and forum as they were is not warned of again.
        moved = form.instance.pk is None or {"forum", "start", "end"} & set(form.changed_data)
        warnings = scheduling.warnings_for(form.instance) if moved else []
        if scheduling.confirmed(request.POST, warnings):
            if form.instance.pk is None:
                form.instance.created_by = request.user
            meeting = form.save()
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request,
        "dialogues/meeting_form.html",
        {
            "form": form,
            "heading": heading,
            "cancel_url": cancel_url,
            "warnings": warnings,
            "warned": scheduling.fingerprint(warnings),
        },
    )


def meeting_log(request, pk):
    """One page for a held meeting: status, attendance, minutes and what was raised."""
    user = request.user
    meeting = Meeting.objects.for_list().for_change(user, pk=pk, editable="kept_by")
    data = request.POST or None
    initial = {"status": Meeting.Status.HELD} if meeting.status == Meeting.Status.PLANNED else {}
    form = MeetingLogForm(data, instance=meeting, initial=initial)
    attendance = AttendanceFormSet(
        data,
        queryset=meeting.invitations.select_related("organisation"),
        prefix="attendance",
    )
    raised = RaisedFormSet(data, prefix="raised", form_kwargs={"meeting": meeting})
    if data is not None and form.is_valid() and attendance.is_valid() and raised.is_valid():
        raised_now = log_meeting(form, attendance, raised)
        messages.success(request, _("The meeting was logged."))
        for observation in raised_now:
            if observation.forwarded_to_id:
                told_about_forwarding(request, observation)
        return redirect(meeting)
    return render(
        request,
        "dialogues/meeting_log.html",
        {
            "meeting": meeting,
            "form": form,
            "attendance": attendance,
            "raised": raised,
            "people_total": people_ticked(attendance),
        },
    )


def people_ticked(attendance):
    """The total as the form stands (the stored rows, or what was just posted)."""
    total = 0
    for row in attendance:
        people = str(row["people"].value() or 0)
        if row["attended"].value() and people.isdigit():
            total += int(people)
    return total


def meeting_minutes(request, pk):
    user = request.user
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user)
        .for_list()
        .select_related("forum__owner__municipality")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(attended=True).select_related("organisation"),
                to_attr="attending",
            ),
            Prefetch(
                "observations",
                queryset=Observation.objects.visible_to(user).select_related(
                    "organisation", "forwarded_to"
                ),
            ),
        ),
        pk=pk,
    )
    access.require(user, "read_meeting_record", meeting)
    return render(request, "dialogues/meeting_minutes.html", {"meeting": meeting})


# Observations ---------------------------------------------------------------------------


# Newest first, and enough to a page that what was raised this week is on the first.
OBSERVATIONS_PER_PAGE = 50


def observation_list(request):
    filterset = lists_export.observation_filter(request.user, request.GET)
    table = ObservationTable(filterset.qs.with_meeting_visible_to(request.user))
    waiting = "status" not in request.GET and filterset.data.get("status")
    lists.configure(
        request,
        table,
        OBSERVATIONS_PER_PAGE,
        filterset=filterset,
        empty=_("No issues wait to be handled.") if waiting else _("No issues raised yet."),
    )
    return render(request, "dialogues/observation_list.html", {"filter": filterset, "table": table})


@require_http_methods(["GET", "POST"])
def observation_export(request):
    """The issue list's filter as .xlsx (a large one prepared in the background)."""
    return list_exports.respond(request, lists_export.OBSERVATIONS)


def observation_update(request, pk):
    user = request.user
    observation = get_object_or_404(
        Observation.objects.visible_to(user).select_related(
            "organisation", "meeting", "meeting__forum", "forwarded_to"
        ),
        pk=pk,
    )
    may_edit = access.allows(user, "change_observation", observation)
    form = None
    if may_edit:
        # The form fills its own copy: a refused save must not show its values in the
        # summary above it, as if they were saved (nor offer to e-mail an unsaved answer).
        form = ObservationForm(request.POST or None, instance=copy.copy(observation))
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("The observation was saved."))
            if "forwarded_to" in form.changed_data:
                told_about_forwarding(request, saved)
            return redirect(saved)
    elif request.method == "POST":
        access.require(user, "change_observation", observation)
    contacts = ContactPerson.objects.filter(organisation=observation.organisation).reachable()
    return render(
        request,
        "dialogues/observation_detail.html",
        {
            "observation": observation,
            "form": form,
            "contacts": contacts,
            "can": {"change_observation": may_edit},
            "visible_meetings": access.visible_pks(user, [observation.meeting]),
        },
    )


def told_about_forwarding(request, observation):
    """Tell the receiving body's staff, and the user how many were told."""
    told = forwarding.notify_receiving_body(observation, request)
    if told:
        messages.info(
            request,
            ngettext(
                "%(count)d person who keeps %(body)s was told by e-mail.",
                "%(count)d people who keep %(body)s were told by e-mail.",
                told,
            )
            % {"count": told, "body": observation.forwarded_to},
        )
    else:
        messages.warning(
            request,
            _("Nobody keeping %(body)s could be told by e-mail: it has no staff with an address.")
            % {"body": observation.forwarded_to},
        )


@require_POST
def observation_notify(request, pk):
    """Tell the raising organisation's contact persons what became of it, in one click."""
    observation = Observation.objects.select_related("organisation", "meeting").for_change(
        request.user, pk=pk
    )
    if observation.status != Observation.Status.HANDLED:
        raise Http404
    recipients = feedback.send(observation)
    if not recipients:
        messages.error(request, _("The organisation has no contact person with an e-mail address."))
        return redirect(observation)
    messages.success(request, _("The feedback was sent to %(to)s.") % {"to": ", ".join(recipients)})
    return redirect(observation)


# Report ---------------------------------------------------------------------------------


def structures_report(request):
    access.require(request.user, "read_municipality_reports")
    rows = structures.build(Forum.objects.visible_to(request.user))
    return render(
        request,
        "dialogues/structures.html",
        {"rows": rows, "today": timezone.localdate()},
    )


def structures_workbook(request):
    access.require(request.user, "read_municipality_reports")
    rows = structures.build(Forum.objects.visible_to(request.user))
    response = HttpResponse(
        structures.workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"dialogstrukturer-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Calendars ------------------------------------------------------------------------------

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def meeting_ics(request, pk):
    """ "Lägg till i kalender": the meeting as an .ics file."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).for_list(), pk=pk)
    response = HttpResponse(ical.single(meeting, site_url(request)), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


@login_not_required
@require_safe
def calendar_feed(request, token):
    """A subscribed calendar, polled by clients without a login; answers 304 when unchanged.

    An unknown, revoked or malformed token is a plain 404 either way.
    """
    feed = (
        CalendarFeed.objects.active()
        .select_related("organisation", "forum", "body", "owner")
        .filter(token=token)
        .first()
    )
    if feed is None or not feeds.holder_may_keep(feed):
        raise Http404
    today = timezone.localdate()
    base_url = site_url(request)
    etag = feeds.etag(feed, today, base_url)
    # The ETag alone answers 304. If-Modified-Since is not enough to tell: two changes
    # within one second leave the same Last-Modified.
    response = get_conditional_response(request, etag=etag)
    if response is None:
        meetings = feed.meetings(today).for_list().order_by("start")
        response = HttpResponse(
            ical.feed(meetings, feed_name(feed), base_url), content_type=CALENDAR_TYPE
        )
        response["Content-Disposition"] = 'inline; filename="samverkansregistret.ics"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(feeds.last_modified(feed, today).timestamp())
    response["Cache-Control"] = "private, no-cache"
    return response


def feed_name(feed):
    """X-WR-CALNAME, in Swedish."""
    with translation.override("sv"):
        if feed.kind == CalendarFeed.Kind.PERSONAL:
            return _("My meetings – %(name)s") % {"name": feed.owner.get_full_name() or feed.owner}
        return _("%(subject)s – meetings") % {"subject": feed.subject}


def calendar_subscriptions(request):
    """The feeds this user may hand out, each with its links, renew and revoke."""
    panels = [
        (
            kind,
            target,
            _("My meetings") if kind == "personal" else _("Meetings: %s") % target,
            feed,
        )
        for kind, target, feed in feeds.with_current_feeds(feeds.manageable(request.user))
    ]
    return render(request, "dialogues/calendar_subscriptions.html", {"panels": panels})


def _back(request):
    """Back to the page the feed panel was on, else to the list of calendar links."""
    fallback = reverse("calendar_subscriptions")
    return HttpResponseRedirect(inputs.local_path(request, request.POST.get("next"), fallback))


@require_POST
def feed_renew(request, kind, pk):
    target = feeds.subject(request.user, kind, pk)
    access.require(request.user, "manage_calendar_feed", target)
    replaced = feeds.current(kind, target) is not None
    feeds.renew(request.user, kind, target)
    if replaced:
        messages.success(
            request, _("A new calendar link was made. The earlier link no longer works.")
        )
    else:
        messages.success(request, _("The calendar link was made: copy it into your calendar."))
    return _back(request)


@require_POST
def feed_revoke(request, kind, pk):
    target = feeds.subject(request.user, kind, pk)
    access.require(request.user, "manage_calendar_feed", target)
    feeds.revoke(kind, target)
    messages.success(request, _("The calendar link was revoked and no longer works."))
    return _back(request)


def meeting_invitations(request, pk):
    """Send the invited organisations' contact persons an invitation, update or
    cancellation, after showing who will get what."""
    user = request.user
    meeting = Meeting.objects.for_list().for_change(user, pk=pk, editable="kept_by")
    planned = invitations_mod.next_message(meeting)
    recipients = list(invitations_mod.recipients(meeting))
    if request.method == "POST":
        record = invitations_mod.send(meeting, user, site_url(request))
        if record is None:
            messages.warning(request, _("Nothing was sent: there is nothing new to send."))
        else:
            messages.success(
                request,
                _("%(what)s sent to %(count)s recipients.")
                % {"what": record.get_method_display().capitalize(), "count": len(recipients)},
            )
        return redirect(meeting)
    reached = {person.organisation_id for person in recipients}
    unreached = [i.organisation for i in meeting.invitations.select_related("organisation")]
    unreached = [organisation for organisation in unreached if organisation.pk not in reached]
    return render(
        request,
        "dialogues/meeting_invitations.html",
        {
            "meeting": meeting,
            "planned": planned,
            "recipients": recipients,
            "unreached": unreached,
            "sent": meeting.calendar_messages.select_related("sent_by"),
        },
    )
