"""Dialogue forums, their meetings, who was invited and came, and what was raised."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipality import access
from municipality.models import Body
from partners.models import Area, Organisation, TargetGroup


def owned_by(body_ids):
    return Q(owner_committee_id__in=body_ids) | Q(owner_administration_id__in=body_ids)


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_admin:
            return self
        if scope.is_staff or scope.is_auditor:
            return self.filter(
                Q(owner_committee__municipality_id=scope.municipality_id)
                | Q(owner_administration__municipality_id=scope.municipality_id)
            )
        if scope.is_elected:
            return self.filter(owner_committee_id__in=scope.committee_ids)
        if scope.is_representative:
            invited = Invitation.objects.filter(organisation_id__in=scope.organisation_ids).values(
                "meeting__forum_id"
            )
            return self.filter(Q(members__in=scope.organisation_ids) | Q(pk__in=invited)).distinct()
        return self.none()

    def editable_by(self, user):
        """Staff manage the forums of their förvaltning and of the nämnder it serves."""
        scope = access.scope_for(user)
        if scope.is_admin:
            return self
        if scope.is_staff:
            return self.filter(owned_by(scope.staff_body_ids))
        return self.none()

    def schedulable_by(self, user):
        """Where a user may add meetings: staff in their forums, förtroendevalda in their
        nämnd's temadag forums."""
        scope = access.scope_for(user)
        if scope.is_elected:
            return self.filter(
                owner_committee_id__in=scope.committee_ids, kind=Forum.Kind.THEME_DAY
            )
        return self.editable_by(user)


class Forum(models.Model):
    """A standing form of dialogue with civil society, owned by one nämnd or one förvaltning."""

    class Kind(models.TextChoices):
        ASSOCIATION_MEETING = "foreningstraff", _("association meeting (föreningsträff)")
        THEME_DAY = "temadag", _("theme day (temadag)")
        STEERING_GROUP = "styrgrupp", _("steering group (styrgrupp)")
        COOPERATION_FORUM = "samverkansforum", _("cooperation forum (samverkansforum)")
        ONGOING_DIALOGUE = "lopande_dialog", _("ongoing dialogue (löpande dialog)")
        ROUND_TABLE = "rundabordssamtal", _("round table (rundabordssamtal)")
        OTHER = "annat", _("other")

    class Cadence(models.TextChoices):
        YEARLY = "arligen", _("yearly")
        QUARTERLY = "kvartalsvis", _("quarterly")
        MONTHLY = "manadsvis", _("monthly")
        WEEKLY = "veckovis", _("weekly")
        AS_NEEDED = "vid_behov", _("as needed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    owner_committee = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_forums",
        limit_choices_to={"kind": Body.Kind.COMMITTEE},
        verbose_name=_("owning committee"),
    )
    owner_administration = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administration_forums",
        limit_choices_to={"kind": Body.Kind.ADMINISTRATION},
        verbose_name=_("owning administration"),
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

    history = HistoricalRecords()
    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue forum")
        verbose_name_plural = _("dialogue forums")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_committee__isnull=False, owner_administration__isnull=True)
                    | Q(owner_committee__isnull=True, owner_administration__isnull=False)
                ),
                name="forum_owned_by_exactly_one_body",
                violation_error_message=_(
                    "A forum is owned by exactly one committee or one administration."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum_detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_committee or self.owner_administration

    @owner.setter
    def owner(self, body):
        is_committee = body is not None and body.kind == Body.Kind.COMMITTEE
        self.owner_committee = body if is_committee else None
        self.owner_administration = body if body is not None and not is_committee else None

    @property
    def owner_id(self):
        return self.owner_committee_id or self.owner_administration_id

    @property
    def municipality_id(self):
        return self.owner.municipality_id

    def clean(self):
        if bool(self.owner_committee_id) == bool(self.owner_administration_id):
            raise ValidationError(
                _("A forum is owned by exactly one committee or one administration.")
            )
        if self.owner_committee_id and self.owner_committee.kind != Body.Kind.COMMITTEE:
            raise ValidationError({"owner_committee": _("Choose a committee (nämnd).")})
        if (
            self.owner_administration_id
            and self.owner_administration.kind != Body.Kind.ADMINISTRATION
        ):
            raise ValidationError({"owner_administration": _("Choose an administration.")})


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_representative:
            return self.filter(
                Q(forum__members__in=scope.organisation_ids)
                | Q(invitations__organisation_id__in=scope.organisation_ids)
            ).distinct()
        return self.filter(forum__in=Forum.objects.visible_to(user))

    def editable_by(self, user):
        """Staff manage meetings of their forums; förtroendevalda their nämnd's temadagar."""
        return self.filter(forum__in=Forum.objects.schedulable_by(user))

    def for_list(self):
        return self.select_related("forum", "forum__owner_committee", "forum__owner_administration")


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planerat", _("planned")
        HELD = "genomfort", _("held")
        CANCELLED = "installt", _("cancelled")

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
        _("people from organisations"), default=0, help_text=_("How many came in all.")
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
    )

    history = HistoricalRecords()
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
        indexes = [models.Index(fields=["start"], name="meeting_start")]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.start):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})

    @property
    def iso_week(self):
        return timezone.localtime(self.start).isocalendar().week


class Invitation(models.Model):
    """An organisation invited to a meeting, and whether it came.

    Attendance lives on the invitation, so an organisation that was not invited cannot be
    recorded as attending: the database has nowhere to put it.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    attended = models.BooleanField(_("attended"), default=False)
    people = models.PositiveSmallIntegerField(_("number of people"), default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation__name"]
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


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_representative:
            return self.filter(organisation_id__in=scope.organisation_ids)
        if scope.is_elected:
            return self.filter(
                Q(forwarded_to_id__in=scope.committee_ids)
                | Q(meeting__forum__owner_committee_id__in=scope.committee_ids)
            )
        return self.filter(meeting__in=Meeting.objects.visible_to(user))

    def editable_by(self, user):
        scope = access.scope_for(user)
        if scope.is_admin:
            return self
        if scope.is_staff:
            return self.filter(
                Q(forwarded_to_id__in=scope.staff_body_ids)
                | Q(meeting__forum__in=Forum.objects.editable_by(user))
            )
        return self.none()

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=Observation.Status.HANDLED).filter(feedback_due__lt=today)


class Observation(models.Model):
    """A need or problem an organisation raised at a meeting, followed until handled."""

    class Status(models.TextChoices):
        OPEN = "oppen", _("open")
        FORWARDED = "vidarebefordrad", _("forwarded")
        HANDLED = "hanterad", _("handled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="observations", verbose_name=_("meeting")
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
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="vidarebefordrad") | Q(forwarded_to__isnull=False),
                name="observation_forwarded_has_body",
            ),
            models.CheckConstraint(
                condition=~Q(status="hanterad") | (Q(handled_on__isnull=False) & ~Q(response="")),
                name="observation_handled_has_response",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("observation_update", args=[self.pk])

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
