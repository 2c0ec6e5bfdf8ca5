"""Large register files checked and imported by the background worker, with progress.

A file of more than IMPORT_DIRECT_MAX_BYTES or IMPORT_DIRECT_MAX_ROWS
(`register_import.in_background`) would keep a request far past its timeout: its preview
plans every row, and the good rows' plans after it; its confirmation plans again and
writes. Such a file's preview enqueues `check` instead (django-tasks, database backend, as
municipality.exports), which plans with progress and stores what the preview shows
(`register_import.summary`) and the refused rows' workbook. Its confirmation enqueues
`perform`, which calls `register_import.confirm`: the same write lock, digest and
fingerprint, all rows or none. One that finds the file or the register changed imports
nothing, says so on the page and checks the file again.

Failures are shown as failed, never as endless progress: an error in the task (`error`
holds the reason the user is told, when there is one), a check that stopped reporting
progress (exports.STALLED), or a task no worker took up (exports.UNCLAIMED: the page says
the worker is not running). The import's own progress is written inside its transaction,
so nobody sees it before the end: an import is stalled only after `IMPORT_STALLED`.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from municipality import access, register_import, tabular
from municipality.exports import STALLED, UNCLAIMED
from municipality.models import RegisterImport

logger = logging.getLogger(__name__)

State = RegisterImport.State
IMPORT_STALLED = datetime.timedelta(minutes=30)  # planning and writing 50,000 rows, and more
RESTARTABLE = (State.DIRECT, State.CHECKED, State.FAILED)


def _send(record, state, work, args, *, from_states, **fields):
    """Set the record's `state` and enqueue `work`, both or neither; only from
    `from_states`, so that two requests at the same moment send one task."""
    with transaction.atomic():
        sent = RegisterImport.objects.filter(
            pk=record.pk, state__in=from_states, imported_at__isnull=True
        ).update(
            state=state,
            queued_at=timezone.now(),
            progressed_at=None,
            rows_done=0,
            rows_total=0,
            error="",
            **fields,
        )
        if sent:
            work.enqueue(record.pk, *args)
    return bool(sent)


def start_check(record, *, language, from_states=RESTARTABLE):
    """Check the file in the background (its preview, stored when done)."""
    return _send(
        record,
        State.CHECKING,
        check,
        [language],
        from_states=from_states,
        summary=None,
        refused=None,
    )


def start_import(record, *, language, digest, fingerprint, good_rows_only):
    """Import the checked file in the background, as confirmed."""
    return _send(
        record,
        State.IMPORTING,
        perform,
        [digest, fingerprint, good_rows_only, language],
        from_states=[State.CHECKED],
        changed=False,
    )


def is_current(record):
    """The stored check is of the file under its present mapping (the mapping step may
    have been taken again since)."""
    return (
        record.state == State.CHECKED
        and record.summary is not None
        and record.summary.get("mapping") == record.mapping
    )


class Progress:
    """`progress(done, total)` for the planner: saved at most every `EVERY` seconds, as
    exports.Progress, so the progress costs a few writes, not one per row."""

    EVERY = 0.5

    def __init__(self, record):
        self.pk = record.pk
        self.saved_at = 0.0

    def __call__(self, done, total):
        if done < total and time.monotonic() - self.saved_at < self.EVERY:
            return
        self.saved_at = time.monotonic()
        RegisterImport.objects.filter(pk=self.pk).update(
            rows_done=min(done, total), rows_total=total, progressed_at=timezone.now()
        )


class Refusal(Exception):
    """Why the file cannot be checked or imported, as the user is told."""


def _begin(record_id, state):
    """The record if it still waits for this task, marked as taken up; else None."""
    record = (
        RegisterImport.objects.select_related("made_by")
        .filter(pk=record_id, state=state, imported_at__isnull=True)
        .first()
    )
    if record is not None:
        record.progressed_at = timezone.now()
        RegisterImport.objects.filter(pk=record.pk).update(progressed_at=record.progressed_at)
    return record


def _kind_for(record):
    """The record's kind, while its user may still import it (Refusal otherwise)."""
    kind = register_import.kind_named(record.kind)
    if record.made_by is None or not access.allows(record.made_by, kind.rule):
        raise Refusal(_("You may no longer import this kind of file."))
    return kind


def _fail(record, error):
    if isinstance(error, Refusal | tabular.FileError):
        reason = str(error.args[0] if isinstance(error, Refusal) else error.message)
    else:
        logger.exception("Register import %s (%s) failed", record.pk, record.kind)
        reason = ""
    RegisterImport.objects.filter(pk=record.pk, imported_at__isnull=True).update(
        state=State.FAILED, error=reason[:2000], progressed_at=timezone.now()
    )


def _check(record):
    """Plan the file (and its good rows when it has problems) and store the preview."""
    seconds = settings.IMPORT_BACKGROUND_READ_SECONDS
    try:
        kind = _kind_for(record)
        data = bytes(record.data)
        if not record.is_intact:
            raise Refusal(_("The kept file has changed since it was uploaded: upload it again."))
        progress = Progress(record)
        asked = {"user": record.made_by, "mapping": record.mapping, "seconds": seconds}
        result = register_import.plan(kind, data, progress=progress, **asked)
        good_rows = refused = None
        if result.problems:
            good_rows = register_import.partial(
                kind, data, problems=result.problems, progress=progress, **asked
            )
            refused = register_import.refused_workbook(
                kind, data, problems=result.problems, mapping=record.mapping, seconds=seconds
            )
        summary = register_import.summary(result, good_rows) | {"mapping": record.mapping}
    except Exception as error:
        _fail(record, error)
        return
    RegisterImport.objects.filter(
        pk=record.pk, state=State.CHECKING, imported_at__isnull=True
    ).update(
        state=State.CHECKED,
        summary=summary,
        refused=refused,
        rows_done=F("rows_total"),
        progressed_at=timezone.now(),
    )


@task()
def check(record_id, language):
    """The background check of a large file, in the language of the page that asked."""
    record = _begin(record_id, State.CHECKING)
    if record is None:
        return
    with translation.override(language):
        _check(record)


@task()
def perform(record_id, digest, fingerprint, good_rows_only, language):
    """The background import of a checked file, as its user confirmed it. Changed (the
    file or the register is not as previewed): nothing is written, and the file is
    checked again for a fresh preview that says why."""
    record = _begin(record_id, State.IMPORTING)
    if record is None:
        return
    with translation.override(language):
        try:
            _kind_for(record)
            register_import.confirm(
                record,
                user=record.made_by,
                digest=digest,
                fingerprint=fingerprint,
                good_rows_only=good_rows_only,
                progress=Progress(record),
                seconds=settings.IMPORT_BACKGROUND_READ_SECONDS,
            )
        except (register_import.Changed, IntegrityError):
            again = RegisterImport.objects.filter(pk=record.pk, state=State.IMPORTING).update(
                state=State.CHECKING,
                changed=True,
                summary=None,
                refused=None,
                queued_at=timezone.now(),
                progressed_at=timezone.now(),
                rows_done=0,
                rows_total=0,
            )
            if again:
                record.refresh_from_db()
                _check(record)
        except Exception as error:
            _fail(record, error)


def shown(record, now=None):
    """(state, message) as the user is told: a task no worker took up waits for the
    server, one that stopped reporting progress has failed."""
    now = now or timezone.now()
    state = record.state
    working = state in (State.CHECKING, State.IMPORTING)
    if working and record.progressed_at is None and record.queued_at < now - UNCLAIMED:
        return "unclaimed", _(
            "The file is waiting for the server: no background worker has taken it up yet. "
            "It starts as soon as one does; if this lasts, tell the service's administrator "
            "that the worker (manage.py db_worker) is not running."
        )
    stalled = IMPORT_STALLED if state == State.IMPORTING else STALLED
    if working and record.progressed_at is not None and record.progressed_at < now - stalled:
        return "failed", _(
            "The server stopped working on the file. Nothing was imported. Check it again."
        )
    if state == State.FAILED:
        return "failed", record.error or _(
            "An error occurred on the server. Nothing was imported. Check the file again; "
            "if it fails again, tell the service's administrator."
        )
    messages = {
        State.CHECKING: _("The file is being checked, row by row. Nothing is written yet."),
        State.IMPORTING: _(
            "The file is being imported: every row is checked again and written, all or none."
        ),
        State.CHECKED: _("The file has been checked."),
        State.IMPORTED: _("The file has been imported."),
        State.DIRECT: _("The file has been checked."),
    }
    return state, messages[state]


def status(record, now=None):
    """The state as JSON for the page's poller (static/js/export-progress.js)."""
    state, message = shown(record, now)
    return {
        "state": state,
        "final": state in ("checked", "imported", "failed", "direct"),
        "message": str(message),
        # The poller writes its row count only when "sheet" says there is one.
        "sheet": "rows" if state == State.CHECKING and record.rows_total else "",
        "done": record.rows_done,
        "total": record.rows_total,
    }
