from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from municipality import access, archive, list_exports, lists, personal_data
from partners import lists_export
from partners.forms import (
    ContactPersonForm,
    FollowUpForm,
    OrganisationContactForm,
    OrganisationForm,
)
from partners.models import ContactPerson, Organisation, Partnership
from partners.tables import OrganisationTable, PartnershipTable

PER_PAGE = 25


def form_page(request, template, form, heading, cancel_url, **context):
    return render(
        request,
        f"partners/{template}.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, **context},
    )


def organisation_list(request):
    filterset = lists_export.organisation_filter(request.user, request.GET)
    table = OrganisationTable(filterset.qs)
    lists.configure(request, table, PER_PAGE, filterset=filterset, empty=_("No organisations yet."))
    return render(
        request,
        "partners/organisation_list.html",
        {
            "filter": filterset,
            "table": table,
            "can": access.answers(request.user, "create_organisation"),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_export(request):
    """The list's filter as .xlsx (a large one prepared in the background)."""
    return list_exports.respond(request, lists_export.ORGANISATIONS)


@require_POST
def organisation_archive(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "archive_organisation", organisation)
    return archive.toggle(request, organisation)


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


@require_http_methods(["GET", "POST"])
def partnership_export(request):
    """The list's filter as .xlsx (a large one prepared in the background)."""
    return list_exports.respond(request, lists_export.PARTNERSHIPS)


@require_POST
def partnership_archive(request, pk):
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "archive_partnership", partnership)
    return archive.toggle(request, partnership)


def partnership_list(request):
    filterset = lists_export.partnership_filter(request.user, request.GET)
    table = PartnershipTable(filterset.qs, order_by=request.GET.get("sort", "-start_date"))
    lists.configure(request, table, PER_PAGE, filterset=filterset, empty=_("No agreements yet."))
    return render(
        request,
        "partners/partnership_list.html",
        {
            "filter": filterset,
            "table": table,
            "can": access.answers(request.user, "create_partnership"),
        },
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
