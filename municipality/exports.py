"""Long exports prepared in the background, with progress, for the user who asked.

A file that may take longer than a request should (the auditor's workbook of a large
selection) is not written in the request: `start` records an `Export` and enqueues the
task `prepare` (django-tasks, database backend: `manage.py db_worker` runs it; no broker).
The worker writes the file sheet by sheet, telling `Progress` how far it has come, and
stores it with the export. The user follows it on the export's page, which asks for its
state every few seconds, and finds every export again under *Mina uttag*.

- **Who may take the file:** only the user who asked, and only while they still have the
  right the export's kind asks for (checked again at every look and download): 404 else.
- **Kinds** are registered by the apps that own them (`register`, from their
  AppConfig.ready()), so the base knows no feature's export.
- **Failures** are shown as failed with a Swedish message, never as endless progress: an
  error in the task, a worker that stopped reporting progress (`STALLED`), or none that
  picked the task up (`UNCLAIMED`: the page says the export waits for the server).
- **Retention:** a ready file is removed `EXPORT_RETENTION_DAYS` after it was made, by a
  task scheduled when it is ready (and by `gallra`, should that task be lost); each
  removal is logged.
"""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from municipality.access import add_rule, scope_for
from municipality.models import Export
from municipality.personal_data import retention_step

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNCLAIMED = datetime.timedelta(minutes=1)  # no worker took it: say so
STALLED = datetime.timedelta(minutes=5)  # a worker took it and went quiet: failed


@dataclass(frozen=True)
class Kind:
    key: str
    title: object
    build: Callable  # (export, progress) -> (file name, bytes, sample seed or None)
    allowed: Callable  # (user) -> may they still have this kind of file
    content_type: str = XLSX


KINDS = {}


def register(key, title, build, allowed, content_type=XLSX):
    KINDS[key] = Kind(key, title, build, allowed, content_type)


def start(user, kind, params, filters=()):
    """Record the export and enqueue its task, in one transaction: both or neither."""
    with transaction.atomic():
        export = Export.objects.create(
            user=user,
            kind=kind,
            title=str(KINDS[kind].title),
            params=params,
            filters=[list(pair) for pair in filters],
        )
        prepare.enqueue(export.pk)
    return export


@rules.predicate
def may_take(user, export):
    """The export's own user, while they still have the right its kind asks for and
    reach at least what the file was written for (one moved to another förvaltning no
    longer takes the old one's grants)."""
    kind = KINDS.get(export.kind) if export is not None else None
    return (
        kind is not None
        and user.is_authenticated
        and export.user_id == user.pk
        and bool(kind.allowed(user))
        and (export.reach is None or scope_for(user).covers(export.reach))
    )


add_rule("take_export", may_take, _("Follow and download an export one asked for oneself"))


class Progress:
    """What the worker is writing, saved at most every `EVERY` seconds so the progress
    costs the database a few writes, not one per row."""

    EVERY = 0.5

    def __init__(self, export):
        self.export = export
        self.saved_at = 0.0
        self.name, self.done, self.total = "", 0, 0

    def sheet(self, name, total):
        self.name, self.done, self.total = name, 0, total
        self.save(force=True)

    def rows(self, rows):
        for row in rows:
            yield row
            self.done += 1
            if time.monotonic() - self.saved_at >= self.EVERY:
                self.save()

    def save(self, force=False):
        if not force and time.monotonic() - self.saved_at < self.EVERY:
            return
        self.saved_at = time.monotonic()
        Export.objects.filter(pk=self.export.pk).update(
            sheet=self.name[:100],
            done=min(self.done, self.total),
            total=self.total,
            progressed_at=timezone.now(),
        )


@task()
def prepare(export_id):
    """Write the export's file; mark it ready, or failed with the reason."""
    export = Export.objects.select_related("user").without_file().filter(pk=export_id).first()
    if export is None or export.status != Export.Status.WAITING:
        return
    now = timezone.now()
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, started_at=now, progressed_at=now
    )
    kind = KINDS.get(export.kind)
    try:
        if kind is None or not kind.allowed(export.user):
            raise PermissionError("the user no longer has the right to this export")
        reach = scope_for(export.user).as_data()
        name, data, seed = kind.build(export, Progress(export))
    except Exception as error:
        logger.exception("Export %s (%s) failed", export.pk, export.kind)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        return
    finished = timezone.now()
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.READY,
        finished_at=finished,
        progressed_at=finished,
        file_name=name,
        data=data,
        size=len(data),
        seed=seed,
        reach=reach,
        done=F("total"),
    )
    remove_expired.using(run_after=finished + retention()).enqueue()


def retention():
    return datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)


def remove_expired_files(now=None):
    """Empty every ready export older than the retention period, logging each; returns
    how many were removed."""
    now = now or timezone.now()
    expired = list(
        Export.objects.without_file()
        .filter(status=Export.Status.READY, finished_at__lt=now - retention())
        .select_related("user")
    )
    for export in expired:
        logger.info(
            "Export %s removed: %s for %s, made %s, %s bytes, after %s days",
            export.pk,
            export.title,
            export.user,
            timezone.localtime(export.finished_at).isoformat(timespec="minutes"),
            export.size,
            settings.EXPORT_RETENTION_DAYS,
        )
    Export.objects.filter(pk__in=[e.pk for e in expired]).update(
        status=Export.Status.REMOVED, data=None
    )
    return len(expired)


@task()
def remove_expired():
    return remove_expired_files()


@retention_step("exports", _("Prepared exports past EXPORT_RETENTION_DAYS"))
def _gallra_exports(today):
    end_of_day = datetime.datetime.combine(today, datetime.time.max)
    return remove_expired_files(timezone.make_aware(end_of_day))


def shown(export, now=None, for_user=None):
    """(state, message) as the user is told: a stalled export is failed, one nobody took
    up waits for the server, and (asked `for_user`) one they may no longer take is
    withdrawn."""
    now = now or timezone.now()
    status = export.status
    if for_user is not None and not may_take(for_user, export):
        return "withdrawn", _(
            "Your access has changed since this was asked for, so the file is no longer "
            "yours to take. Ask for it again."
        )
    if status == Export.Status.WAITING and export.created_at < now - UNCLAIMED:
        return "unclaimed", _(
            "The export is waiting for the server: no background worker has taken it up "
            "yet. It starts as soon as one does; if this lasts, tell the service's "
            "administrator that the worker (manage.py db_worker) is not running."
        )
    if status == Export.Status.RUNNING and (export.progressed_at or export.created_at) < (
        now - STALLED
    ):
        return "failed", _(
            "The export stopped: the server stopped working on it. Ask for it again."
        )
    if status == Export.Status.FAILED:
        return "failed", _(
            "The export could not be finished: an error occurred on the server. Ask for it "
            "again; if it fails again, tell the service's administrator."
        )
    if status == Export.Status.REMOVED:
        return "removed", _("The file has been removed: files are kept %(days)s days.") % {
            "days": settings.EXPORT_RETENTION_DAYS
        }
    messages = {
        Export.Status.WAITING: _("Waiting for its turn."),
        Export.Status.RUNNING: _("Being prepared."),
        Export.Status.READY: _("Ready to download."),
    }
    return status, messages[status]


def status(export, now=None):
    """The state as JSON for the page's poller."""
    state, message = shown(export, now)
    return {
        "state": state,
        "final": state in ("ready", "failed", "removed"),
        "message": str(message),
        "sheet": export.sheet,
        "done": export.done,
        "total": export.total,
    }
