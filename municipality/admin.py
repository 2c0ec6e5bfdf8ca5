from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from municipality import personal_data
from municipality.forms import SafeModelForm
from municipality.login import AdminLoginForm
from municipality.models import Body, Membership, Municipality, PrivacyNotice, User

admin.site.site_header = _("Samverkansregistret – administration")
admin.site.site_title = _("Samverkansregistret")
admin.site.index_title = _("Administration")
# Says so when django-axes has locked a login out (unlocking: Axes › Access attempts).
admin.site.login_form = AdminLoginForm


class SafeAdmin:
    """Admin pages hold to the input layer as the service's own forms do."""

    form = SafeModelForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ArchivedListFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Not archived")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(archived_at__isnull=self.value() == "no")
        return queryset


class ArchiveAdmin(SafeAdmin):
    """Records with history are archived here as in the service (municipality.archive);
    deleting one that has history is refused by its protected relations."""

    actions = ["archive_selected", "restore_selected"]
    readonly_fields = ["archived_at", "archived_by"]

    def get_list_filter(self, request):
        return [ArchivedListFilter, *super().get_list_filter(request)]

    @admin.action(description=_("Archive the selected records"))
    def archive_selected(self, request, queryset):
        for obj in queryset.filter(archived_at__isnull=True):
            obj.archive(request.user)

    @admin.action(description=_("Restore the selected records"))
    def restore_selected(self, request, queryset):
        for obj in queryset.exclude(archived_at__isnull=True):
            obj.restore()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class BodyAdminForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["municipality", "name", "short_name", "kind", "serves"]

    def clean(self):
        cleaned = super().clean()
        body = Body(municipality=cleaned.get("municipality"), kind=cleaned.get("kind"))
        if body.municipality and body.kind:
            body.clean_served(list(cleaned.get("serves") or []))
        return cleaned


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    form = BodyAdminForm
    list_display = ["name", "short_name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["serves"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "municipality",
        "is_active",
        "extract_link",
    ]
    list_filter = ["role", "municipality", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role in the register"), {"fields": ("role", "municipality")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the register"), {"fields": ("role", "municipality")}),
    )
    # Both follow the role (User.save): only an Administratör opens this site.
    readonly_fields = ["is_staff", "is_superuser"]
    inlines = [MembershipInline]
    actions = ["anonymise_selected"]

    @admin.display(description=_("Register extract"))
    def extract_link(self, user):
        return format_html(
            '<a href="{}">{}</a>', reverse("user_extract", args=[user.pk]), _("Make")
        )

    @admin.action(description=_("Anonymise the selected users (GDPR removal)"))
    def anonymise_selected(self, request, queryset):
        for user in queryset.exclude(pk=request.user.pk):
            personal_data.anonymise_user(user)


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(SafeAdmin, admin.ModelAdmin):
    list_display = ["municipality", "controller"]
