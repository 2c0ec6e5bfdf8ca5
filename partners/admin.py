from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from municipality.admin import ArchiveAdmin
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


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["user"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ArchiveAdmin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "org_number", "legal_form", "municipality", "is_active"]
    list_filter = ["municipality", "legal_form", "is_active"]
    search_fields = ["name", "org_number"]
    filter_horizontal = ["target_groups", "areas"]
    inlines = [RepresentativeInline, ContactPersonInline]


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(ArchiveAdmin, SimpleHistoryAdmin):
    list_display = ["title", "run_by", "start_date", "end_date", "yearly_compensation"]
    list_filter = ["run_by__municipality", "run_by"]
    search_fields = ["title", "case_number"]
    filter_horizontal = ["parties"]
    inlines = [FollowUpInline]
