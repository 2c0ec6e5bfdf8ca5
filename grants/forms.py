import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import (
    AccountChange,
    Grant,
    GrantLevel,
    GrantReport,
    GrantScheme,
    Payment,
    PaymentAccount,
    amount_paid,
    organisations_with_overdue_reports,
)
from municipality import date_fields
from municipality.forms import CrispyModelForm
from municipality.models import Body
from partners.models import Organisation


class SchemeForm(CrispyModelForm):
    class Meta:
        model = GrantScheme
        fields = ["committee", "name", "kind", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Body.objects.served_by(user)


class LevelForm(CrispyModelForm):
    class Meta:
        model = GrantLevel
        fields = ["year", "amount", "is_ceiling", "decision"]

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.scheme = scheme

    def clean_year(self):
        year = self.cleaned_data["year"]
        taken = GrantLevel.objects.filter(scheme=self.instance.scheme, year=year)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This scheme already has a level for that year."))
        return year


class GrantForm(CrispyModelForm):
    class Meta:
        model = Grant
        fields = [
            "organisation",
            "scheme",
            "year",
            "purpose",
            "applied_amount",
            "decision",
            "granted_amount",
            "decided_by",
            "decision_date",
            "decision_reference",
            "case_number",
            "decision_maker",
            "no_conflict_of_interest",
            "conflict_note",
            "overdue_report_reason",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "conflict_note": forms.Textarea(attrs={"rows": 2}),
            "overdue_report_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schemes = GrantScheme.objects.editable_by(user)
        if self.instance.pk:
            schemes = GrantScheme.objects.filter(pk__in=schemes) | GrantScheme.objects.filter(
                pk=self.instance.scheme_id
            )
        self.fields["scheme"].queryset = schemes.select_related("committee")
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user).choosable(
            [self.instance.organisation_id]
        )
        self.fields["overdue_report_reason"].help_text = _(
            "Required when the organisation has a report back that is overdue."
        )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        organisation = cleaned.get("organisation")
        granting = decision in Grant.GRANTING
        if granting and organisation is not None:
            overdue = organisations_with_overdue_reports().filter(grant__organisation=organisation)
            if self.instance.pk:
                overdue = overdue.exclude(grant=self.instance)
            if overdue.exists() and not cleaned.get("overdue_report_reason", "").strip():
                self.add_error(
                    "overdue_report_reason",
                    _(
                        "%(organisation)s has a report back that is overdue. Give the reason "
                        "to grant anyway, or wait for the report."
                    )
                    % {"organisation": organisation},
                )
        noted = cleaned.get("no_conflict_of_interest") or cleaned.get("conflict_note", "").strip()
        if granting and not noted:
            self.add_error(
                "no_conflict_of_interest",
                _("Confirm that no conflict of interest was noted, or describe it below."),
            )
        scheme, year, granted = (
            cleaned.get("scheme"),
            cleaned.get("year"),
            cleaned.get("granted_amount"),
        )
        if granting and scheme and year and granted:
            ceiling = GrantLevel.objects.filter(scheme=scheme, year=year, is_ceiling=True).first()
            if ceiling and granted > ceiling.amount:
                self.add_error(
                    "granted_amount",
                    _("The ceiling for %(scheme)s %(year)s is %(amount)s kr.")
                    % {"scheme": scheme, "year": year, "amount": ceiling.amount},
                )
        return cleaned


class PaymentForm(CrispyModelForm):
    class Meta:
        model = Payment
        fields = ["paid_on", "amount", "account_kind", "account_number", "reference"]

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.grant = grant
        # Money goes to the confirmed account only: a pending change is not in force yet.
        self.account = PaymentAccount.objects.filter(organisation=grant.organisation_id).first()
        for name in ("account_kind", "account_number"):
            self.fields[name].disabled = True
            self.fields[name].required = False
        if self.account:
            self.initial["account_kind"] = self.account.kind
            self.initial["account_number"] = self.account.number
        paid = amount_paid(grant)
        remaining = max((grant.granted_amount or 0) - paid, 0)
        if not self.instance.pk:
            self.initial.setdefault("amount", remaining)
        self.fields["excess_reason"] = forms.CharField(
            label=Payment._meta.get_field("excess_reason").verbose_name,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Only when the payments together exceed the amount granted."),
        )
        # One token per form shown: a double click or a resent form records one payment.
        self.fields["token"] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        cleaned = super().clean()
        if self.account is None:
            raise forms.ValidationError(
                _(
                    "The organisation has no confirmed payment account. Enter one on the "
                    "organisation's page and have a colleague confirm it."
                )
            )
        return cleaned

    def _post_clean(self):
        self.instance.excess_reason = self.cleaned_data.get("excess_reason", "")
        self.instance.token = self.cleaned_data.get("token")
        super()._post_clean()


class ReversalForm(forms.Form):
    """A wrong payment is taken back by a reversing entry, with the reason."""

    paid_on = date_fields.DateField(label=_("Date of the reversal"))
    reason = forms.CharField(
        label=_("Reason for the reversal"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReportForm(CrispyModelForm):
    class Meta:
        model = GrantReport
        fields = [
            "due_on",
            "received_on",
            "approved",
            "comment",
            "recovery_amount",
            "recovery_reason",
        ]
        widgets = {
            "approved": forms.NullBooleanSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
            "recovery_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.grant = grant


class AccountChangeForm(CrispyModelForm):
    class Meta:
        model = AccountChange
        fields = ["kind", "number", "signatory"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        current = PaymentAccount.objects.filter(organisation=organisation).first()
        self.initial.setdefault("kind", current.kind if current else PaymentAccount.Kind.BANKGIRO)


class WorkbookForm(forms.Form):
    """What the auditor's download contains beyond the list's filter."""

    sample_size = forms.IntegerField(
        label=_("Sample size"), min_value=0, max_value=1000, initial=10, required=False
    )
    seed = forms.IntegerField(
        label=_("Sample seed"),
        min_value=0,
        max_value=10**12,
        required=False,
        help_text=_("Leave empty for a new sample; give an earlier seed to draw it again."),
    )
    changes_from = date_fields.DateField(label=_("Changes from"), required=False)
    changes_to = date_fields.DateField(label=_("Changes to"), required=False)
