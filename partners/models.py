"""Civil-society organisations, their contact persons and representatives, and IOP agreements."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipality import access, personal_data
from municipality.archive import Archivable, ArchiveQuerySet
from municipality.history import HistoryWithSets
from municipality.inputs import digits, normalised_text
from municipality.models import Body, Municipality, assigned
from municipality.money import KronorField, amount_bounded
from partners import orgnr

EXPIRING_WITHIN_DAYS = 90

# What every output shows instead of a contact person with protected personal data.
PROTECTED_LABEL = _("Protected personal data")


class TargetGroup(models.Model):
    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None}

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Area(models.Model):
    """A part of the municipality (stadsområde) an organisation works in."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None}

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="areas", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_name")
        ]

    def __str__(self):
        return self.name


class OrganisationQuerySet(ArchiveQuerySet, access.ScopedQuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        municipality_id = scope.register_municipality_id
        return access.reach(
            self,
            scope,
            municipality_id and Q(municipality_id=municipality_id),
            scope.organisation_ids and Q(pk__in=scope.organisation_ids),
        )

    def editable_by(self, user):
        """Staff keep every organisation of their municipality; see also `contact_editable_by`."""
        scope = access.scope_for(user)
        return access.reach(self, scope, self._kept_by_staff(scope))

    def contact_editable_by(self, user):
        """Who may update address, e-mail, phone and contact persons: staff, and the
        organisation's own representatives."""
        scope = access.scope_for(user)
        return access.reach(
            self,
            scope,
            self._kept_by_staff(scope),
            scope.organisation_ids and Q(pk__in=scope.organisation_ids),
        )

    @staticmethod
    def _kept_by_staff(scope):
        municipality_id = scope.keeps_municipality_id
        return municipality_id and Q(municipality_id=municipality_id)


class Organisation(Archivable):
    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "archived_by": "user_link",
        "name": None,
        "org_number": None,
        "street_address": "organisation_contact",
        "postal_code": None,
        "city": None,
        "email": "organisation_contact",
        "phone": "organisation_contact",
        "website": None,
        "notes": "official_record",
    }

    class LegalForm(models.TextChoices):
        NON_PROFIT = "non_profit", _("non-profit association (ideell förening)")
        FOUNDATION = "foundation", _("foundation (stiftelse)")
        RELIGIOUS = (
            "religious_community",
            _("registered religious community (registrerat trossamfund)"),
        )
        ECONOMIC = "economic_association", _("economic association (ekonomisk förening)")
        USER_ASSOCIATION = "user_association", _("user association (brukarförening)")
        OTHER = "other", _("other")

    # The first digits of the organisation number each legal form is expected to have.
    EXPECTED_GROUPS = {
        LegalForm.NON_PROFIT: "8",
        LegalForm.FOUNDATION: "8",
        LegalForm.USER_ASSOCIATION: "8",
        LegalForm.RELIGIOUS: "28",
        LegalForm.ECONOMIC: "7",
    }

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        help_text=_("NNNNNN-NNNN. Leave empty for an informal network without one."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices, default=LegalForm.NON_PROFIT
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="organisations", verbose_name=_("target groups")
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="organisations", verbose_name=_("areas")
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoryWithSets(
        excluded_fields=["municipality"], m2m_fields=["target_groups", "areas"]
    )
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "org_number"],
                condition=~Q(org_number=""),
                name="organisation_unique_org_number",
                violation_error_message=_(
                    "Another organisation in the municipality has this organisation number."
                ),
            ),
        ]
        indexes = [models.Index(fields=["org_number"], name="organisation_org_number")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.org_number:
            try:
                self.org_number = orgnr.normalise(self.org_number)
            except ValidationError as error:
                errors["org_number"] = error.messages
        if self.postal_code:
            number = digits(self.postal_code)
            if len(number) != 5 or not (number.isascii() and number.isdigit()):
                errors["postal_code"] = _("A postal code has five digits, e.g. 211 20.")
            else:
                self.postal_code = f"{number[:3]} {number[3:]}"
        self.phone = normalised_text(self.phone)
        if errors:
            raise ValidationError(errors)

    @property
    def org_number_group(self):
        return orgnr.group_of(self.org_number)

    @property
    def legal_form_mismatch(self):
        """True when the number's first digit does not fit the chosen legal form."""
        expected = self.EXPECTED_GROUPS.get(self.legal_form)
        return bool(self.org_number and expected and self.org_number[0] not in expected)

    @property
    def address_lines(self):
        return [
            line
            for line in (self.street_address, f"{self.postal_code} {self.city}".strip())
            if line
        ]


class Representative(models.Model):
    """A user who speaks for an organisation (organisationsföreträdare)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"user": "user_link"}

    class Authorisation(models.TextChoices):
        SIGNATORY = "signatory", _("authorised signatory (firmatecknare)")
        PROXY = "power_of_attorney", _("power of attorney (fullmakt)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("organisation"),
    )
    authorisation = models.CharField(
        _("authorised by"), max_length=20, choices=Authorisation.choices
    )
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="representative_unique_user_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"

    def clean(self):
        user, organisation = assigned(self, "user"), assigned(self, "organisation")
        if user is None or organisation is None:
            return
        if not user.speaks_for_organisations:
            raise ValidationError(
                {"user": _("Only a user with the role organisation representative can be linked.")}
            )
        if user.municipality_id != organisation.municipality_id:
            raise ValidationError({"user": _("The user belongs to another municipality.")})


class ContactPersonQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        """Staff see contact persons; a representative sees their own organisation's."""
        scope = access.scope_for(user)
        municipality_id = scope.keeps_municipality_id
        return access.reach(
            self,
            scope,
            municipality_id and Q(organisation__municipality_id=municipality_id),
            scope.organisation_ids and Q(organisation_id__in=scope.organisation_ids),
        )

    def editable_by(self, user):
        return self.filter(organisation__in=Organisation.objects.contact_editable_by(user))

    def delete(self):
        """A bulk delete (the admin's "delete selected") removes each person everywhere."""
        with transaction.atomic():
            contacts = list(self)
            for contact in contacts:
                contact.delete()
        return len(contacts), {self.model._meta.label: len(contacts)}

    def reachable(self):
        """Who the register may send e-mail or invitations to: not protected, with an address."""
        return self.filter(is_protected=False).exclude(email="")


class ContactPerson(models.Model):
    """Personal data: kept to what contact needs, with its legal basis, removable."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": "contact", "role": "contact", "email": "contact", "phone": "contact"}

    class LegalBasis(models.TextChoices):
        PUBLIC_TASK = "public_task", _("task in the public interest")
        CONTRACT = "contract", _("agreement with the organisation")
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
        CONSENT = "consent", _("consent")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("E.g. chair or operations manager.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=30,
        choices=LegalBasis.choices,
        default=LegalBasis.PUBLIC_TASK,
        help_text=_("Why the municipality may store this person's details (GDPR)."),
    )
    is_protected = models.BooleanField(
        _("protected personal data"),
        default=False,
        help_text=_(
            "Protected identity (skyddade personuppgifter): shown to no one but those who edit "
            "the contact persons, and kept out of every e-mail, invitation, export and history."
        ),
    )

    history = HistoricalRecords()
    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        # Admin, logs and lists print a protected person through here: never their name.
        return str(PROTECTED_LABEL) if self.is_protected else self.name

    def clean(self):
        self.phone = normalised_text(self.phone)

    def identifiers(self):
        """Every name, e-mail and phone the person has had in the register."""
        found = {self.name, self.email, self.phone}
        for row in ContactPerson.history.filter(id=self.pk).values_list("name", "email", "phone"):
            found.update(row)
        return {value for value in found if value}

    def delete(self, *args, **kwargs):
        """Removal as the GDPR asks, on every path (the service's and the admin's): the
        row goes, and the person's details leave its history and every copy elsewhere."""
        identifiers, pk = self.identifiers(), self.pk
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            ContactPerson.history.filter(id=pk).update(
                name=personal_data.REMOVED, email="", phone="", role=""
            )
            personal_data.scrub_everywhere(identifiers)
        return result


class PartnershipQuerySet(ArchiveQuerySet, access.ScopedQuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        municipality_id = scope.reads_municipality_id
        parties = Partnership.parties.through.objects.filter(
            organisation_id__in=scope.organisation_ids
        )
        return access.reach(
            self,
            scope,
            municipality_id and Q(run_by__municipality_id=municipality_id),
            scope.committee_ids and Q(decided_by_id__in=scope.committee_ids),
            scope.organisation_ids and Q(pk__in=parties.values("partnership_id")),
        )

    def editable_by(self, user):
        """Staff change the agreements their förvaltning runs or its nämnder decided."""
        scope = access.scope_for(user)
        kept = scope.staff_body_ids
        return access.reach(
            self, scope, kept and (Q(run_by_id__in=kept) | Q(decided_by_id__in=kept))
        )

    def for_table(self):
        return (
            self.select_related("decided_by", "run_by")
            .prefetch_related("parties")
            .annotate(last_follow_up_year=Max("follow_ups__year"))
        )

    def follow_up_overdue(self, today=None):
        """Running agreements, begun by last year, with no follow-up of last year: the
        query behind Partnership.follow_up_overdue_on."""
        today = today or timezone.localdate()
        past_year = today.year - 1
        followed_up = FollowUp.objects.filter(partnership=OuterRef("pk"), year__gte=past_year)
        return self.filter(
            start_date__lte=today, end_date__gte=today, start_date__year__lte=past_year
        ).exclude(Exists(followed_up))

    def with_status(self, status, today=None):
        """Filter by the status derived from dates (see Partnership.status_on)."""
        today = today or timezone.localdate()
        soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
        running = Q(start_date__lte=today, end_date__gte=today)
        expiring = running & (Q(end_date__lte=soon) | Q(last_notice_date__lt=today))
        return self.filter(
            {
                Partnership.Status.PLANNED: Q(start_date__gt=today),
                Partnership.Status.ACTIVE: running & ~expiring,
                Partnership.Status.EXPIRING: expiring,
                Partnership.Status.ENDED: Q(end_date__lt=today),
            }[status]
        )


class Partnership(Archivable):
    """An IOP agreement (idéburet offentligt partnerskap)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "archived_by": "user_link",
        "title": None,
        "case_number": None,
        "purpose": None,
        "activities": None,
        "extension_terms": None,
        "municipality_contribution": None,
        "organisation_contribution": None,
    }

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        EXPIRING = "expiring", _("expiring")
        ENDED = "ended", _("ended")

    class StateAid(models.TextChoices):
        NOT_ASSESSED = "not_assessed", _("not yet assessed")
        NONE = "none", _("no state-aid issue")
        DE_MINIMIS = "de_minimis", _("de minimis aid")
        SGEI = "sgei", _("service of general economic interest (SGEI)")

    title = models.CharField(_("title"), max_length=200)
    case_number = models.CharField(
        _("case number"),
        max_length=50,
        blank=True,
        help_text=_("Diarienummer, e.g. ASN-2023-12667."),
    )
    parties = models.ManyToManyField(
        Organisation, related_name="partnerships", verbose_name=_("parties")
    )
    decided_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="decided_partnerships",
        limit_choices_to={"kind": Body.Kind.COMMITTEE},
        verbose_name=_("decided by (committee)"),
    )
    run_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="run_partnerships",
        limit_choices_to={"kind": Body.Kind.ADMINISTRATION},
        verbose_name=_("run by (administration)"),
    )
    purpose = models.TextField(_("purpose"))
    activities = models.CharField(
        _("activities"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. värmestuga, Crossroads, Vinternatt."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    yearly_compensation = KronorField(
        _("yearly compensation (kr)"), default=0, help_text=_("Whole kronor per year.")
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        default=3,
        validators=[MaxValueValidator(60, _("A notice period is at most 60 months."))],
        help_text=_("Uppsägningstid: notice must be given this many months before the end date."),
    )
    extension_option = models.BooleanField(
        _("may be extended"), default=False, help_text=_("Förlängningsoption.")
    )
    extension_terms = models.CharField(_("extension terms"), max_length=200, blank=True)
    municipality_contribution = models.TextField(
        _("the municipality contributes"),
        blank=True,
        help_text=_("Money, premises, staff time …"),
    )
    organisation_contribution = models.TextField(
        _("the organisations contribute"),
        blank=True,
        help_text=_("Volunteer time, premises, own funds … per organisation."),
    )
    state_aid = models.CharField(
        _("state-aid assessment"),
        max_length=20,
        choices=StateAid.choices,
        default=StateAid.NOT_ASSESSED,
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews agreement"),
    )
    next_follow_up_on = models.DateField(
        _("next follow-up planned"),
        null=True,
        blank=True,
        help_text=_("When the parties meet for the next quality follow-up."),
    )
    # Derived from end_date and notice_period_months on save, stored so lists can filter.
    last_notice_date = models.DateField(_("last day to give notice"), editable=False)

    history = HistoryWithSets(excluded_fields=["last_notice_date"], m2m_fields=["parties"])
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("IOP agreement")
        verbose_name_plural = _("IOP agreements")
        ordering = ["-start_date", "title"]
        constraints = [
            *amount_bounded("yearly_compensation", model="partnership"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="partnership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(yearly_compensation__gte=0),
                name="partnership_compensation_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="partnership_end_date")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.last_notice_date = self.end_date - relativedelta(months=self.notice_period_months)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnership_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.decided_by_id and self.decided_by.kind != Body.Kind.COMMITTEE:
            errors["decided_by"] = _("An agreement is decided by a committee (nämnd).")
        if self.run_by_id and self.run_by.kind != Body.Kind.ADMINISTRATION:
            errors["run_by"] = _("An agreement is run by an administration (förvaltning).")
        if (
            self.decided_by_id
            and self.run_by_id
            and self.decided_by.municipality_id != self.run_by.municipality_id
        ):
            errors["run_by"] = _(
                "The committee and the administration must be of one municipality."
            )
        if self.renews_id and self.pk and self.renews_id == self.pk:
            errors["renews"] = _("An agreement cannot renew itself.")
        planned = self.next_follow_up_on if self.start_date and self.end_date else None
        if planned and (problem := self.follow_up_plan_problem(planned)):
            errors["next_follow_up_on"] = problem
        if errors:
            raise ValidationError(errors)

    def follow_up_plan_problem(self, day):
        """Why a follow-up cannot be planned on `day`, or None: between the agreement's
        start and a year after its end, when its last year is followed up."""
        latest = self.end_date + relativedelta(years=1)
        if self.start_date <= day <= latest:
            return None
        return _(
            "A follow-up is planned between the agreement's start (%(start)s) and "
            "a year after its end (%(latest)s)."
        ) % {"start": self.start_date.isoformat(), "latest": latest.isoformat()}

    @property
    def municipality(self):
        return self.run_by.municipality

    @property
    def activity_list(self):
        return [a.strip() for a in self.activities.split(",") if a.strip()]

    def status_on(self, today=None):
        today = today or timezone.localdate()
        if today < self.start_date:
            return self.Status.PLANNED
        if today > self.end_date:
            return self.Status.ENDED
        notice = self.end_date - relativedelta(months=self.notice_period_months)
        if (self.end_date - today).days <= EXPIRING_WITHIN_DAYS or today > notice:
            return self.Status.EXPIRING
        return self.Status.ACTIVE

    @property
    def status(self):
        return self.status_on()

    def follow_up_overdue_on(self, today=None, last_year_followed_up=None):
        """An agreement running now and last year needs a follow-up for last year."""
        today = today or timezone.localdate()
        if self.status_on(today) not in (self.Status.ACTIVE, self.Status.EXPIRING):
            return False
        past_year = today.year - 1
        if self.start_date.year > past_year:
            return False
        if last_year_followed_up is None:
            last_year_followed_up = getattr(self, "last_follow_up_year", None)
            if last_year_followed_up is None and not hasattr(self, "last_follow_up_year"):
                last_year_followed_up = self.follow_ups.aggregate(y=Max("year"))["y"]
        return (last_year_followed_up or 0) < past_year

    @property
    def follow_up_overdue(self):
        return self.follow_up_overdue_on()

    @property
    def next_follow_up_year(self):
        """The year whose quality follow-up comes next: the one after the last followed
        up, and never before the agreement began (uses the list's annotation if there)."""
        last = getattr(self, "last_follow_up_year", None)
        if last is None and not hasattr(self, "last_follow_up_year"):
            last = self.follow_ups.aggregate(y=Max("year"))["y"]
        return max((last or 0) + 1, self.start_date.year)

    def renewal_chain(self):
        """Every agreement in this one's line, oldest first."""
        chain, seen = [self], {self.pk}
        earlier = self.renews
        while earlier is not None and earlier.pk not in seen:
            chain.insert(0, earlier)
            seen.add(earlier.pk)
            earlier = earlier.renews
        later = self.renewed_by.order_by("start_date").first()
        while later is not None and later.pk not in seen:
            chain.append(later)
            seen.add(later.pk)
            later = later.renewed_by.order_by("start_date").first()
        return chain


class FollowUp(models.Model):
    """The yearly quality follow-up (kvalitetsuppföljning) of an agreement."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"summary": "official_record", "next_steps": "official_record"}

    class Assessment(models.TextChoices):
        GOOD = "good", _("good")
        NEEDS_IMPROVEMENT = "needs_improvement", _("needs improvement")
        DEFICIENT = "deficient", _("deficient")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("IOP agreement"),
    )
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(
        _("year followed up"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    assessment = models.CharField(_("assessment"), max_length=30, choices=Assessment.choices)
    summary = models.TextField(_("summary"))
    next_steps = models.TextField(_("agreed next steps"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"],
                name="follow_up_one_per_year",
                violation_error_message=_("This agreement already has a follow-up for that year."),
            ),
        ]

    def __str__(self):
        return f"{self.partnership} {self.year}"

    def clean(self):
        """A follow-up is of a year of the agreement, held once that year has begun and
        not before the agreement did, and recorded once held (not ahead of today)."""
        if self.partnership_id is None or self.date is None:
            return
        partnership = self.partnership
        errors = {}
        if self.date < partnership.start_date:
            errors["date"] = _(
                "A follow-up cannot be dated before the agreement starts (%(start)s)."
            ) % {"start": partnership.start_date.isoformat()}
        elif self.date > timezone.localdate():
            errors["date"] = _("Record a follow-up once it is held: the date is in the future.")
        if self.year is not None:
            if not partnership.start_date.year <= self.year <= partnership.end_date.year:
                errors["year"] = _("The year must fall within the agreement's period.")
            elif "date" not in errors and self.year > self.date.year:
                errors["year"] = _(
                    "A year is followed up once it has begun: no later than the date's year."
                )
        if errors:
            raise ValidationError(errors)


class ReminderSent(models.Model):
    """One reminder per agreement, kind and threshold, so a daily run never repeats itself."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"key": None, "recipients": "correspondence"}

    class Kind(models.TextChoices):
        ENDING = "ending", _("agreement ends")
        NOTICE = "notice", _("last day to give notice")
        FOLLOW_UP = "follow_up", _("follow-up overdue")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=30, help_text="The date or year the reminder is about.")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "key"], name="reminder_once_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.partnership} {self.kind} {self.key}"
