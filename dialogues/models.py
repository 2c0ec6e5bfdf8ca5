"""Dialogue forums, their meetings, who was invited and came, and what was raised."""

import datetime
import secrets
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipality import access
from municipality.archive import Archivable, ArchiveQuerySet
from municipality.history import HistoryWithSets
from municipality.models import Body
from partners import protection
from partners.models import Area, Organisation, Partnership, TargetGroup


def owned_by(body_ids, prefix=""):
    return Q(**{f"{prefix}owner_id__in": body_ids})


class ForumQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        municipality_id = scope.reads_municipality_id
        organisations = scope.organisation_ids
        return access.reach(
            self,
            scope,
            municipality_id and Q(owner__municipality_id=municipality_id),
            scope.committee_ids and owned_by(scope.committee_ids),
            organisations and Q(pk__in=forums_of_members(organisations)),
            organisations and Q(pk__in=forums_inviting(organisations)),
        )

    def owned_by_body(self, body):
        return self.filter(owned_by([body.pk]))

    def with_member(self, organisation):
        return self.filter(members=organisation).select_related("owner")

    def steering(self, partnership):
        """The agreement's steering group, or None."""
        return self.select_related("owner").filter(steers=partnership).first()

    def editable_by(self, user):
        """Staff manage the forums of their förvaltning and of the nämnder it serves."""
        scope = access.scope_for(user)
        return access.reach(self, scope, scope.staff_body_ids and owned_by(scope.staff_body_ids))

    def schedulable_by(self, user):
        """Where a user may add meetings: staff in their forums, förtroendevalda in their
        nämnd's temadag forums."""
        scope = access.scope_for(user)
        theme_days = Q(kind=Forum.Kind.THEME_DAY)
        return access.reach(
            self,
            scope,
            scope.staff_body_ids and owned_by(scope.staff_body_ids),
            scope.committee_ids and owned_by(scope.committee_ids) & theme_days,
        )


def forums_of_members(organisation_ids):
    return Forum.members.through.objects.filter(organisation_id__in=organisation_ids).values(
        "forum_id"
    )


def forums_inviting(organisation_ids):
    return Invitation.objects.filter(organisation_id__in=organisation_ids).values(
        "meeting__forum_id"
    )


class Forum(models.Model):
    """A standing form of dialogue with civil society, owned by one nämnd or one förvaltning."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None, "description": None}

    class Kind(models.TextChoices):
        ASSOCIATION_MEETING = "association_meeting", _("association meeting (föreningsträff)")
        THEME_DAY = "theme_day", _("theme day (temadag)")
        STEERING_GROUP = "steering_group", _("steering group (styrgrupp)")
        COOPERATION_FORUM = "cooperation_forum", _("cooperation forum (samverkansforum)")
        ONGOING_DIALOGUE = "ongoing_dialogue", _("ongoing dialogue (löpande dialog)")
        ROUND_TABLE = "round_table", _("round table (rundabordssamtal)")
        OTHER = "other", _("other")

    class Cadence(models.TextChoices):
        YEARLY = "yearly", _("yearly")
        QUARTERLY = "quarterly", _("quarterly")
        MONTHLY = "monthly", _("monthly")
        WEEKLY = "weekly", _("weekly")
        AS_NEEDED = "as_needed", _("as needed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    owner = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="forums",
        verbose_name=_("owner"),
        help_text=_("Exactly one committee (nämnd) or one administration (förvaltning)."),
    )
    cadence = models.CharField(
        _("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.AS_NEEDED
    )
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="forums", verbose_name=_("target groups")
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="forums", verbose_name=_("areas"))
    members = models.ManyToManyField(
        Organisation, blank=True, related_name="forums", verbose_name=_("member organisations")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The link points up from the feature to the register: partners knows no forum.
    steers = models.OneToOneField(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_group",
        verbose_name=_("steers agreement"),
        help_text=_("The IOP agreement whose work this steering group plans and follows up."),
    )

    history = HistoryWithSets(m2m_fields=["members", "target_groups", "areas"])
    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue forum")
        verbose_name_plural = _("dialogue forums")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(steers__isnull=True) | Q(kind="steering_group"),
                name="forum_only_a_steering_group_steers",
                violation_error_message=_("Only a steering group can steer an IOP agreement."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum_detail", args=[self.pk])

    @property
    def municipality_id(self):
        return self.owner.municipality_id

    def clean(self):
        # Named for the fields a forum form shows: the link itself is set from the agreement.
        if self.steers_id and self.kind != self.Kind.STEERING_GROUP:
            raise ValidationError(
                {"kind": _("This forum steers an IOP agreement, so it stays a steering group.")}
            )
        if (
            self.steers_id
            and self.owner_id
            and self.steers.run_by.municipality_id != self.owner.municipality_id
        ):
            raise ValidationError(
                {"owner": _("The agreement this forum steers belongs to another municipality.")}
            )


def local_midnight(day):
    """The moment the local day `day` begins."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


class MeetingQuerySet(ArchiveQuerySet, access.ScopedQuerySet):
    def visible_to(self, user):
        """Representatives see the meetings of forums their organisation belongs to and
        those it is invited to (not every meeting of a forum it was once invited to)."""
        scope = access.scope_for(user)
        municipality_id = scope.reads_municipality_id
        organisations = scope.organisation_ids
        invited = Invitation.objects.filter(organisation_id__in=organisations)
        return access.reach(
            self,
            scope,
            municipality_id and Q(forum__owner__municipality_id=municipality_id),
            scope.committee_ids and owned_by(scope.committee_ids, prefix="forum__"),
            organisations and Q(forum_id__in=forums_of_members(organisations)),
            organisations and Q(pk__in=invited.values("meeting_id")),
        )

    def editable_by(self, user):
        """Staff manage meetings of their forums; förtroendevalda their nämnd's temadagar."""
        return self.filter(forum__in=Forum.objects.schedulable_by(user))

    def kept_by(self, user):
        """Meetings whose forum the user keeps as staff: they log them and send invitations."""
        return self.filter(forum__in=Forum.objects.editable_by(user))

    def for_list(self):
        return self.select_related("forum", "forum__owner")

    def attended_by(self, organisation):
        """The meetings the organisation attended, latest first."""
        return (
            self.filter(invitations__organisation=organisation, invitations__attended=True)
            .select_related("forum")
            .order_by("-start")
        )

    def upcoming(self, days=30, now=None):
        """Current meetings from now and the coming `days` days, not cancelled."""
        now = now or timezone.now()
        return (
            self.current()
            .filter(start__gte=now, start__lt=now + datetime.timedelta(days=days))
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start")
        )

    def awaiting_log(self, now=None):
        """Meetings whose time has passed without anyone logging them held or cancelled."""
        now = now or timezone.now()
        return self.current().filter(start__lt=now, status=Meeting.Status.PLANNED).order_by("start")

    def starting_on(self, first=None, last=None):
        """Meetings starting on the local days `first` to `last` (either may be open), as a
        range on `start` that its index serves. (`start__date` would compute each row's
        local date, on SQLite in Python, row by row.)"""
        meetings = self
        if first is not None:
            meetings = meetings.filter(start__gte=local_midnight(first))
        if last is not None:
            meetings = meetings.filter(start__lt=local_midnight(last + datetime.timedelta(days=1)))
        return meetings

    def mine(self, user):
        """ "My meetings": those of the user's own bodies, nämnder or organisations."""
        own_bodies = access.scope_for(user).own_body_ids
        visible = self.visible_to(user)
        if own_bodies is None:
            return visible
        return visible.filter(owned_by(own_bodies, prefix="forum__"))


class Meeting(Archivable):
    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "archived_by": "user_link",
        "title": None,
        "place": None,
        "online_link": None,
        "agenda": "official_record",
        "internal_participants": "attendance",
        "minutes": "official_record",
        "created_by": "user_link",
    }

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    participants_count = models.PositiveIntegerField(
        _("people from organisations"),
        default=0,
        help_text=_("How many came in all."),
        validators=[MaxValueValidator(100_000)],
    )
    internal_participants = models.TextField(
        _("internal participants"),
        blank=True,
        help_text=_("Staff and elected members who took part."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Raised whenever time, place or status changes (iCalendar SEQUENCE)."),
    )
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    # A change to any of these makes calendars treat the event as rescheduled.
    CALENDAR_FIELDS = ("start", "end", "place", "online_link", "status")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["start"], name="meeting_start"),
            # A forum's meetings in a period, and in order: its page, its feed, the report.
            # (A feed's 304 reads no meeting: dialogues.feed_revisions.)
            models.Index(fields=["forum", "start"], name="meeting_forum_start"),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.start):%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and self._calendar_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})

    def _calendar_changed(self):
        stored = Meeting.objects.filter(pk=self.pk).values_list(*self.CALENDAR_FIELDS).first()
        current = tuple(getattr(self, name) for name in self.CALENDAR_FIELDS)
        return stored is not None and stored != current

    def count_people(self):
        """People from organisations in all, as the sum of the attendance per organisation
        (so the total never disagrees with the rows it sums); saved with the meeting."""
        total = self.invitations.filter(attended=True).aggregate(total=models.Sum("people"))
        self.participants_count = total["total"] or 0

    @property
    def iso_week(self):
        return timezone.localtime(self.start).isocalendar().week

    @property
    def calendar_uid(self):
        """The same UID in every feed, download and invitation, for the meeting's life."""
        return f"meeting-{self.pk}@samverkansregistret"

    @property
    def calendar_end(self):
        """A meeting without an end is shown as lasting DEFAULT_DURATION."""
        return self.end or self.start + DEFAULT_DURATION


DEFAULT_DURATION = datetime.timedelta(hours=2)


class Invitation(models.Model):
    """An organisation invited to a meeting, and whether it came.

    Attendance lives on the invitation, so an organisation that was not invited cannot be
    recorded as attending: the database has nowhere to put it.
    """

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {}

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    attended = models.BooleanField(_("attended"), default=False)
    people = models.PositiveSmallIntegerField(
        _("number of people"), default=0, validators=[MaxValueValidator(10_000)]
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation__name"]
        indexes = [
            # An organisation's meetings, from the index alone: its feed and its page.
            models.Index(fields=["organisation", "meeting"], name="invitation_org_meeting"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="invitation_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(attended=True) | Q(people=0),
                name="invitation_people_only_if_attended",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.meeting}"


class ObservationQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        """Representatives see what their own organisation raised; elected members also
        what was forwarded to their nämnd from other bodies' meetings."""
        scope = access.scope_for(user)
        municipality_id = scope.reads_municipality_id
        committees = scope.committee_ids
        return access.reach(
            self,
            scope,
            municipality_id and Q(meeting__forum__owner__municipality_id=municipality_id),
            committees and owned_by(committees, prefix="meeting__forum__"),
            committees and Q(forwarded_to_id__in=committees),
            scope.organisation_ids and Q(organisation_id__in=scope.organisation_ids),
        )

    def editable_by(self, user):
        scope = access.scope_for(user)
        kept = scope.staff_body_ids
        return access.reach(
            self,
            scope,
            kept and owned_by(kept, prefix="meeting__forum__"),
            kept and Q(forwarded_to_id__in=kept),
        )

    def with_meeting_visible_to(self, user):
        """Marks whether the user may open each row's meeting, so a list links only those
        (an elected member reads issues forwarded to their nämnd from others' meetings)."""
        scope = access.scope_for(user)
        if scope.everything or scope.reads_municipality_id:
            # Those who read the whole municipality see an issue only through its meeting.
            return self.annotate(meeting_visible=Value(True))
        meetings = Meeting.objects.visible_to(user).filter(pk=OuterRef("meeting_id"))
        return self.annotate(meeting_visible=Exists(meetings))

    def raised_by(self, organisation):
        """What the organisation raised, latest meeting first."""
        return (
            self.filter(organisation=organisation)
            .select_related("meeting", "forwarded_to")
            .order_by("-meeting__start")
        )

    def not_handled(self):
        """Open or forwarded: as a list of statuses, which an index serves (a "not" does not)."""
        return self.filter(status__in=[Observation.Status.OPEN, Observation.Status.FORWARDED])

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.not_handled().filter(feedback_due__lt=today)

    def unhandled(self):
        return self.not_handled()

    def forwarded_to_own_bodies(self, user):
        """Forwarded to the bodies the user keeps or sits on (to any body, for those whose
        own bodies are everything they see)."""
        own = access.scope_for(user).own_body_ids
        visible = self.visible_to(user).filter(forwarded_to__isnull=False)
        return visible if own is None else visible.filter(forwarded_to_id__in=own)


class Observation(models.Model):
    """A need or problem an organisation raised at a meeting, followed until handled."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "theme": None,
        "text": "official_record",
        "response": "official_record",
        "feedback_sent_to": "correspondence",
    }

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FORWARDED = "forwarded", _("forwarded")
        HANDLED = "handled", _("handled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="observations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("raised by"),
    )
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    text = models.TextField(_("what was raised"))
    forwarded_to = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("forwarded to"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    feedback_due = models.DateField(
        _("feedback due"),
        null=True,
        blank=True,
        help_text=_("When the organisation should hear back."),
    )
    response = models.TextField(_("response"), blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("feedback sent"), null=True, blank=True)
    feedback_sent_to = models.TextField(_("feedback sent to"), blank=True)

    history = HistoricalRecords()
    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-meeting__start"]
        indexes = [
            # Those not yet handled, by when the organisation should hear back: the list's
            # default, and the report's and the body page's counts.
            models.Index(fields=["status", "feedback_due"], name="observation_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="forwarded") | Q(forwarded_to__isnull=False),
                name="observation_forwarded_has_body",
            ),
            models.CheckConstraint(
                condition=~Q(status="handled") | (Q(handled_on__isnull=False) & ~Q(response="")),
                name="observation_handled_has_response",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("observation_update", args=[self.pk])

    @property
    def feedback_recipients(self):
        """Who the feedback went to, as shown: protected persons only by the label."""
        return ", ".join(protection.masked(self.feedback_sent_to.split(", ")))

    def clean(self):
        errors = {}
        if self.status == self.Status.FORWARDED and not self.forwarded_to_id:
            errors["forwarded_to"] = _("Choose where the observation is forwarded.")
        if self.status == self.Status.HANDLED:
            if not self.response.strip():
                errors["response"] = _("Write the response before marking it handled.")
            if not self.handled_on:
                errors["handled_on"] = _("Give the date it was handled.")
        if errors:
            raise ValidationError(errors)

    def is_overdue_on(self, today=None):
        today = today or timezone.localdate()
        return bool(
            self.status != self.Status.HANDLED and self.feedback_due and self.feedback_due < today
        )

    @property
    def is_overdue(self):
        return self.is_overdue_on()


def default_feedback_due(meeting_start):
    """Four weeks after the meeting, unless staff choose otherwise."""
    return timezone.localtime(meeting_start).date() + datetime.timedelta(weeks=4)


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        """Not revoked, and made by a user whose account is active."""
        return self.filter(revoked_at__isnull=True, owner__is_active=True)


class CalendarFeed(models.Model):
    """A subscribable calendar reached by an unguessable token instead of a login.

    A feed belongs to one subject: an organisation, a forum, a body or a user's own
    meetings. Who may see its token is decided in `dialogues.feeds`.
    """

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"token": None, "owner": "user_link"}

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        FORUM = "forum", _("forum")
        BODY = "body", _("body")
        PERSONAL = "personal", _("my meetings")

    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds"
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds"
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        help_text=_("Who made the link; a personal feed shows this user's meetings."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Raised, in the same transaction, by every change that can alter what the feed holds
    # (dialogues.feed_revisions): its ETag is read from this row, not from the meetings.
    revision = models.PositiveBigIntegerField(_("revision"), default=0, editable=False)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="organisation",
                        organisation__isnull=False,
                        forum__isnull=True,
                        body__isnull=True,
                    )
                    | Q(
                        kind="forum",
                        organisation__isnull=True,
                        forum__isnull=False,
                        body__isnull=True,
                    )
                    | Q(
                        kind="body",
                        organisation__isnull=True,
                        forum__isnull=True,
                        body__isnull=False,
                    )
                    | Q(
                        kind="personal",
                        organisation__isnull=True,
                        forum__isnull=True,
                        body__isnull=True,
                    )
                ),
                name="calendar_feed_has_its_subject",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self):
        return self.organisation or self.forum or self.body or self.owner

    # What a feed covers: a year back (last year's meetings stay in the calendar) and two
    # years ahead (what is planned). A client replaces its copy with each poll, so a
    # meeting outside the window simply leaves the subscribed calendar.
    WINDOW_BACK = datetime.timedelta(days=365)
    WINDOW_AHEAD = datetime.timedelta(days=2 * 365)

    def window(self, today=None):
        """Whole local days, so that what the feed holds changes with the date only at
        midnight, and its ETag can name the day."""
        today = today or timezone.localdate()
        first = local_midnight(today - self.WINDOW_BACK)
        return first, local_midnight(today + self.WINDOW_AHEAD + datetime.timedelta(days=1))

    def meetings(self, today=None):
        """What the feed shows, within its window; an organisation's feed only its own
        forums and invitations. Each of those two paths is an indexed id subquery (the
        forums it is a member of, the meetings it is invited to), not an OR across two
        joins."""
        meetings = Meeting.objects.all()
        if self.kind == self.Kind.ORGANISATION:
            invited = Invitation.objects.filter(organisation_id=self.organisation_id)
            meetings = meetings.filter(
                Q(forum_id__in=forums_of_members([self.organisation_id]))
                | Q(pk__in=invited.values("meeting_id"))
            )
        elif self.kind == self.Kind.FORUM:
            meetings = meetings.filter(forum=self.forum_id)
        elif self.kind == self.Kind.BODY:
            meetings = meetings.filter(owned_by([self.body_id], prefix="forum__"))
        else:
            meetings = Meeting.objects.mine(self.owner)
        first, last = self.window(today)
        return meetings.current().filter(start__gte=first, start__lt=last)


class CalendarMessage(models.Model):
    """An invitation, update or cancellation e-mailed for a meeting: what, to whom, when."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"sent_by": "user_link", "recipients": "correspondence"}

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("invitation")
        CANCEL = "CANCEL", _("cancellation")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="calendar_messages")
    method = models.CharField(_("kind"), max_length=10, choices=Method.choices)
    sequence = models.PositiveIntegerField(_("calendar revision"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipients = models.TextField(_("recipients"), help_text=_("One address a line."))

    class Meta:
        verbose_name = _("calendar message")
        verbose_name_plural = _("calendar messages")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.get_method_display()} {self.meeting} {self.sent_at:%Y-%m-%d %H:%M}"

    @cached_property
    def recipient_list(self):
        return protection.masked(self.recipients.splitlines())
