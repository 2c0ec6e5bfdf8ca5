from django.shortcuts import render

from municipality import access, founding
from overview import start as start_page


def start(request):
    """The start page: what needs the user now, and what is coming, for their role."""
    user = request.user
    may_administer = access.allows(user, "administer")
    context = {
        "memberships": user.memberships.select_related("body").order_by("body__name"),
        "may_administer": may_administer,
        "first_steps": founding.first_steps() if may_administer else None,
        **start_page.sections_for(user),
    }
    return render(request, "overview/start.html", context)
