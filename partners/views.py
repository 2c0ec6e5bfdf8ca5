from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.models import Forum, Meeting, Observation
from grants.models import Grant, PaymentAccount
from municipality import access, archive, history, lists, personal_data
from partners import protection
from partners.filters import OrganisationFilter, PartnershipFilter
from partners.forms import (
    ContactPersonForm,
    FollowUpForm,
    OrganisationContactForm,
    OrganisationForm,
    PartnershipForm,
)
from partners.models import ContactPerson, Organisation, Partnership, Representative
from partners.tables import OrganisationTable, PartnershipTable

PER_PAGE = 25


def form_page(request, template, form, heading, cancel_url, **context):
    return render(
        request,
        f"partners/{template}.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, **context},
    )


def organisation_list(request):
    scope = access.scope_for(request.user)
    organisations = Organisation.objects.visible_to(request.user).prefetch_related(
        "target_groups", "areas"
    )
    filterset = OrganisationFilter(
        request.GET, queryset=organisations, municipality_id=scope.municipality_id
    )
    table = OrganisationTable(filterset.qs)
    lists.configure(request, table, PER_PAGE)
    return render(
        request,
        "partners/organisation_list.html",
        {
            "filter": filterset,
            "table": table,
            "may_create": access.allows(request.user, "create_organisation"),
        },
    )


@require_POST
def organisation_archive(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "archive_organisation", organisation)
    return archive.toggle(request, organisation)


def organisation_detail(request, pk):
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
    forums = Forum.objects.visible_to(user).filter(members=organisation).select_related("owner")
    attended = (
        Meeting.objects.visible_to(user)
        .filter(invitations__organisation=organisation, invitations__attended=True)
        .select_related("forum")
        .order_by("-start")[:20]
    )
    raised = (
        Observation.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("meeting", "forwarded_to")
        .order_by("-meeting__start")[:20]
    )
    show_contacts = access.allows(user, "see_contact_persons", organisation)
    grants = (
        Grant.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("scheme")
        .with_figures()
        .order_by("-year", "scheme__name")
    )
    context = {
        "organisation": organisation,
        "partnerships": partnerships,
        "grants": grants,
        "forums": forums,
        "attended": attended,
        "raised": raised,
        "contacts": contacts,
        "show_contacts": show_contacts,
        "may_edit": access.allows(user, "change_organisation", organisation),
        "may_read_notes": access.allows(user, "read_organisation_notes", organisation),
        "may_edit_contacts": access.allows(user, "change_organisation_contacts", organisation),
        # One answer for all: the organisation's contact persons share one scope.
        "may_extract_contacts": access.allows(user, "extract_contact_data", contacts.first()),
        "may_propose_account": access.allows(user, "propose_payment_account", organisation),
        "history": None,
    }
    if access.allows(user, "see_payment_account", organisation):
        context["account"] = PaymentAccount.objects.filter(organisation=organisation).first()
    if "account" in context or context["may_propose_account"]:
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
    return render(request, "partners/organisation_detail.html", context)


def organisation_create(request):
    access.require(request.user, "create_organisation")
    form = OrganisationForm(request.POST or None, municipality=request.user.municipality)
    if form.is_valid():
        try:
            with transaction.atomic():
                organisation = form.save()
        except IntegrityError:
            # Someone registered the same organisationsnummer a moment ago.
            form.add_error("org_number", _("This organisation number was registered just now."))
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("organisation_detail", organisation.pk)
    return form_page(
        request, "organisation_form", form, _("New organisation"), reverse("organisation_list")
    )


def organisation_update(request, pk):
    user = request.user
    organisation = Organisation.objects.for_change(user, pk=pk, editable="contact_editable_by")
    if not access.allows(user, "change_organisation", organisation):
        form = OrganisationContactForm(request.POST or None, instance=organisation)
    else:
        form = OrganisationForm(
            request.POST or None, instance=organisation, municipality=organisation.municipality
        )
    if form.is_valid():
        form.save()
        messages.success(request, _("The organisation was saved."))
        return redirect("organisation_detail", organisation.pk)
    return form_page(
        request,
        "organisation_form",
        form,
        _("Edit %(name)s") % {"name": organisation.name},
        organisation.get_absolute_url(),
    )


def contact_create(request, pk):
    organisation = Organisation.objects.for_change(
        request.user, pk=pk, editable="contact_editable_by"
    )
    form = ContactPersonForm(request.POST or None, user=request.user)
    if form.is_valid():
        form.instance.organisation = organisation
        form.save()
        messages.success(request, _("The contact person was saved."))
        return redirect("organisation_detail", organisation.pk)
    return form_page(
        request,
        "contact_form",
        form,
        _("Add contact person"),
        organisation.get_absolute_url(),
        organisation=organisation,
    )


def contact_update(request, pk):
    contact = ContactPerson.objects.select_related("organisation").for_change(request.user, pk=pk)
    form = ContactPersonForm(request.POST or None, instance=contact, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The contact person was saved."))
        return redirect("organisation_detail", contact.organisation_id)
    return form_page(
        request,
        "contact_form",
        form,
        _("Edit contact person"),
        contact.organisation.get_absolute_url(),
        organisation=contact.organisation,
    )


def contact_delete(request, pk):
    contact = ContactPerson.objects.select_related("organisation").for_change(request.user, pk=pk)
    if request.method == "POST":
        organisation_id = contact.organisation_id
        contact.delete()
        messages.success(request, _("The contact person was removed, from the history too."))
        return redirect("organisation_detail", organisation_id)
    return render(request, "partners/contact_confirm_delete.html", {"contact": contact})


def contact_extract(request, pk):
    """Everything stored about a contact person (GDPR art. 15), page or JSON."""
    contact = get_object_or_404(ContactPerson.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "extract_contact_data", contact)
    sections = [
        personal_data.record_section(_("Contact person"), [contact]),
        personal_data.history_section(
            _("Earlier versions"), contact.history.select_related("history_user")
        ),
        personal_data.copies_section(contact.identifiers()),
    ]
    return personal_data.extract_response(request, "contact_person", contact, sections)


@require_POST
def partnership_archive(request, pk):
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "archive_partnership", partnership)
    return archive.toggle(request, partnership)


def partnership_list(request):
    scope = access.scope_for(request.user)
    partnerships = Partnership.objects.visible_to(request.user).for_table()
    filterset = PartnershipFilter(
        request.GET, queryset=partnerships, user=request.user, municipality_id=scope.municipality_id
    )
    table = PartnershipTable(filterset.qs, order_by=request.GET.get("sort", "-start_date"))
    lists.configure(request, table, PER_PAGE)
    return render(
        request,
        "partners/partnership_list.html",
        {
            "filter": filterset,
            "table": table,
            "may_create": access.allows(request.user, "create_partnership"),
        },
    )


def partnership_detail(request, pk):
    user = request.user
    partnership = get_object_or_404(
        Partnership.objects.visible_to(user)
        .select_related("decided_by", "run_by", "renews", "steering_group")
        .prefetch_related("parties", "follow_ups")
        .annotate(last_follow_up_year=Max("follow_ups__year")),
        pk=pk,
    )
    context = {
        "partnership": partnership,
        "chain": partnership.renewal_chain(),
        "may_edit": access.allows(user, "change_partnership", partnership),
        "visible_parties": access.visible_pks(user, partnership.parties.all()),
        "visible_forums": access.visible_pks(user, [partnership.steering_group]),
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
    return render(request, "partners/partnership_detail.html", context)


def partnership_create(request):
    access.require(request.user, "create_partnership")
    form = PartnershipForm(request.POST or None, user=request.user)
    if form.is_valid():
        partnership = form.save()
        messages.success(request, _("The agreement was saved."))
        return redirect("partnership_detail", partnership.pk)
    return form_page(
        request, "partnership_form", form, _("New agreement"), reverse("partnership_list")
    )


def partnership_update(request, pk):
    partnership = Partnership.objects.for_change(request.user, pk=pk)
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The agreement was saved."))
        return redirect("partnership_detail", partnership.pk)
    return form_page(
        request,
        "partnership_form",
        form,
        _("Edit %(title)s") % {"title": partnership.title},
        partnership.get_absolute_url(),
    )


def follow_up_create(request, pk):
    partnership = Partnership.objects.for_change(request.user, pk=pk)
    form = FollowUpForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        form.save()
        messages.success(request, _("The follow-up was saved."))
        return redirect("partnership_detail", partnership.pk)
    return form_page(
        request,
        "follow_up_form",
        form,
        _("New follow-up"),
        partnership.get_absolute_url(),
        partnership=partnership,
    )
