from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db import models
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipality import date_fields, invitations, personal_data
from municipality.forms import SafeModelForm
from municipality.inputs import local_next
from municipality.login import AdminLoginForm
from municipality.models import Body, Membership, Municipality, PrivacyNotice, User

admin.site.site_header = _("Samverkansregistret – administration")
admin.site.site_title = _("Samverkansregistret")
admin.site.index_title = _("Administration")
# Says so when django-axes has locked a login out (unlocking: Axes › Access attempts).
admin.site.login_form = AdminLoginForm
# Its login and logout read `next` themselves: they are given only a local path.
admin.site.login = local_next(admin.site.login, reverse_lazy("admin:index"))
admin.site.logout = local_next(admin.site.logout)


# (source model, field name) -> the condition on what that field's autocomplete offers:
# only what the model's rules let the field hold. Features add theirs (offer_only).
AUTOCOMPLETE_OFFERS = {}


def offer_only(model, field_name, condition):
    """Let the admin's autocomplete for `model.field_name` offer only records matching
    `condition` (a Q); the model's clean() still refuses the rest if they are posted."""
    AUTOCOMPLETE_OFFERS[model._meta.label_lower, field_name] = condition


class ChoiceAutocompleteView(AutocompleteJsonView):
    """The admin's autocompletes name each choice by what it is (role, kind, municipality:
    the target admin's `choice_label`), and offer only what the rules allow."""

    def get_queryset(self):
        queryset = super().get_queryset()
        source = self.source_field
        condition = AUTOCOMPLETE_OFFERS.get((source.model._meta.label_lower, source.name))
        if condition is not None:
            queryset = queryset.filter(condition)
        return queryset.select_related(*getattr(self.model_admin, "choice_related", ()))

    def serialize_result(self, obj, to_field_name):
        label = getattr(self.model_admin, "choice_label", str)
        return {"id": str(getattr(obj, to_field_name)), "text": label(obj)}


def autocomplete_view(request):
    return ChoiceAutocompleteView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = autocomplete_view


class ChoiceLabels:
    """An admin whose chosen records show as its autocompletes show them, so a choice made
    reads the same after saving."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        target = self.admin_site._registry.get(db_field.remote_field.model)
        label = getattr(target, "choice_label", None)
        if field is not None and label is not None:
            field.label_from_instance = label
        return field


class SwedishDates:
    """An admin page, or inline, whose dates and times are read as the service reads them
    (municipality.date_fields), under the admin's own calendar and clock."""

    formfield_overrides = date_fields.ADMIN_OVERRIDES


class SafeAdmin:
    """Admin pages hold to the input layer as the service's own forms do."""

    form = SafeModelForm
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        **date_fields.ADMIN_OVERRIDES,
    }


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
        municipality, kind = cleaned.get("municipality"), cleaned.get("kind")
        if municipality and kind:  # a cleared Kommun is the field's own error
            Body(municipality=municipality, kind=kind).clean_served(
                list(cleaned.get("serves") or [])
            )
        return cleaned


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    form = BodyAdminForm
    list_display = ["name", "short_name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "short_name", "municipality__name"]
    filter_horizontal = ["serves"]
    choice_related = ["municipality"]

    @staticmethod
    def choice_label(body):
        return f"{body.name} ({body.get_kind_display()}, {body.municipality})"


class MembershipInline(ChoiceLabels, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body__municipality")


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
class UserAdmin(SwedishDates, DjangoUserAdmin):
    search_fields = [*DjangoUserAdmin.search_fields, "municipality__name"]
    choice_related = ["municipality"]
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
    # Features add their own rows about a user (add_user_inline): partners, representations.
    inlines = [MembershipInline]
    actions = ["send_invitation_again", "anonymise_selected"]

    @staticmethod
    def choice_label(user):
        """ "Anna Ek (anna.ek) – Organisationsföreträdare, Malmö stad"."""
        name = user.get_full_name()
        who = f"{name} ({user.get_username()})" if name else user.get_username()
        where = f", {user.municipality}" if user.municipality_id else ""
        return f"{who} – {user.get_role_display()}{where}"

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


def add_user_inline(inline):
    """A feature shows its rows about a user on the user's admin page, validated against
    the role and municipality submitted with them, as memberships are."""
    UserAdmin.inlines = [*UserAdmin.inlines, inline]


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(SafeAdmin, admin.ModelAdmin):
    list_display = ["municipality", "controller"]
