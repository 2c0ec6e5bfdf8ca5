from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from dialogues.models import Forum, Observation, owned_by
from municipality import access
from municipality.models import Body, Membership


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
