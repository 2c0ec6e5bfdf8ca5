"""Grants (bidrag): schemes and their yearly levels, applications and decisions, payments,
reports back, and the account each organisation is paid to. Every krona is traceable."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants import giro
from municipality import access
from municipality.models import Body
from municipality.money import KronorField, amount_bounded
from partners.models import Organisation


def committee_readers(scope, field):
    """Conditions for objects whose granting nämnd (reached by `field`) the scope reads:
    every one of the municipality for staff and auditors, their own for elected members."""
    municipality_id = scope.reads_municipality_id
    return (
        municipality_id and Q(**{f"{field}__municipality_id": municipality_id}),
        scope.committee_ids and Q(**{f"{field}_id__in": scope.committee_ids}),
    )


def committee_editors(scope, field):
    """The condition for objects the scope may change: staff of the förvaltning serving
    the granting nämnd."""
    committees = scope.served_committee_ids
    return committees and Q(**{f"{field}_id__in": committees})


class SchemeQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        """Representatives see the schemes their organisation has applied to."""
        scope = access.scope_for(user)
        organisations = scope.organisation_ids
        applied = Grant.objects.filter(organisation_id__in=organisations).values("scheme_id")
        return access.reach(
            self,
            scope,
            *committee_readers(scope, "committee"),
            organisations and Q(pk__in=applied),
        )

    def editable_by(self, user):
        scope = access.scope_for(user)
        return access.reach(self, scope, committee_editors(scope, "committee"))


class GrantScheme(models.Model):
    """A form of grant (bidragsform) that one nämnd grants."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None, "description": None}

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation grant (organisationsbidrag)")
        OPERATING = "operating", _("operating grant (verksamhetsbidrag)")
        PROJECT = "project", _("project grant (projektbidrag)")
        PREMISES = "premises", _("premises grant (lokalbidrag)")
        DEVELOPMENT = "development", _("development grant (utvecklingsbidrag)")
        OTHER = "other", _("other")

    committee = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="grant_schemes",
        limit_choices_to={"kind": Body.Kind.COMMITTEE},
        verbose_name=_("granting committee"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="scheme_name_per_committee")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("scheme_detail", args=[self.pk])

    def clean(self):
        if self.committee_id and self.committee.kind != Body.Kind.COMMITTEE:
            raise ValidationError({"committee": _("Choose a committee (nämnd).")})


class GrantLevel(models.Model):
    """The amount (or ceiling) of a scheme for one year, and the decision behind it."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"decision": None}

    scheme = models.ForeignKey(
        GrantScheme, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = KronorField(_("amount"))
    is_ceiling = models.BooleanField(
        _("ceiling"), default=False, help_text=_("The most an organisation may be granted.")
    )
    decision = models.CharField(
        _("decision"), max_length=200, blank=True, help_text=_("E.g. ASN 2025-11-19 § 245.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant level")
        verbose_name_plural = _("grant levels")
        ordering = ["scheme__name", "year"]
        constraints = [
            *amount_bounded("amount", model="grantlevel"),
            models.UniqueConstraint(fields=["scheme", "year"], name="level_once_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="level_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.scheme} {self.year}"


class PaymentAccount(models.Model):
    """Where an organisation's grants are paid. Its own history: a changed account is
    what auditors look for first."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"number": None}

    class Kind(models.TextChoices):
        BANKGIRO = "bankgiro", _("bankgiro")
        PLUSGIRO = "plusgiro", _("plusgiro")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="payment_account",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("account number"), max_length=12)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        if self.kind and self.number:
            try:
                self.number = giro.validate(self.kind, self.number)
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from None


class AccountChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AccountChange.Status.PENDING)

    def visible_to(self, user):
        """Staff and auditors see their municipality's account changes (see_payment_account)."""
        scope = access.scope_for(user)
        municipality_id = scope.reads_municipality_id
        return access.reach(
            self, scope, municipality_id and Q(organisation__municipality_id=municipality_id)
        )

    def confirmable_by(self, user):
        """Pending changes the user may confirm: of organisations they pay, or any for an
        administrator, and never their own (confirm_payment_account)."""
        scope = access.scope_for(user)
        paid = Grant.objects.paid_by(user).values("organisation_id")
        return access.reach(
            self.pending().exclude(entered_by=user),
            scope,
            scope.served_committee_ids and Q(organisation_id__in=paid),
        )


class AccountChange(models.Model):
    """A new payment account, entered by one person and in force only once a second
    authorised person has confirmed it. Until then payments go to the confirmed account."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "number": None,
        "signatory": "official_record",
        "entered_by": "user_link",
        "decided_by": "user_link",
        "entered_by_name": "official_record",
        "decided_by_name": "official_record",
    }

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="account_changes",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentAccount.Kind.choices)
    number = models.CharField(_("account number"), max_length=12)
    signatory = models.CharField(
        _("authorised signatory (firmatecknare)"),
        max_length=150,
        help_text=_("Who signed for the organisation that this is its account."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # The names as they were, kept when a user is deleted: who entered and who confirmed
    # an account is part of the four-eyes record.
    entered_by_name = models.CharField(_("entered by (name)"), max_length=300, blank=True)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or rejected by"),
    )
    decided_by_name = models.CharField(
        _("confirmed or rejected by (name)"), max_length=300, blank=True
    )
    decided_at = models.DateTimeField(_("confirmed or rejected"), null=True, blank=True)

    objects = AccountChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment account change")
        verbose_name_plural = _("payment account changes")
        ordering = ["-entered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="account_change_one_pending",
                violation_error_message=_(
                    "A change of this organisation's account is already waiting for confirmation."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | ~Q(decided_by=F("entered_by")),
                name="account_change_confirmed_by_another",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="account_change_decided_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "rejected"]),
                name="account_change_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if self.entered_by_id and not self.entered_by_name:
            self.entered_by_name = str(self.entered_by)[:300]
        if self.decided_by_id and not self.decided_by_name:
            self.decided_by_name = str(self.decided_by)[:300]
        super().save(*args, **kwargs)

    @property
    def entered_by_shown(self):
        """Who entered it: the user, or their name as recorded once they are deleted."""
        return str(self.entered_by) if self.entered_by_id else self.entered_by_name

    @property
    def decided_by_shown(self):
        return str(self.decided_by) if self.decided_by_id else self.decided_by_name

    def clean(self):
        if self.kind and self.number:
            try:
                self.number = giro.validate(self.kind, self.number)
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from None

    def confirm(self, user):
        """Put the account in force. The caller has checked the rule; the row lock makes a
        second, simultaneous decision find the change already decided."""
        with transaction.atomic():
            change = AccountChange.objects.select_for_update().get(pk=self.pk)
            if change.status != self.Status.PENDING or change.entered_by_id == user.pk:
                return False
            account = PaymentAccount.objects.filter(organisation=change.organisation_id).first()
            account = account or PaymentAccount(organisation_id=change.organisation_id)
            account.kind, account.number = change.kind, change.number
            account.save()
            change.status, change.decided_by, change.decided_at = (
                self.Status.CONFIRMED,
                user,
                timezone.now(),
            )
            change.save()
        return True

    def reject(self, user):
        with transaction.atomic():
            updated = AccountChange.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
                status=self.Status.REJECTED,
                decided_by=user,
                decided_by_name=str(user)[:300],
                decided_at=timezone.now(),
            )
        return bool(updated)


# A payment's amount as it counts: a reversing entry takes its amount back.
SIGNED_AMOUNT = Case(
    When(reverses__isnull=False, then=-F("amount")),
    default=F("amount"),
    output_field=models.BigIntegerField(),
)


class GrantQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        organisations = scope.organisation_ids
        return access.reach(
            self,
            scope,
            *committee_readers(scope, "scheme__committee"),
            organisations and Q(organisation_id__in=organisations),
        )

    def editable_by(self, user):
        scope = access.scope_for(user)
        return access.reach(self, scope, committee_editors(scope, "scheme__committee"))

    def with_figures(self, today=None):
        """Paid so far, recovery claimed, and the status that follows from them, in SQL,
        so lists can filter and total by them without a query per row.

        Each is a subquery per grant: a list annotates only the page it shows (see
        GrantTable), or all rows only when it filters or sorts by them."""
        if "status" in self.query.annotations:
            return self
        today = today or timezone.localdate()
        paid = (
            Payment.objects.filter(grant=OuterRef("pk"))
            .values("grant")
            .annotate(total=Sum(SIGNED_AMOUNT))
            .values("total")
        )
        report = GrantReport.objects.filter(grant=OuterRef("pk"))
        return self.annotate(
            paid_total=Coalesce(Subquery(paid), Value(0), output_field=models.BigIntegerField()),
            recovery_total=Coalesce(
                Subquery(report.values("recovery_amount")[:1]),
                Value(0),
                output_field=models.BigIntegerField(),
            ),
            reported=Exists(report.filter(received_on__isnull=False)),
            report_overdue=Exists(report.filter(received_on__isnull=True, due_on__lt=today)),
        ).annotate(
            status=Case(
                When(recovery_total__gt=0, then=Value(Grant.Status.RECOVERY)),
                When(reported=True, then=Value(Grant.Status.REPORTED)),
                When(paid_total__gt=0, then=Value(Grant.Status.PAID)),
                default=F("decision"),
                output_field=models.CharField(),
            )
        )

    def for_table(self):
        return self.for_list().with_figures()

    def of_organisation(self, organisation):
        """The organisation's grants with their figures, latest year first."""
        return (
            self.filter(organisation=organisation)
            .select_related("scheme")
            .with_figures()
            .order_by("-year", "scheme__name")
        )

    def for_list(self):
        """What the grant list needs of every row; figures are added to its page only."""
        return self.select_related("organisation", "scheme", "scheme__committee")

    def totals(self):
        """Applied for, granted and paid over these grants: sums of two columns, and of
        the payments of these grants, rather than of a subquery per grant."""
        grants = self.order_by()
        totals = grants.aggregate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        paid = Payment.objects.filter(grant__in=grants.values("pk")).aggregate(
            paid=Sum(SIGNED_AMOUNT)
        )["paid"]
        totals["paid"] = paid if paid is not None or totals["applied"] is None else 0
        return totals

    def paid_by(self, user):
        """Grants made by the nämnder a civil servant's förvaltning serves: whose
        organisations' payment accounts they keep."""
        committees = access.scope_for(user).served_committee_ids
        return self.filter(decision__in=Grant.GRANTING, scheme__committee_id__in=committees)

    def report_overdue(self, today=None):
        """Grants whose report back is past its due date and not received."""
        today = today or timezone.localdate()
        late = GrantReport.objects.filter(
            grant=OuterRef("pk"), received_on__isnull=True, due_on__lt=today
        )
        return self.filter(Exists(late))

    def totals_per_scheme(self, years):
        """Granted kronor per scheme and year, for the given years: {(scheme, year): kr}."""
        rows = (
            self.filter(year__in=years, decision__in=Grant.GRANTING)
            .values("scheme__name", "year")
            .annotate(total=Sum("granted_amount"))
            .order_by("scheme__name", "year")
        )
        return {(row["scheme__name"], row["year"]): row["total"] or 0 for row in rows}


class Grant(models.Model):
    """An application and the decision on it. Payments and reports back hang off it; its
    status follows from them (see GrantQuerySet.with_figures)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "purpose": None,
        "decision_reference": None,
        "case_number": None,
        "decision_maker": "official_record",
        "conflict_note": "official_record",
        "overdue_report_reason": None,
        "created_by": "user_link",
    }

    class Decision(models.TextChoices):
        APPLIED = "applied", _("applied")
        GRANTED = "granted", _("granted")
        PARTLY = "partly_granted", _("partly granted")
        REJECTED = "rejected", _("rejected")

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        GRANTED = "granted", _("granted")
        PARTLY = "partly_granted", _("partly granted")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")
        REPORTED = "reported", _("reported back")
        RECOVERY = "recovery", _("recovery claimed")

    class DecidedBy(models.TextChoices):
        COMMITTEE = "committee", _("the committee")
        DELEGATE = "delegate", _("a delegate (delegationsbeslut)")

    GRANTING = (Decision.GRANTED, Decision.PARTLY)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("organisation"),
    )
    scheme = models.ForeignKey(
        GrantScheme, on_delete=models.PROTECT, related_name="grants", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.TextField(_("purpose"))
    applied_amount = KronorField(_("amount applied for"))
    granted_amount = KronorField(_("amount granted"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.APPLIED
    )
    decided_by = models.CharField(
        _("decided by"), max_length=10, choices=DecidedBy.choices, blank=True
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=100,
        blank=True,
        help_text=_("§ in the committee's minutes, or the delegation decision's number."),
    )
    case_number = models.CharField(_("case number (diarienummer)"), max_length=50, blank=True)
    decision_maker = models.CharField(
        _("decision maker"), max_length=150, blank=True, help_text=_("Who decided (name, title).")
    )
    no_conflict_of_interest = models.BooleanField(
        _("no conflict of interest (jäv) noted"), default=False
    )
    conflict_note = models.TextField(_("note on conflict of interest"), blank=True)
    overdue_report_reason = models.TextField(
        _("reason to grant despite an overdue report back"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()
    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-year", "organisation__name"]
        indexes = [
            models.Index(fields=["year", "scheme"], name="grant_year_scheme"),
            # The delegation list: a committee's schemes' delegated decisions in a period.
            models.Index(
                fields=["scheme", "decided_by", "decision_date"], name="grant_scheme_decided"
            ),
        ]
        constraints = [
            *amount_bounded("applied_amount", "granted_amount", model="grant"),
            models.CheckConstraint(
                condition=~Q(decision__in=["granted", "partly_granted"])
                | Q(decision_date__isnull=False, granted_amount__isnull=False),
                name="grant_granted_has_date_and_amount",
                violation_error_message=_("A granted grant needs a decision date and an amount."),
            ),
            models.CheckConstraint(
                condition=Q(decision="applied") | Q(decision_date__isnull=False),
                name="grant_decided_has_date",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="grant_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.scheme} {self.year} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("grant_detail", args=[self.pk])

    def clean(self):
        errors = {}
        decided = self.decision != self.Decision.APPLIED
        if decided and not self.decision_date:
            errors["decision_date"] = _("Give the date of the decision.")
        if decided and not self.decided_by:
            errors["decided_by"] = _("Say whether the committee or a delegate decided.")
        if self.decision in self.GRANTING and self.granted_amount in (None, 0):
            errors["granted_amount"] = _("Give the amount granted.")
        if self.decision == self.Decision.REJECTED and self.granted_amount:
            errors["granted_amount"] = _("A rejected application is granted nothing.")
        if (
            self.decision == self.Decision.GRANTED
            and self.granted_amount is not None
            and self.applied_amount is not None
            and self.granted_amount < self.applied_amount
        ):
            errors["decision"] = _("Less than applied for is a partial grant.")
        if (
            self.decision == self.Decision.PARTLY
            and self.granted_amount is not None
            and self.applied_amount is not None
            and self.granted_amount >= self.applied_amount
        ):
            errors["decision"] = _("A partial grant is less than the amount applied for.")
        if errors:
            raise ValidationError(errors)

    def get_status_display(self):
        """The status `with_figures()` derived (the decision where it was not annotated)."""
        return self.Status(getattr(self, "status", self.decision)).label

    @property
    def is_delegated(self):
        return self.decided_by == self.DecidedBy.DELEGATE


def organisations_with_overdue_reports(today=None):
    today = today or timezone.localdate()
    return GrantReport.objects.filter(received_on__isnull=True, due_on__lt=today).values(
        "grant__organisation"
    )


class Payment(models.Model):
    """Money out: when, how much, and to which account (kept as it was on the day)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "account_number": None,
        "reference": None,
        "excess_reason": None,
        "reversal_reason": None,
        "created_by": "user_link",
    }

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("grant")
    )
    paid_on = models.DateField(_("payment date"))
    amount = KronorField(_("amount"))
    account_kind = models.CharField(
        _("account kind"), max_length=10, choices=PaymentAccount.Kind.choices
    )
    account_number = models.CharField(_("account number"), max_length=12)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    excess_reason = models.TextField(_("reason for paying more than granted"), blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
        help_text=_("A wrong payment is never deleted: a reversing entry takes it back."),
    )
    reversal_reason = models.TextField(_("reason for the reversal"), blank=True)
    token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        verbose_name=_("form token"),
        help_text="One per payment form shown: a second submission of the same form is refused.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            *amount_bounded("amount", model="payment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reversal_reason=""),
                name="payment_reversal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.paid_on} {self.amount} kr"

    def clean(self):
        errors = {}
        if self.account_kind and self.account_number:
            try:
                self.account_number = giro.validate(self.account_kind, self.account_number)
            except ValidationError as error:
                errors["account_number"] = error.messages
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("A payment is more than 0 kr.")
        grant = self.grant if self.grant_id else None
        if self.reverses_id:
            if self.reverses.reverses_id or self.reverses.grant_id != self.grant_id:
                errors["reverses"] = _("Only a payment of this grant can be reversed.")
            if not self.reversal_reason.strip():
                errors["reversal_reason"] = _("State why the payment is reversed.")
        elif grant is not None and self.amount:
            if grant.decision not in Grant.GRANTING:
                errors["amount"] = _("Only a granted grant can be paid.")
            else:
                earlier = amount_paid(grant, excluding=self.pk)
                if earlier + self.amount > (grant.granted_amount or 0) and not (
                    self.excess_reason.strip()
                ):
                    errors["excess_reason"] = _(
                        "The payments would exceed the amount granted. State the reason."
                    )
        if errors:
            raise ValidationError(errors)

    @property
    def signed_amount(self):
        """What the entry adds to the amount paid: a reversal takes its amount back."""
        return -self.amount if self.reverses_id else self.amount


def amount_paid(grant, excluding=None):
    """What has been paid on the grant so far, reversals taken back."""
    payments = grant.payments.exclude(pk=excluding) if excluding else grant.payments.all()
    return payments.aggregate(total=Sum(SIGNED_AMOUNT))["total"] or 0


class GrantReport(models.Model):
    """The report back (återrapportering) on a grant, and any recovery (återkrav)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"comment": "official_record", "recovery_reason": None}

    grant = models.OneToOneField(
        Grant, on_delete=models.CASCADE, related_name="report", verbose_name=_("grant")
    )
    due_on = models.DateField(_("due"))
    received_on = models.DateField(_("received"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recovery_amount = KronorField(_("recovery claimed"), default=0)
    recovery_reason = models.TextField(_("reason for recovery"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report back")
        verbose_name_plural = _("reports back")
        ordering = ["due_on"]
        constraints = [
            *amount_bounded("recovery_amount", model="grantreport"),
            models.CheckConstraint(
                condition=Q(recovery_amount=0) | ~Q(recovery_reason=""),
                name="report_recovery_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | Q(received_on__isnull=False),
                name="report_assessed_only_when_received",
            ),
        ]

    def __str__(self):
        return f"{self.grant} – {self.due_on}"

    def clean(self):
        errors = {}
        if self.recovery_amount and not self.recovery_reason.strip():
            errors["recovery_reason"] = _("Give the reason for the recovery.")
        if self.approved is not None and not self.received_on:
            errors["received_on"] = _("A report is assessed only once it has been received.")
        if self.grant_id and self.recovery_amount:
            paid = amount_paid(self.grant)
            if self.recovery_amount > paid:
                errors["recovery_amount"] = _("The recovery cannot exceed what was paid.")
        if errors:
            raise ValidationError(errors)

    def is_overdue_on(self, today=None):
        today = today or timezone.localdate()
        return self.received_on is None and self.due_on < today


def default_report_due(year):
    """Reports back are due by the end of March the year after."""
    return datetime.date(year + 1, 3, 31)
