from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import Forum, Observation, owned_by
from municipality import access, invitations, lists, user_roles
from municipality.filters import UserFilter
from municipality.models import Body, Membership
from municipality.tables import UserTable

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request):
    """The start page: who you are in the register and where you belong."""
    memberships = request.user.memberships.select_related("body").order_by("body__name")
    return render(
        request,
        "municipality/home.html",
        {
            "memberships": memberships,
            "may_administer": access.allows(request.user, "administer"),
        },
    )


def body_list(request):
    bodies = (
        Body.objects.visible_to(request.user)
        .select_related("municipality")
        .prefetch_related("serves", "administrations")
    )
    return render(request, "municipality/body_list.html", {"bodies": bodies})


def body_detail(request, pk):
    body = get_object_or_404(
        Body.objects.visible_to(request.user)
        .select_related("municipality")
        .prefetch_related(
            "serves",
            "administrations",
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        ),
        pk=pk,
    )
    show_members = not access.scope_for(request.user).is_representative
    observations = Observation.objects.visible_to(request.user).filter(forwarded_to=body)
    context = {
        "body": body,
        "show_members": show_members,
        "forums": Forum.objects.visible_to(request.user).filter(owned_by([body.pk])),
        "open_observations": observations.exclude(status=Observation.Status.HANDLED).count(),
        "overdue_observations": observations.overdue().count(),
    }
    return render(request, "municipality/body_detail.html", context)


class InvitationConfirmView(PasswordResetConfirmView):
    """The invitation's link: choose a password, and be logged in with it."""

    token_generator = invitations.tokens
    template_name = "registration/invitation_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is saved. Welcome to the register!"))
        return response


def user_list(request):
    """Användare och roller: who holds which role, where, for administrators."""
    access.require(request.user, "see_users_and_roles")
    filterset = UserFilter(request.GET, queryset=user_roles.for_table())
    table = UserTable(filterset.qs)
    lists.configure(request, table, PER_PAGE)
    return render(request, "municipality/user_list.html", {"filter": filterset, "table": table})


def user_workbook(request):
    access.require(request.user, "see_users_and_roles")
    filterset = UserFilter(request.GET, queryset=user_roles.for_table())
    response = HttpResponse(user_roles.workbook(filterset.qs), content_type=XLSX)
    filename = f"anvandare-och-roller-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
