import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from municipality import (
    access,
    exports,
    import_background,
    import_columns,
    invitations,
    lists,
    personal_data,
    register_import,
    tabular,
    user_import,
    user_roles,
)
from municipality.filters import UserFilter
from municipality.forms import ColumnMappingForm, RegisterImportForm, UserImportForm
from municipality.models import (
    Body,
    Export,
    PrivacyNotice,
    RegisterImport,
    RetentionRun,
    User,
    UserImport,
)
from municipality.tables import UserTable

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_list(request):
    bodies = (
        Body.objects.visible_to(request.user)
        .select_related("municipality")
        .prefetch_related("serves", "administrations")
    )
    return render(request, "municipality/body_list.html", {"bodies": bodies})


def user_extract(request, pk):
    """Everything stored about a user account (GDPR art. 15), page or JSON."""
    access.require(request.user, "extract_user_data")
    user = get_object_or_404(User, pk=pk)
    identifiers = {user.email, user.get_full_name(), user.username}
    sections = [
        personal_data.record_section(_("User account"), [user]),
        personal_data.links_section(user),
        personal_data.copies_section(identifiers),
    ]
    return personal_data.extract_response(request, "user", user, sections)


def processing_record(request):
    """The record of processing (GDPR art. 30), generated from the models' declarations."""
    access.require(request.user, "read_processing_record")
    return render(
        request,
        "municipality/processing_record.html",
        {"categories": personal_data.processing_record()},
    )


@login_not_required
def privacy_notice(request):
    """ "Så behandlar vi personuppgifter", open to anyone: the user's own municipality's
    notice, or every municipality's before login."""
    notices = PrivacyNotice.objects.select_related("municipality")
    if request.user.is_authenticated and request.user.municipality_id:
        notices = notices.filter(municipality_id=request.user.municipality_id)
    return render(
        request,
        "municipality/privacy_notice.html",
        {"notices": notices, "categories": personal_data.processing_record()},
    )


@login_not_required
def accessibility_statement(request):
    """The tillgänglighetsredogörelse the law (2018:1937) asks of every public web service:
    how accessible it is, how that was tested, and where to report a problem."""
    return render(
        request,
        "municipality/accessibility_statement.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )


def retention_log(request):
    """What the daily gallring thinned out: counts per kind, never the contents."""
    access.require(request.user, "read_retention_log")
    kinds = [(kind, label) for kind, (label, _step) in personal_data.RETENTION.items()]
    runs = [
        (run, [(label, run.counts[kind]) for kind, label in kinds if run.counts.get(kind)])
        for run in RetentionRun.objects.all()[:100]
    ]
    return render(
        request,
        "municipality/retention_log.html",
        {"runs": runs, "settings": personal_data.retention_settings()},
    )


@login_not_required
@require_safe
def favicon(request):
    """The icon, for those who ask for /favicon.ico rather than reading the page's link."""
    return redirect(static("favicon.svg"))  # not permanent: the name carries its hash


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests
def health(request):
    """For a load balancer's health check: "ok" while the database answers, 503 otherwise.

    Outside a request transaction, so that a database that is down gives 503, not 500.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent with a stale or missing CSRF token: say in Swedish what to do."""
    return render(request, "403_csrf.html", status=403)


def permission_denied(request, exception=None):
    """403: "you can see this but not change it" only when that is what happened."""
    read_only = isinstance(exception, access.ReadOnly)
    refused = exception if isinstance(exception, access.Refused) else None
    return render(request, "403.html", {"read_only": read_only, "refused": refused}, status=403)


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
    lists.configure(request, table, PER_PAGE, filterset=filterset, empty=_("No users yet."))
    return render(request, "municipality/user_list.html", {"filter": filterset, "table": table})


def user_workbook(request):
    access.require(request.user, "see_users_and_roles")
    filterset = UserFilter(request.GET, queryset=user_roles.for_table())
    response = HttpResponse(user_roles.workbook(filterset.qs), content_type=XLSX)
    filename = f"anvandare-och-roller-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def user_import_upload(request):
    """Invite users from a file, step 1: upload it (nothing is created yet)."""
    access.require(request.user, "invite_users_in_bulk")
    form = UserImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = user_import.upload(form.cleaned_data["file"], by=request.user)
        except tabular.FileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("user_import_columns", pk=record.pk)
    return render(
        request,
        "municipality/user_import.html",
        {"form": form, "columns": user_import.columns(), "max_rows": user_import.MAX_ROWS},
    )


def user_import_columns(request, pk):
    """Step 2: which column of the file is which field, as for the register's imports."""
    access.require(request.user, "invite_users_in_bulk")
    record = get_object_or_404(UserImport, pk=pk, made_by=request.user, imported_at__isnull=True)
    return import_columns_step(
        request,
        record,
        kind_name=user_import.KIND,
        columns=user_import.columns(),
        max_bytes=tabular.MAX_BYTES,
        upload_url=reverse("user_import"),
        back_label=_("Invite users from a file"),
        preview_url=reverse("user_import_preview", args=[record.pk]),
    )


@transaction.non_atomic_requests
def user_import_preview(request, pk):
    """Step 2: what the file would do, and its confirmation; then what was done. Outside
    the request's transaction, so the invitations go only once the users are committed."""
    access.require(request.user, "invite_users_in_bulk")
    record = get_object_or_404(UserImport, pk=pk, made_by=request.user)
    if record.imported_at is not None:
        return render(request, "municipality/user_import_done.html", done_context(record))
    if record.mapping is None:
        return redirect("user_import_columns", pk=record.pk)
    try:
        plan = user_import.plan(bytes(record.data), record.mapping) if record.is_intact else None
    except tabular.FileError:
        plan = None
    if plan is None:
        messages.error(
            request, _("The kept file has changed since it was uploaded: upload it again.")
        )
        return redirect("user_import")
    if request.method == "POST":
        try:
            record, users = user_import.confirm(
                record,
                digest=request.POST.get("digest", ""),
                fingerprint=request.POST.get("plan", ""),
            )
        except (user_import.Changed, IntegrityError):
            messages.error(
                request,
                _(
                    "Nothing was imported: the file or the register changed since the "
                    "preview. Check the preview below and confirm again."
                ),
            )
            return redirect("user_import_preview", pk=record.pk)
        user_import.invite(request, record, users)
        return redirect("user_import_preview", pk=record.pk)
    return render(
        request, "municipality/user_import_preview.html", {"record": record, "plan": plan}
    )


def done_context(record):
    users = {user.pk: user for user in User.objects.filter(pk__in=record.created)}
    created = [users[pk] for pk in record.created if pk in users]
    return {
        "record": record,
        "created": created,
        "not_invited": [user for user in created if user.pk in set(record.not_invited)],
    }


def user_import_template(request):
    access.require(request.user, "invite_users_in_bulk")
    response = HttpResponse(user_import.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="inbjudan-anvandare-mall.xlsx"'
    return response


# Exports prepared in the background (municipality.exports) --------------------------------


def _export_for(request, pk, **extra):
    """The user's own export, while they may still take it: 404 for anyone else."""
    export = get_object_or_404(Export.objects.without_file(), pk=pk, **extra)
    if not access.allows(request.user, "take_export", export):
        raise Http404
    return export


def export_list(request):
    """Mina uttag: every export the user asked for, with its filter, time, size and state."""
    listed = [
        (export, *exports.shown(export, for_user=request.user))
        for export in Export.objects.without_file().filter(user=request.user)[:200]
    ]
    return render(
        request,
        "municipality/export_list.html",
        {"exports": listed, "days": settings.EXPORT_RETENTION_DAYS},
    )


def export_detail(request, pk):
    """One export's progress; its poller asks for the same page as JSON."""
    export = _export_for(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(exports.status(export))
    state, message = exports.shown(export)
    return render(
        request,
        "municipality/export_detail.html",
        {"export": export, "state": state, "message": message},
    )


def export_download(request, pk):
    export = _export_for(request, pk, status=Export.Status.READY)
    data = Export.objects.filter(pk=export.pk).values_list("data", flat=True).get()
    content_type = exports.KINDS[export.kind].content_type
    return FileResponse(
        io.BytesIO(bytes(data)),
        as_attachment=True,
        filename=export.file_name,
        content_type=content_type,
    )


# Importing the register: organisations, agreements, grants (municipality.register_import) --


def import_kind(request, kind):
    """The registered kind named in the URL (404 if none), once its rule allows the user."""
    try:
        found = register_import.kind_named(kind)
    except KeyError:
        raise Http404 from None
    access.require(request.user, found.rule)
    return found


def register_import_upload(request, kind):
    """Import from a file, step 1: upload it (nothing is written yet)."""
    kind = import_kind(request, kind)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = register_import.upload(kind, form.cleaned_data["file"], by=request.user)
        except tabular.FileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("register_import_columns", kind=kind.name, pk=record.pk)
    return render(
        request,
        "municipality/register_import.html",
        {
            "kind": kind,
            "form": form,
            "columns": kind.columns(),
            "max_rows": register_import.MAX_ROWS,
        },
    )


def register_import_columns(request, kind, pk):
    """Step 2: which column of the file is which field ("Vilken kolumn är vad?"),
    pre-filled from the headers and from the choices made for earlier files."""
    kind = import_kind(request, kind)
    record = get_object_or_404(
        RegisterImport, pk=pk, kind=kind.name, made_by=request.user, imported_at__isnull=True
    )
    return import_columns_step(
        request,
        record,
        kind_name=kind.name,
        columns=kind.columns(),
        max_bytes=register_import.MAX_BYTES,
        upload_url=reverse("register_import", args=[kind.name]),
        back_label=_("Import %(label)s from a file") % {"label": kind.label},
        preview_url=reverse("register_import_preview", args=[kind.name, record.pk]),
    )


def import_columns_step(
    request, record, *, kind_name, columns, max_bytes, upload_url, back_label, preview_url
):
    """The mapping step of an upload (`record`), for every import alike."""
    try:
        header_row, found = (
            import_columns.survey(
                kind_name, bytes(record.data), columns, request.user, max_bytes=max_bytes
            )
            if record.is_intact
            else (None, None)
        )
    except tabular.FileError:
        found = None
    if found is None:
        messages.error(
            request, _("The kept file has changed since it was uploaded: upload it again.")
        )
        return redirect(upload_url)
    form = ColumnMappingForm(
        request.POST or None,
        file_columns=found,
        kind_columns=columns,
        initial_choice=import_columns.initial(record, header_row, found),
    )
    if request.method == "POST" and form.is_valid():
        import_columns.choose(
            record,
            kind_name=kind_name,
            user=request.user,
            header_row=header_row,
            columns=found,
            chosen=form.cleaned_data["chosen"],
        )
        return redirect(preview_url)
    return render(
        request,
        "municipality/import_columns.html",
        {
            "record": record,
            "form": form,
            "header_row": header_row,
            "upload_url": upload_url,
            "back_label": back_label,
        },
    )


@transaction.non_atomic_requests
def register_import_preview(request, kind, pk):
    """Step 2: what the file would do, and its confirmation; then what was done. Outside
    the request's transaction: the import is its own, all or nothing."""
    kind = import_kind(request, kind)
    record = get_object_or_404(RegisterImport, pk=pk, kind=kind.name, made_by=request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(import_background.status(record))
    if record.imported_at is not None:
        written = register_import.links(record, request.user)
        return render(
            request,
            "municipality/register_import_done.html",
            {
                "kind": kind,
                "record": record,
                "created": [link for link in written if link[0] == "created"],
                "updated": [link for link in written if link[0] == "updated"],
            },
        )
    if record.mapping is None:
        return redirect("register_import_columns", kind=kind.name, pk=record.pk)
    if record.state != RegisterImport.State.DIRECT or register_import.in_background(record):
        return register_import_in_background(request, kind, record)
    try:
        plan = (
            register_import.plan(
                kind, bytes(record.data), user=request.user, mapping=record.mapping
            )
            if record.is_intact
            else None
        )
    except tabular.FileError:
        plan = None
    if plan is None:
        messages.error(
            request, _("The kept file has changed since it was uploaded: upload it again.")
        )
        return redirect("register_import", kind=kind.name)
    if request.method == "POST":
        try:
            register_import.confirm(
                record,
                user=request.user,
                digest=request.POST.get("digest", ""),
                fingerprint=request.POST.get("plan", ""),
                good_rows_only=request.POST.get("rows") == "good",
            )
        except (register_import.Changed, IntegrityError):
            messages.error(
                request,
                _(
                    "Nothing was imported: the file or the register changed since the "
                    "preview. Check the preview below and confirm again."
                ),
            )
        return redirect("register_import_preview", kind=kind.name, pk=record.pk)
    shown = register_import.SHOWN
    good_rows = (
        register_import.partial(
            kind,
            bytes(record.data),
            user=request.user,
            mapping=record.mapping,
            problems=plan.problems,
        )
        if plan.problems
        else None
    )
    return render(
        request,
        "municipality/register_import_preview.html",
        {
            "kind": kind,
            "record": record,
            "plan": plan,
            "good_rows": good_rows if good_rows and good_rows.may_import else None,
            "shown": shown,
            "counts": register_import.preview_counts(plan),
            "create": plan.create[:shown],
            "update": plan.update[:shown],
            "unchanged": plan.unchanged[:shown],
            "problems": plan.problems[: shown * 5],
        },
    )


def register_import_in_background(request, kind, record):
    """A large file's preview and confirmation: the worker checks and imports it
    (municipality.import_background) and the page follows; once checked, the preview is
    the one a small file gets, from the stored check."""
    url = reverse("register_import_preview", args=[kind.name, record.pk])
    language = request.LANGUAGE_CODE
    state, message = import_background.shown(record)
    if request.method == "POST":
        if request.POST.get("action") == "check":
            if state == "failed":
                import_background.start_check(
                    record, language=language, from_states=RegisterImport.State.values
                )
        elif import_background.is_current(record):
            import_background.start_import(
                record,
                language=language,
                digest=request.POST.get("digest", ""),
                fingerprint=request.POST.get("plan", ""),
                good_rows_only=request.POST.get("rows") == "good",
            )
        return redirect(url)
    fresh = record.state in (RegisterImport.State.DIRECT, RegisterImport.State.CHECKED)
    if fresh and not import_background.is_current(record):
        import_background.start_check(record, language=language)
        record.refresh_from_db()
        state, message = import_background.shown(record)
    if state == RegisterImport.State.CHECKED:
        summary = record.summary
        return render(
            request,
            "municipality/register_import_preview.html",
            {
                "kind": kind,
                "record": record,
                "plan": summary,
                "good_rows": summary["good_rows"],
                "shown": register_import.SHOWN,
                "counts": summary["counts"],
                "create": summary["create"],
                "update": summary["update"],
                "unchanged": summary["unchanged"],
                "problems": summary["problems"],
            },
        )
    return render(
        request,
        "municipality/register_import_progress.html",
        {"kind": kind, "record": record, "state": state, "message": message},
    )


def register_import_refused(request, kind, pk):
    """The rows a file's import refuses (or refused), with why, as an .xlsx to correct."""
    kind = import_kind(request, kind)
    record = get_object_or_404(RegisterImport, pk=pk, kind=kind.name, made_by=request.user)
    if record.imported_at is not None:
        if not record.counts.get("refused") or not record.digest:
            raise Http404
        data = bytes(record.data)
    else:
        if record.mapping is None or not record.is_intact:
            raise Http404
        if record.state != RegisterImport.State.DIRECT or register_import.in_background(record):
            # Built by the background check: planning here could outlast the request.
            if not import_background.is_current(record) or not record.refused:
                raise Http404
            return refused_response(bytes(record.refused))
        try:
            plan = register_import.plan(
                kind, bytes(record.data), user=request.user, mapping=record.mapping
            )
        except tabular.FileError:
            raise Http404 from None
        data = register_import.refused_workbook(
            kind, bytes(record.data), problems=plan.problems, mapping=record.mapping
        )
    return refused_response(data)


def refused_response(data):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="avvisade-rader.xlsx"'
    return response


def register_import_template(request, kind):
    kind = import_kind(request, kind)
    response = HttpResponse(kind.template(request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind.template_name}"'
    return response
