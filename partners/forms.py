from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipality import access, date_fields
from municipality.forms import CrispyModelForm, checkbox_layout
from municipality.models import Body
from partners import orgnr
from partners.models import Area, ContactPerson, FollowUp, Organisation, Partnership


class OrganisationForm(CrispyModelForm):
    collects_personal_data = True

    class Meta:
        model = Organisation
        fields = [
            "name",
            "org_number",
            "legal_form",
            "street_address",
            "postal_code",
            "city",
            "email",
            "phone",
            "website",
            "target_groups",
            "areas",
            "is_active",
            "notes",
        ]
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["areas"].queryset = Area.objects.filter(municipality=municipality)
        # Room for the 12-digit form (16NNNNNN-NNNN) and spaces; stored as NNNNNN-NNNN.
        self.fields["org_number"].max_length = 20
        self.fields["org_number"].widget.attrs["maxlength"] = "20"
        self.fields["org_number"].validators = [
            v for v in self.fields["org_number"].validators if not hasattr(v, "limit_value")
        ]

    def clean_org_number(self):
        value = self.cleaned_data["org_number"].strip()
        if not value:
            return ""
        number = orgnr.normalise(value)
        taken = Organisation.objects.filter(
            municipality=self.instance.municipality, org_number=number
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("%(name)s already has this organisation number.") % {"name": taken.first().name}
            )
        return number


class OrganisationContactForm(CrispyModelForm):
    """What an organisation's own representative may keep up to date."""

    collects_personal_data = True

    class Meta:
        model = Organisation
        fields = ["street_address", "postal_code", "city", "email", "phone", "website"]


class ContactPersonForm(CrispyModelForm):
    collects_personal_data = True

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone", "legal_basis", "is_protected"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.allows(user, "set_legal_basis"):
            del self.fields["legal_basis"]  # the municipality's decision, not the organisation's


class PartnershipForm(CrispyModelForm):
    class Meta:
        model = Partnership
        fields = [
            "title",
            "case_number",
            "parties",
            "decided_by",
            "run_by",
            "purpose",
            "activities",
            "start_date",
            "end_date",
            "yearly_compensation",
            "notice_period_months",
            "extension_option",
            "extension_terms",
            "municipality_contribution",
            "organisation_contribution",
            "state_aid",
            "renews",
            "next_follow_up_on",
        ]
        widgets = {
            "parties": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "municipality_contribution": forms.Textarea(attrs={"rows": 2}),
            "organisation_contribution": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "parties": {"required": _("Choose at least one organisation as a party.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(user)
        municipality_id = (
            self.instance.run_by.municipality_id
            if self.instance.run_by_id
            else scope.municipality_id
        )
        self.municipality_id = municipality_id
        bodies = Body.objects.filter(municipality_id=municipality_id)
        parties = self.instance.parties.values_list("pk", flat=True) if self.instance.pk else ()
        self.fields["parties"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id
        ).choosable(parties)
        self.fields["decided_by"].queryset = bodies.filter(kind=Body.Kind.COMMITTEE)
        self.fields["run_by"].queryset = bodies.filter(
            Q(pk__in=Body.objects.kept_by(user)) | Q(pk=self.instance.run_by_id),
            kind=Body.Kind.ADMINISTRATION,
        )
        if not self.instance.pk and len(scope.administration_ids) == 1:
            self.initial.setdefault("run_by", next(iter(scope.administration_ids)))
            if len(scope.served_committee_ids) == 1:
                self.initial.setdefault("decided_by", next(iter(scope.served_committee_ids)))
        self.fields["renews"].queryset = Partnership.objects.filter(
            run_by__municipality_id=municipality_id
        ).exclude(pk=self.instance.pk)
        self.fields["yearly_compensation"].min_value = 0
        self.fields["parties"].help_text = _("Tick every organisation that is a party.")
        self.helper.layout = checkbox_layout(self.fields, "parties")


class FollowUpForm(CrispyModelForm):
    """A held follow-up, and when the next one is planned (saved on the agreement)."""

    plan_next = date_fields.DateField(
        label=_("Next follow-up planned"),
        required=False,
        help_text=_("When the parties meet next to follow up; shown on the agreement."),
    )

    class Meta:
        model = FollowUp
        fields = ["date", "year", "assessment", "summary", "next_steps"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        if not self.is_bound and not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("date", max(today, partnership.start_date))
            self.initial.setdefault("year", self.default_year(partnership, today))
            planned = partnership.next_follow_up_on
            self.initial.setdefault("plan_next", planned if planned and planned > today else None)

    @staticmethod
    def default_year(partnership, today):
        """The first year of the agreement not yet followed up, up to last year (or this
        year, for an agreement that began this year): always inside the period."""
        taken = set(partnership.follow_ups.values_list("year", flat=True))
        last = max(min(today.year - 1, partnership.end_date.year), partnership.start_date.year)
        for year in range(partnership.start_date.year, last + 1):
            if year not in taken:
                return year
        return min(last + 1, partnership.end_date.year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if (
            FollowUp.objects.filter(partnership=self.instance.partnership, year=year)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(_("This agreement already has a follow-up for that year."))
        return year

    def clean(self):
        cleaned = super().clean()
        planned = cleaned.get("plan_next")
        partnership = self.instance.partnership
        if planned is not None:
            if cleaned.get("date") and planned <= cleaned["date"]:
                self.add_error("plan_next", _("The next follow-up comes after this one."))
            elif problem := partnership.follow_up_plan_problem(planned):
                self.add_error("plan_next", problem)
        return cleaned

    def save(self, commit=True):
        """The follow-up and the agreement's next planned date, together or not at all. A
        plan this follow-up has now held is cleared unless a new date is given."""
        with transaction.atomic():
            follow_up = super().save(commit=commit)
            partnership = Partnership.objects.select_for_update().get(pk=follow_up.partnership_id)
            planned = self.cleaned_data.get("plan_next")
            held = partnership.next_follow_up_on and partnership.next_follow_up_on <= follow_up.date
            if planned is not None or held:
                partnership.next_follow_up_on = planned
                partnership.save(update_fields=["next_follow_up_on"])
        return follow_up
