from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipality import access
from municipality.admin import (
    ArchiveAdmin,
    ChoiceLabels,
    SwedishDates,
    add_user_inline,
    offer_only,
)
from partners.models import (
    Area,
    ContactPerson,
    FollowUp,
    Organisation,
    Partnership,
    Representative,
    TargetGroup,
)


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


# A representative is a user of that role; a new representation is of a current organisation.
offer_only(Representative, "user", access.speaking_for_organisations())
offer_only(Representative, "organisation", Q(archived_at__isnull=True))


class RepresentativeInline(SwedishDates, ChoiceLabels, admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user__municipality")


class RepresentationForm(forms.ModelForm):
    """On a user's page the user is the page itself, so what the rules say about the user
    (their role, their municipality) is shown on the row rather than on its hidden link."""

    def full_clean(self):
        super().full_clean()
        if self._errors and "user" in self._errors:
            moved = self._errors.pop("user")
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
            self._errors[NON_FIELD_ERRORS].extend(moved)


class RepresentationInline(SwedishDates, ChoiceLabels, admin.TabularInline):
    """The organisations a user represents, on the user's page (municipality.admin)."""

    model = Representative
    form = RepresentationForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    verbose_name = _("representation")
    verbose_name_plural = _("represents organisations")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation__municipality")


add_user_inline(RepresentationInline)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ArchiveAdmin, SimpleHistoryAdmin):
    choice_related = ["municipality"]
    list_display = ["name", "org_number", "legal_form", "municipality", "is_active"]
    list_filter = ["municipality", "legal_form", "is_active"]
    search_fields = ["name", "org_number"]
    filter_horizontal = ["target_groups", "areas"]
    inlines = [RepresentativeInline, ContactPersonInline]

    @staticmethod
    def choice_label(organisation):
        facts = [organisation.org_number, str(organisation.municipality)]
        return f"{organisation.name} ({', '.join(fact for fact in facts if fact)})"


class FollowUpInline(SwedishDates, admin.StackedInline):
    model = FollowUp
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(ArchiveAdmin, SimpleHistoryAdmin):
    list_display = ["title", "run_by", "start_date", "end_date", "yearly_compensation"]
    list_filter = ["run_by__municipality", "run_by"]
    search_fields = ["title", "case_number"]
    filter_horizontal = ["parties"]
    inlines = [FollowUpInline]
