from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipality import invitations, personal_data
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


class UserInvitationForm(AdminUserCreationForm):
    """A new user in one form: who they are, their role and where they work. Without a
    password they are invited by e-mail to choose their own (municipality.invitations)."""

    usable_password = forms.ChoiceField(
        label=_("Password"),
        required=False,
        initial="false",
        choices={
            "false": _("Send an invitation by e-mail: the user chooses a password"),
            "true": _("Set a password now"),
        },
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "municipality")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True


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
    add_form = UserInvitationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email"),
            },
        ),
        (_("Role in the register"), {"fields": ("role", "municipality")}),
        (_("Password"), {"fields": ("usable_password", "password1", "password2")}),
    )
    # Both follow the role (User.save): only an Administratör opens this site.
    readonly_fields = ["is_staff", "is_superuser"]
    inlines = [MembershipInline]
    actions = ["send_invitation_again", "anonymise_selected"]

    def response_add(self, request, obj, post_url_continue=None):
        """A user created without a password is invited at once."""
        if invitations.may_invite(obj):
            self._invite(request, [obj])
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Send the invitation again"))
    def send_invitation_again(self, request, queryset):
        invited = [user for user in queryset if invitations.may_invite(user)]
        skipped = len(queryset) - len(invited)
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d of the selected users was not invited: only active users "
                    "with an e-mail address who have not chosen a password yet are. The "
                    "others can use “Forgotten your password?”.",
                    "%(count)d of the selected users were not invited: only active users "
                    "with an e-mail address who have not chosen a password yet are. The "
                    "others can use “Forgotten your password?”.",
                    skipped,
                )
                % {"count": skipped},
            )
        self._invite(request, invited)

    def _invite(self, request, users):
        sent = 0
        for user in users:
            if invitations.send(request, user):
                sent += 1
            else:
                messages.error(
                    request,
                    _(
                        "The invitation to %(user)s could not be sent; the mail server did "
                        "not take it. Try again later with “Send the invitation again”."
                    )
                    % {"user": user.get_username()},
                )
        if sent:
            messages.success(
                request,
                ngettext(
                    "An invitation was sent to %(count)d user.",
                    "An invitation was sent to %(count)d users.",
                    sent,
                )
                % {"count": sent},
            )

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
