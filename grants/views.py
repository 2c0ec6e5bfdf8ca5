import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Sum
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import exports as grant_exports
from grants import lists_export as grants_lists_export
from grants import payments
from grants.forms import (
    AccountChangeForm,
    GrantForm,
    LevelForm,
    PaymentForm,
    ReportForm,
    ReversalForm,
    SchemeForm,
    WorkbookForm,
)
from grants.models import (
    AccountChange,
    Grant,
    GrantLevel,
    GrantReport,
    GrantScheme,
    Payment,
    PaymentAccount,
    default_report_due,
)
from grants.tables import GrantTable
from municipality import access, exports, history, inputs, list_exports, lists
from municipality.models import Body
from municipality.money import format_kronor
from partners.models import Organisation

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form_page(request, form, heading, cancel_url, **context):
    return render(
        request,
        "form_page.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, **context},
    )


def filtered(request):
    return grant_exports.grant_filter(request.user, request.GET)


# Grants ---------------------------------------------------------------------------------


def grant_list(request):
    filterset = filtered(request)
    grants = filterset.qs
    totals = grants.totals()
    year = grant_exports.chosen_year(filterset)
    period = grant_exports.default_period(year)
    table = GrantTable(grants)
    lists.configure(request, table, PER_PAGE, filterset=filterset, empty=_("No grants yet."))
    return render(
        request,
        "grants/grant_list.html",
        {
            "filter": filterset,
            "table": table,
            "totals": totals,
            "can": access.answers(
                request.user,
                "create_grant",
                "download_grant_workbook",
                "read_municipality_reports",
            ),
            "direct_max": settings.EXPORT_DIRECT_MAX_GRANTS,
            "workbook_form": WorkbookForm(
                initial={"changes_from": period[0], "changes_to": period[1]}
            ),
            "workbook_period": period,
            "workbook_year": year,
        },
    )


@require_http_methods(["GET", "POST"])
def grant_export(request):
    """The list's filter as .xlsx, one row per grant (a large one prepared in the
    background); the auditor's workbook is `grant_workbook`."""
    return list_exports.respond(request, grants_lists_export.GRANTS)


def grant_detail(request, pk):
    user = request.user
    grant = get_object_or_404(
        Grant.objects.visible_to(user)
        .select_related("organisation", "scheme", "scheme__committee")
        .with_figures(),
        pk=pk,
    )
    report = GrantReport.objects.filter(grant=grant).first()
    context = {
        "grant": grant,
        "payments": grant.payments.select_related("reverses").annotate(
            is_reversed=Exists(Payment.objects.filter(reverses=OuterRef("pk")))
        ),
        "report": report,
        "report_overdue": report is not None and report.is_overdue_on(),
        "can": access.answers(user, change_grant=grant),
        "show_accounts": access.allows(user, "see_payment_account", grant.organisation),
        "history": None,
    }
    if context["show_accounts"]:
        context["pending_account"] = grant.organisation.account_changes.pending().first()
    if access.allows(user, "read_history"):
        # The grant's page names the grant as it is now; what it refers to is known.
        known = [grant, grant.organisation, grant.scheme]
        entries = history.entries(
            Grant.history.filter(id=grant.pk), title=lambda r: str(grant), known=known
        )
        entries += history.entries(
            Payment.history.filter(grant_id=grant.pk), title=lambda r: _("Payment"), known=known
        )
        entries += history.entries(
            GrantReport.history.filter(grant_id=grant.pk),
            title=lambda r: _("Report back"),
            known=known,
        )
        context["history"] = sorted(entries, key=lambda entry: entry.when, reverse=True)
    return render(request, "grants/grant_detail.html", context)


def grant_create(request):
    access.require(request.user, "create_grant")
    initial = {
        "year": timezone.localdate().year,
        "organisation": inputs.id_param(request.GET, "organisation"),
    }
    form = GrantForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        form.instance.created_by = request.user
        grant = form.save()
        messages.success(request, _("The grant was saved."))
        return redirect(grant)
    return form_page(request, form, _("New grant"), reverse("grant_list"))


def grant_update(request, pk):
    grant = Grant.objects.for_change(request.user, pk=pk)
    form = GrantForm(request.POST or None, instance=grant, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The grant was saved."))
        return redirect(grant)
    return form_page(
        request, form, _("Edit %(grant)s") % {"grant": grant}, grant.get_absolute_url()
    )


def payment_create(request, pk):
    """Record a payment under a lock on the grant: the check against the amount granted
    runs inside the lock, and the form's token makes a double click one payment."""
    grant = Grant.objects.select_related("organisation").for_change(request.user, pk=pk)
    if request.method != "POST":
        form = PaymentForm(grant=grant)
    else:
        paid = payments.pay(grant.pk, request.POST, user=request.user)
        form = paid.form
        if paid.payment is not None or paid.again:
            if paid.again:
                messages.info(request, _("This payment was already recorded; nothing was added."))
            else:
                messages.success(request, _("The payment was recorded."))
            return redirect(grant)
    return form_page(
        request, form, _("Payment of %(grant)s") % {"grant": grant}, grant.get_absolute_url()
    )


def payment_reverse(request, pk):
    """Take a wrong payment back with a reversing entry; payments are never deleted."""
    payment = get_object_or_404(
        Payment.objects.select_related("grant").filter(
            grant__in=Grant.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    grant = payment.grant
    access.require(request.user, "change_grant", grant)
    form = ReversalForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if form.is_valid():
        reversal = payments.reverse_payment(
            payment,
            paid_on=form.cleaned_data["paid_on"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        if reversal is None:
            messages.error(request, _("This payment cannot be reversed (again)."))
        else:
            messages.success(request, _("The payment was reversed."))
        return redirect(grant)
    return form_page(
        request,
        form,
        _("Reverse the payment of %(amount)s on %(date)s")
        % {"amount": format_kronor(payment.amount), "date": payment.paid_on.isoformat()},
        grant.get_absolute_url(),
    )


def report_edit(request, pk):
    grant = Grant.objects.for_change(request.user, pk=pk)
    report = GrantReport.objects.filter(grant=grant).first()
    initial = {} if report else {"due_on": default_report_due(grant.year)}
    form = ReportForm(request.POST or None, instance=report, grant=grant, initial=initial)
    if form.is_valid():
        form.save()
        messages.success(request, _("The report back was saved."))
        return redirect(grant)
    return form_page(
        request, form, _("Report back on %(grant)s") % {"grant": grant}, grant.get_absolute_url()
    )


def grant_workbook(request):
    """The auditor's workbook for the list's filter. A selection of at most
    EXPORT_DIRECT_MAX_GRANTS grants is written to a temporary file and streamed at once;
    a larger one is prepared in the background (grants.exports), where the user follows
    its progress: asked for by POST, or offered so by a GET."""
    access.require(request.user, "download_grant_workbook")
    data = request.POST if request.method == "POST" else request.GET
    filterset = grant_exports.grant_filter(request.user, data)
    if filterset.qs.count() > settings.EXPORT_DIRECT_MAX_GRANTS:
        if request.method != "POST":
            return render(
                request,
                "grants/workbook_background.html",
                {"query": QueryDict(grant_exports.query_of(data)), "count": filterset.qs.count()},
            )
        export = exports.start(
            request.user,
            grant_exports.KIND,
            {"query": grant_exports.query_of(data)},
            filterset.chosen(),
        )
        return redirect("export_detail", export.pk)
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    name, _seed = grant_exports.write(request.user, data, output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


def delegation_list(request):
    """Grants decided by delegation, per committee and period, to report (anmäla) at the
    committee's next meeting."""
    scope = access.scope_for(request.user)
    access.require(request.user, "read_municipality_reports")
    committees = Body.objects.visible_to(request.user).filter(kind=Body.Kind.COMMITTEE)
    today = timezone.localdate()
    committee_id = inputs.int_param(request.GET, "committee")
    committee = committees.filter(pk=committee_id).first() if committee_id else None
    if committee is None:
        own = committees.filter(pk__in=scope.committee_ids | scope.served_committee_ids)
        committee = own.first() or committees.first()
    start = inputs.date_param(request.GET, "from", today.replace(day=1))
    end = inputs.date_param(request.GET, "to", today)
    grants = (
        Grant.objects.visible_to(request.user)
        .filter(
            decided_by=Grant.DecidedBy.DELEGATE,
            scheme__committee=committee,
            decision_date__range=(start, end),
        )
        .select_related("organisation", "scheme")
        .order_by("decision_date", "pk")
    )
    return render(
        request,
        "grants/delegation_list.html",
        {
            "committees": committees,
            "committee": committee,
            "start": start,
            "end": end,
            "grants": grants,
            "total": grants.aggregate(total=Sum("granted_amount"))["total"] or 0,
        },
    )


# Schemes and levels ---------------------------------------------------------------------


def scheme_list(request):
    """Schemes against years: the level of each, so a raise shows at a glance."""
    schemes = list(
        GrantScheme.objects.visible_to(request.user)
        .select_related("committee")
        .prefetch_related("levels")
        .order_by("committee__name", "name")
    )
    years = sorted({level.year for scheme in schemes for level in scheme.levels.all()})
    rows = []
    for scheme in schemes:
        by_year = {level.year: level for level in scheme.levels.all()}
        cells, previous = [], None
        for year in years:
            level = by_year.get(year)
            raised = level is not None and previous is not None and level.amount > previous
            cells.append((level, raised))
            previous = level.amount if level else previous
        rows.append((scheme, cells))
    return render(
        request,
        "grants/scheme_list.html",
        {
            "rows": rows,
            "years": years,
            "can": access.answers(request.user, "create_grant_scheme"),
            "editable": set(
                GrantScheme.objects.editable_by(request.user).values_list("pk", flat=True)
            ),
        },
    )


def scheme_create(request):
    access.require(request.user, "create_grant_scheme")
    form = SchemeForm(request.POST or None, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The grant scheme was saved."))
        return redirect("scheme_list")
    return form_page(request, form, _("New grant scheme"), reverse("scheme_list"))


def scheme_update(request, pk):
    scheme = GrantScheme.objects.for_change(request.user, pk=pk)
    form = SchemeForm(request.POST or None, instance=scheme, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The grant scheme was saved."))
        return redirect("scheme_list")
    return form_page(
        request, form, _("Edit %(scheme)s") % {"scheme": scheme}, reverse("scheme_list")
    )


def level_edit(request, pk, year=None):
    scheme = GrantScheme.objects.for_change(request.user, pk=pk)
    level = GrantLevel.objects.filter(scheme=scheme, year=year).first() if year else None
    initial = {} if level else {"year": timezone.localdate().year + 1}
    form = LevelForm(request.POST or None, instance=level, scheme=scheme, initial=initial)
    if form.is_valid():
        form.save()
        messages.success(request, _("The level was saved."))
        return redirect("scheme_list")
    return form_page(
        request, form, _("Level of %(scheme)s") % {"scheme": scheme}, reverse("scheme_list")
    )


# Payment accounts -----------------------------------------------------------------------


def account_edit(request, pk):
    """Enter (staff) or propose (representatives) a new payment account. It takes effect
    only when a second authorised person confirms it; one change waits at a time."""
    user = request.user
    organisation = get_object_or_404(Organisation.objects.visible_to(user), pk=pk)
    may_propose = access.allows(user, "propose_payment_account", organisation)
    see_account = access.allows(user, "see_payment_account", organisation)
    if not (may_propose or see_account):
        raise PermissionDenied
    if request.method == "POST" and not may_propose:
        raise PermissionDenied
    pending = organisation.account_changes.pending().select_related("entered_by").first()
    form = None
    if pending is None and may_propose:
        form = AccountChangeForm(request.POST or None, organisation=organisation)
        if form.is_valid():
            if payments.propose_account_change(form, user=user) is None:
                messages.error(request, _("Another change was entered at the same time."))
                return redirect("account_edit", organisation.pk)
            messages.success(
                request,
                _("The new account was saved. It applies once a colleague has confirmed it."),
            )
            return redirect(organisation)
    elif request.method == "POST":
        messages.error(request, _("A change is already waiting for confirmation."))
    return render(
        request,
        "grants/account_change.html",
        {
            "organisation": organisation,
            "form": form,
            "pending": pending,
            "account": organisation_account(organisation) if see_account else None,
            "see_account": see_account,
            "can": access.answers(
                user,
                change_payment_account=organisation,
                confirm_payment_account=pending,
                withdraw_payment_account_change=pending,
            ),
            "heading": _("Payment account of %(organisation)s") % {"organisation": organisation},
            "cancel_url": organisation.get_absolute_url(),
        },
    )


@require_POST
def account_decide(request, pk):
    """Confirm or reject a pending account change."""
    user = request.user
    change = get_object_or_404(
        AccountChange.objects.select_related("organisation").filter(
            organisation__in=Organisation.objects.visible_to(user)
        ),
        pk=pk,
    )
    if request.POST.get("decision") == "confirm":
        access.require(user, "confirm_payment_account", change)
        done = change.confirm(user)
        message = _("The new payment account is confirmed and in force.")
    else:
        access.require(user, "withdraw_payment_account_change", change)
        done = change.reject(user)
        message = _("The account change was rejected; the earlier account still applies.")
    if done:
        messages.success(request, message)
    else:
        messages.error(request, _("The change had already been decided."))
    return redirect(change.organisation)


def organisation_account(organisation):
    return PaymentAccount.objects.filter(organisation=organisation).first()
