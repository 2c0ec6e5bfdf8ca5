from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from dialogues.models import Forum, Observation, owned_by
from municipality import access
from municipality.models import Body, Membership, Role

ROLE_SUMMARY = {
    Role.CIVIL_SERVANT: _(
        "Keep the organisations, IOP agreements, grants and dialogue forums of your "
        "administration and the committees it serves, and log meetings and what was raised "
        "in them."
    ),
    Role.ELECTED: _(
        "See your committee's dialogue forums, schedule its theme days and read the "
        "observations forwarded to it."
    ),
    Role.REPRESENTATIVE: _(
        "See the meetings, forums, agreements and grants of your own organisation, and get "
        "meetings into your calendar."
    ),
    Role.AUDITOR: _(
        "Read grants and IOP agreements with their change history, and download grant "
        "workbooks. Nothing can be changed from this role."
    ),
    Role.ADMIN: _(
        "Manage municipalities, committees, administrations, users and roles in the "
        "administration pages."
    ),
}


def home(request):
    """The start page: who you are in the register and where you belong."""
    memberships = request.user.memberships.select_related("body").order_by("body__name")
    return render(
        request,
        "municipality/home.html",
        {
            "memberships": memberships,
            "role_summary": ROLE_SUMMARY.get(request.user.role, ""),
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
