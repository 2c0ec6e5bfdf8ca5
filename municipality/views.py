from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from municipality import access
from municipality.models import Body, Membership


def home(request):
    """The start page: who you are in the register and where you belong."""
    memberships = request.user.memberships.select_related("body").order_by("body__name")
    return render(request, "municipality/home.html", {"memberships": memberships})


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
    return render(
        request, "municipality/body_detail.html", {"body": body, "show_members": show_members}
    )
