from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipality.forms import SafeModelForm
from municipality.login import AdminLoginForm
from municipality.models import Body, Membership, Municipality, User

admin.site.site_header = _("Samverkansregistret – administration")
admin.site.site_title = _("Samverkansregistret")
admin.site.index_title = _("Administration")
# Says so when django-axes has locked a login out (unlocking: Axes › Access attempts).
admin.site.login_form = AdminLoginForm


class SafeAdmin:
    """Admin pages hold to the input layer as the service's own forms do."""

    form = SafeModelForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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
    list_display = ["username", "first_name", "last_name", "role", "municipality", "is_active"]
    list_filter = ["role", "municipality", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role in the register"), {"fields": ("role", "municipality")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the register"), {"fields": ("role", "municipality")}),
    )
    inlines = [MembershipInline]
