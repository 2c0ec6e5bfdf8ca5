"""Pages that gather across the features.

Each feature offers queryset methods and a partial template for its section; these
views ask them and put the sections together, so no feature needs to know another.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dialogues.models import Forum, Meeting, Observation
from grants.models import Grant, PaymentAccount
from municipality import access, founding, history
from municipality.models import Body, Membership
from overview import start as start_page
from overview.forms import PartnershipForm
from partners import protection
from partners.models import ContactPerson, Organisation, Partnership, Representative
from partners.views import form_page

RECENT = 20


def start(request):
    """The start page: what needs the user now, and what is coming, for their role."""
    user = request.user
    may_administer = access.allows(user, "administer")
    context = {
        "memberships": user.memberships.select_related("body").order_by("body__name"),
        "can": {"administer": may_administer},
        "first_steps": founding.first_steps() if may_administer else None,
        **start_page.sections_for(user),
    }
    return render(request, "overview/start.html", context)


def body_detail(request, pk):
    """A nämnd or förvaltning: its place in the organisation, its forums and the issues
    forwarded to it."""
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
    observations = Observation.objects.visible_to(request.user).filter(forwarded_to=body)
    context = {
        "body": body,
        "show_members": access.allows(request.user, "see_body_members"),
        "forums": Forum.objects.visible_to(request.user).owned_by_body(body),
        "open_observations": observations.exclude(status=Observation.Status.HANDLED).count(),
        "overdue_observations": observations.overdue().count(),
    }
    return render(request, "overview/body_detail.html", context)


def organisation_detail(request, pk):
    """An organisation with its agreements, grants, forums, meetings and issues."""
    user = request.user
    organisation = get_object_or_404(
        Organisation.objects.visible_to(user).prefetch_related(
            "target_groups",
            "areas",
            Prefetch("representatives", queryset=Representative.objects.select_related("user")),
        ),
        pk=pk,
    )
    partnerships = (
        Partnership.objects.visible_to(user)
        .filter(parties=organisation)
        .for_table()
        .order_by("-start_date")
    )
    # Protected persons last, so not even their place in the alphabet tells their name.
    contacts = (
        ContactPerson.objects.visible_to(user)
        .filter(organisation=organisation)
        .order_by("is_protected", "name")
    )
    show_contacts = access.allows(user, "see_contact_persons", organisation)
    context = {
        "organisation": organisation,
        "partnerships": partnerships,
        "grants": Grant.objects.visible_to(user).of_organisation(organisation),
        "forums": Forum.objects.visible_to(user).with_member(organisation),
        "attended": Meeting.objects.visible_to(user).attended_by(organisation)[:RECENT],
        "raised": Observation.objects.visible_to(user).raised_by(organisation)[:RECENT],
        "contacts": contacts,
        "show_contacts": show_contacts,
        "can": access.answers(
            user,
            change_organisation=organisation,
            read_organisation_notes=organisation,
            change_organisation_contacts=organisation,
            # One answer for all: the organisation's contact persons share one scope.
            extract_contact_data=contacts.first(),
            propose_payment_account=organisation,
        ),
        "history": None,
    }
    if access.allows(user, "see_payment_account", organisation):
        context["account"] = PaymentAccount.objects.filter(organisation=organisation).first()
    if "account" in context or context["can"]["propose_payment_account"]:
        context["pending_account"] = organisation.account_changes.pending().first()
    if access.allows(user, "read_history"):
        entries = history.entries(Organisation.history.filter(id=organisation.pk))
        if show_contacts:
            # Contact persons are personal data: their history goes only where they do.
            entries += protection.contact_history(
                ContactPerson.history.filter(organisation_id=organisation.pk)
            )
        account_changes = history.entries(
            PaymentAccount.history.filter(organisation_id=organisation.pk),
            title=lambda record: _("Payment account"),
        )
        entries += account_changes
        context["history"] = sorted(entries, key=lambda entry: entry.when, reverse=True)
        # A changed account (not its first entry) is what an auditor looks at first.
        context["account_changed"] = next(
            (e for e in account_changes if any(c.old is not None for c in e.changes)), None
        )
    return render(request, "overview/organisation_detail.html", context)


def partnership_detail(request, pk):
    """An IOP agreement, with the forum that is its steering group."""
    user = request.user
    partnership = get_object_or_404(
        Partnership.objects.visible_to(user)
        .select_related("decided_by", "run_by", "renews")
        .prefetch_related("parties", "follow_ups")
        .annotate(last_follow_up_year=Max("follow_ups__year")),
        pk=pk,
    )
    steering_group = Forum.objects.steering(partnership)
    context = {
        "partnership": partnership,
        "steering_group": steering_group,
        "chain": partnership.renewal_chain(),
        "can": access.answers(user, change_partnership=partnership),
        "visible_parties": access.visible_pks(user, partnership.parties.all()),
        "visible_forums": access.visible_pks(user, [steering_group]),
        "history": None,
    }
    if access.allows(user, "read_history"):
        context["history"] = history.entries(
            Partnership.history.filter(id=partnership.pk)
        ) + history.entries(
            partnership.follow_ups.model.history.filter(partnership_id=partnership.pk),
            title=lambda record: _("Follow-up %(year)s") % {"year": record.year},
        )
        context["history"].sort(key=lambda entry: entry.when, reverse=True)
    return render(request, "overview/partnership_detail.html", context)


def saved(form):
    """The saved agreement, or None with the reason on the form."""
    try:
        return form.save()
    except ValidationError as error:
        form.add_error("steering_group", error)
        return None


def partnership_create(request):
    access.require(request.user, "create_partnership")
    form = PartnershipForm(request.POST or None, user=request.user)
    if form.is_valid() and (partnership := saved(form)):
        messages.success(request, _("The agreement was saved."))
        return redirect("partnership_detail", partnership.pk)
    return form_page(
        request, "partnership_form", form, _("New agreement"), reverse("partnership_list")
    )


def partnership_update(request, pk):
    partnership = Partnership.objects.for_change(request.user, pk=pk)
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    if form.is_valid() and saved(form):
        messages.success(request, _("The agreement was saved."))
        return redirect("partnership_detail", partnership.pk)
    return form_page(
        request,
        "partnership_form",
        form,
        _("Edit %(title)s") % {"title": partnership.title},
        partnership.get_absolute_url(),
    )
