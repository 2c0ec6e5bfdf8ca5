"""Importing the register from spreadsheets: organisations, agreements, grants, all or none.

The base names no feature: each feature registers its kind of file here (`register`, in
its `AppConfig.ready()`) with its columns, its planner and its template. A file is read by
`municipality.tabular`, then *planned*: every row is checked against the register as it
is and against the file's other rows, and the plan says what would be created, what
updated (old → new) and what is unchanged, and every problem with its row, column and a
Swedish message. Nothing is written while planning.

`run` plans the same bytes again inside one transaction and writes only if there is no
problem (and, from the web, the plan is still the one shown: its fingerprint): all rows
or none. The writes are bulk operations that also write the change history, as made by
the importing user, with the file's name as the reason.

Between the upload and the confirmation the file is kept (`RegisterImport`, checked by
its SHA-256), so the confirmation imports exactly the previewed bytes. In between, the
mapping step (municipality.import_columns) says which of the file's columns is which
field; the preview and the confirmation read the file under that choice.
"""

import datetime
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipality import import_columns, personal_data, tabular, write_lock
from municipality.inputs import refuse_line_breaks
from municipality.models import RegisterImport
from municipality.spreadsheet import Book
from municipality.spreadsheet import Column as SheetColumn

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a grant file of 50,000 rows, with room to spare
MAX_ROWS = 50_000
SHOWN = 200  # rows of each part of a preview shown on the page
REASON_LENGTH = 100  # simple_history's history_change_reason
LOCK = "register_import"  # held while an import plans and writes (write_lock)


class Changed(Exception):
    """The file or the register changed since the preview; nothing was written."""


class Refused(Exception):
    """The file has problems; nothing was written. `plan` says which."""

    def __init__(self, plan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


@dataclass(frozen=True)
class Kind:
    """A kind of file the register imports. `planner(table, user, progress)` gives the
    Plan; `template(user)` the workbook to fill in; `rule` the named rule allowing it."""

    name: str
    label: object
    rule: str
    columns: object
    planner: object
    template: object
    list_url: str
    template_name: str


KINDS = {}


def register(kind):
    KINDS[kind.name] = kind


def kind_named(name):
    """The registered kind, or LookupError."""
    return KINDS[name]


@dataclass
class Item:
    """One record the plan creates, updates or leaves: from which row, of what kind, its
    name, (for an update) what changes as (label, old, new), and (for a create) the
    values written as (label, value)."""

    row: int
    what: str
    name: str
    changes: list = field(default_factory=list)
    values: list = field(default_factory=list)
    # The record whose page shows it once written (a contact person's organisation).
    link: object = field(default=None, repr=False, compare=False)

    def shown_changes(self):
        """The changes as (label, old, new, only the case differs)."""
        return [
            (label, old, new, old != new and str(old).casefold() == str(new).casefold())
            for label, old, new in self.changes
        ]


@dataclass
class Plan:
    create: list
    update: list
    unchanged: list
    problems: list
    ignored: list
    rows: int
    # Writes what the plan says: write(user=…, reason=…); None when there are problems.
    write: object = None
    notes: list = field(default_factory=list)  # rows skipped (sum rows), in Swedish
    refused: list = field(default_factory=list)  # rows left out of a partial import
    refused_problems: list = field(default_factory=list)  # and why

    @property
    def may_import(self):
        return not self.problems and bool(self.create or self.update)

    def fingerprint(self):
        """What the plan would write; the confirmation must match it."""
        parts = [
            (label, item.row, item.what, item.name, item.changes, item.values)
            for label, items in (("create", self.create), ("update", self.update))
            for item in items
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def counts(self):
        return {
            "rows": self.rows + len(self.refused),
            "created": len(self.create),
            "updated": len(self.update),
            "unchanged": len(self.unchanged),
            "refused": len(self.refused),
        }


def preview_counts(result):
    """What the preview counts: every record and problem, not only those shown."""
    return {
        "create": len(result.create),
        "update": len(result.update),
        "unchanged": len(result.unchanged),
        "problems": len(result.problems),
    }


def summary(result, good_rows=None):
    """A plan as its preview shows it, as JSON to keep for a file checked in the
    background: the true counts, the fingerprint, the first SHOWN records of each part and
    SHOWN * 5 problems, and of the good rows' plan (if it may be imported) what its
    confirmation needs. The preview's template reads it as it reads a Plan."""

    def item(found):
        return {
            "row": found.row,
            "what": str(found.what),
            "name": str(found.name),
            "changes": [[str(part) for part in change] for change in found.changes],
            "values": [[str(part) for part in value] for value in found.values],
            "shown_changes": [
                [str(label), str(old), str(new), case_only]
                for label, old, new, case_only in found.shown_changes()
            ],
        }

    return {
        "rows": result.rows,
        "counts": preview_counts(result),
        "fingerprint": result.fingerprint(),
        "may_import": result.may_import,
        "create": [item(found) for found in result.create[:SHOWN]],
        "update": [item(found) for found in result.update[:SHOWN]],
        "unchanged": [item(found) for found in result.unchanged[:SHOWN]],
        "problems": [
            {
                "row": problem.row,
                "column": str(problem.column),
                "message": str(problem.message),
                "value": str(problem.value or ""),
            }
            for problem in result.problems[: SHOWN * 5]
        ],
        "notes": [str(note) for note in result.notes],
        "ignored": [str(header) for header in result.ignored],
        "good_rows": (
            {
                "counts": good_rows.counts(),
                "fingerprint": good_rows.fingerprint(),
                "refused": good_rows.refused,
                "may_import": True,
            }
            if good_rows is not None and good_rows.may_import
            else None
        ),
    }


def read(kind, data, mapping=None, *, seconds=None):
    """The file's table under the kind's columns, or tabular.FileError; under `mapping`
    as the mapping step keeps it ({"row": header row, "columns": {index: key}}). Reading
    may take `seconds` (None: settings.IMPORT_READ_SECONDS, as in a request)."""
    return tabular.read(
        data,
        kind.columns(),
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        seconds=seconds,
        **import_columns.read_under(mapping),
    )


def in_background(record):
    """A file too large to check and import within a request: more bytes than
    IMPORT_DIRECT_MAX_BYTES, or more rows than IMPORT_DIRECT_MAX_ROWS. One that cannot be
    read goes the direct way, which says why."""
    if len(record.data) > settings.IMPORT_DIRECT_MAX_BYTES:
        return True
    try:
        table = read(kind_named(record.kind), bytes(record.data), record.mapping)
    except tabular.FileError:
        return False
    return len(table.rows) > settings.IMPORT_DIRECT_MAX_ROWS


def plan(kind, data, *, user, mapping=None, progress=None, without=frozenset(), seconds=None):
    """The plan for the file's bytes, or tabular.FileError. `progress(done, total)` is
    called now and then while the rows are checked. The rows numbered in `without` are
    left out, as if the file had not had them."""
    table = read(kind, data, mapping, seconds=seconds)
    if without:
        table.rows = [row for row in table.rows if row.number not in without]
        table.problems = [problem for problem in table.problems if problem.row not in without]
    result = kind.planner(table, user, progress)
    result.problems.sort(key=lambda problem: problem.row)
    result.refused = sorted(without)
    return result


PARTIAL_ROUNDS = 5


def partial(kind, data, *, user, mapping=None, problems=None, progress=None, seconds=None):
    """The plan of the file's good rows: every row with a problem left out, and then any
    row that leaning on a left-out row has a problem of its own (a grant's later payment
    row, say), until none has. None if even that plan has problems (it never should).
    `problems` are those of the whole file's plan, when already known."""
    if problems is None:
        problems = plan(
            kind, data, user=user, mapping=mapping, progress=progress, seconds=seconds
        ).problems
    problems = list(problems)
    refused = {problem.row for problem in problems}
    for _round in range(PARTIAL_ROUNDS):
        result = plan(
            kind,
            data,
            user=user,
            mapping=mapping,
            without=frozenset(refused),
            progress=progress,
            seconds=seconds,
        )
        if not result.problems:
            result.refused_problems = sorted(problems, key=lambda problem: problem.row)
            return result
        problems += result.problems
        refused |= {problem.row for problem in result.problems}
    return None


def refused_workbook(kind, data, *, problems, mapping=None, seconds=None):
    """The refused rows as an .xlsx to correct and import again: the file's own columns
    under its own headers, and a column "Varför" with each row's problems."""
    table = read(kind, data, mapping, seconds=seconds)
    reasons = {}
    for problem in problems:
        quoted = f" (”{problem.value}”)" if problem.value else ""
        reasons.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}{quoted}")
    width = max([len(table.header_cells), *(len(row.cells) for row in table.rows)])
    headers = [tabular.text(value) for value in table.header_cells]
    headers += [""] * (width - len(headers))
    rows = [
        [tabular.text(value) for value in row.cells]
        + [""] * (width - len(row.cells))
        + ["; ".join(reasons[row.number])]
        for row in table.rows
        if row.number in reasons
    ]
    book = Book()
    book.table(
        _("Refused rows"),
        [SheetColumn(header) for header in headers] + [SheetColumn(_("Why"))],
        rows,
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def reason_for(file_name):
    """The change history's reason for what an import wrote: the file's name."""
    reason = _("Imported from %(file)s") % {"file": file_name or _("a file")}
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


@transaction.atomic
def run(
    kind,
    data,
    *,
    user,
    file_name,
    mapping=None,
    fingerprint=None,
    progress=None,
    good_rows_only=False,
    seconds=None,
):
    """Plan the file and, if it has no problems (Refused otherwise) and its plan is the one
    with `fingerprint` when given (Changed otherwise), write it: all rows or none. With
    `good_rows_only`, the rows with problems are left out and the others written. One
    import at a time plans and writes (write_lock): the second plans against the first's
    rows."""
    write_lock.hold(LOCK)
    if good_rows_only:
        result = partial(kind, data, user=user, mapping=mapping, progress=progress, seconds=seconds)
        if result is None:
            raise Changed
    else:
        result = plan(kind, data, user=user, mapping=mapping, progress=progress, seconds=seconds)
    if result.problems:
        raise Refused(result)
    if fingerprint is not None and (not result.may_import or result.fingerprint() != fingerprint):
        raise Changed
    if result.may_import:
        result.write(user=user, reason=reason_for(file_name))
    return result


# Reading one row's cells: the helpers every kind's planner shares ----------------------------


def folded(name):
    """A name as compared: case, composition and runs of spaces forgiven."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Rows:
    """A planner's view of the table: each cell read into a value, and each problem noted
    under the row and column it came from."""

    def __init__(self, kind, table):
        self.kind = kind
        self.table = table
        self.problems = list(table.problems)
        self.columns = {column.key: column for column in kind.columns()}

    def header(self, key):
        return self.table.headers.get(key) or self.columns[key].header

    def has(self, key):
        """The file has this column."""
        return key in self.table.headers

    def problem(self, row, key, message):
        self.problems.append(
            tabular.Problem(
                row.number, self.header(key), str(message), tabular.quoted(row.values.get(key))
            )
        )

    def bad(self, row, before):
        """Problems were found in the row since `before` problems were counted."""
        return len(self.problems) > before

    def text(self, row, key, multiline=False):
        """The cell as one line of text ("" when empty); None (and a problem) if not.
        A `multiline` cell (a purpose, a note) may hold line breaks."""
        value = tabular.text(row.values.get(key))
        if multiline:
            return value.replace("\x00", "")
        try:
            refuse_line_breaks(value)
        except ValidationError as error:
            self.problem(row, key, error.messages[0])
            return None
        return value

    def required(self, row, key, multiline=False):
        value = self.text(row, key, multiline)
        if value == "" and key not in row.unreadable:
            self.problem(row, key, _("Fill in %(column)s.") % {"column": self.header(key)})
            return None
        return value

    def parsed(self, row, key, parse, required=False):
        """The cell through `parse` (tabular.date_of, kronor_of …); None when empty; a
        problem (and None) when it cannot be read."""
        value = row.values.get(key)
        if tabular.text(value) == "":
            if required and key not in row.unreadable:
                self.problem(row, key, _("Fill in %(column)s.") % {"column": self.header(key)})
            return None
        try:
            return parse(value)
        except ValidationError as error:
            self.problem(row, key, error.messages[0])
            return None

    def model_errors(self, row, error, columns):
        """A model's ValidationError under the columns its fields came from."""
        for name, messages in error.message_dict.items():
            key = columns.get(name) or next(iter(columns.values()))
            for message in messages:
                self.problem(row, key, message)

    def plan(self, create, update, unchanged, write):
        problems = self.problems
        return Plan(
            create=create,
            update=update,
            unchanged=unchanged,
            problems=problems,
            ignored=self.table.ignored,
            rows=len(self.table.rows),
            write=None if problems else write,
            notes=self.table.notes,
        )


def integer_of(value):
    """A whole number from a cell (12, "12", 12.0)."""
    written = tabular.text(value)
    try:
        return int(written)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a whole number.") % {"value": written[:40]}, code="integer"
        ) from None


def shown(value):
    """A value as the preview shows it, old or new."""
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def written(obj, names, labels, display=None):
    """(label, value) of the fields of `obj` that hold something, for a create's preview;
    `display` ({field: function}) shows a value as people read it."""
    found = []
    for name in names:
        value = getattr(obj, name)
        if value in (None, ""):
            continue
        if display and name in display:
            value = display[name](value)
        found.append((str(labels.get(name, name)), shown(value)))
    return found


def assign(obj, values):
    """Set `values` ({field: value}) on `obj`; what those fields held before."""
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    return before


def differences(obj, before, labels):
    """The (label, old, new) of the fields in `before` that `obj` now holds otherwise:
    asked after the model's clean(), which may write a value as the register holds it."""
    return [
        (str(labels.get(name, name)), shown(old), shown(getattr(obj, name)))
        for name, old in before.items()
        if getattr(obj, name) != old
    ]


def every(rows, progress, step=500):
    """The rows, calling `progress(done, total)` every `step` rows and at the end."""
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)


# Between the upload and the confirmation --------------------------------------------------


def too_large():
    return tabular.FileError(
        _("The file is too large: at most %(size)s MB can be imported at once.")
        % {"size": MAX_BYTES // (1024 * 1024)}
    )


def upload(kind, file, *, by):
    """Keep an uploaded file for its preview, after reading it once: a file too large is
    refused before it is read, and one that is no spreadsheet at all (tabular.FileError)
    is refused at once and not kept; so is one beyond the reading bounds, when small
    enough to be read through here (a larger one is read in the background)."""
    if file.size > MAX_BYTES:
        raise too_large()
    data = file.read(MAX_BYTES + 1)
    survey(kind, data, by)
    if len(data) <= settings.IMPORT_DIRECT_MAX_BYTES:
        tabular.check(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    RegisterImport.objects.filter(made_by=by, kind=kind.name, imported_at__isnull=True).delete()
    return RegisterImport.objects.create(
        kind=kind.name,
        made_by=by,
        file_name=(file.name or "")[-200:],
        digest=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def survey(kind, data, user):
    """(header row, the file's columns as tabular.FileColumn), or tabular.FileError."""
    return import_columns.survey(kind.name, data, kind.columns(), user, max_bytes=MAX_BYTES)


def automatic(kind, data, user):
    """The mapping the headers suggest (for tests and tools that skip the step)."""
    return import_columns.automatic(*survey(kind, data, user))


@transaction.atomic
def confirm(
    record, *, user, digest, fingerprint, good_rows_only=False, progress=None, seconds=None
):
    """Import the kept file if it is the one previewed (`digest`) and its plan is the one
    shown (`fingerprint`); then the bytes are let go and what was done remembered. After
    a partial import (`good_rows_only`), the refused rows' workbook is kept instead, to be
    downloaded and corrected, and removed with the uploads after a day. A background
    import passes its `progress` and its `seconds` to read."""
    write_lock.hold(LOCK)
    locked = RegisterImport.objects.select_for_update().get(pk=record.pk)
    if locked.imported_at is not None or not locked.is_intact or digest != locked.digest:
        raise Changed
    kind = kind_named(locked.kind)
    try:
        result = run(
            kind,
            bytes(locked.data),
            user=user,
            file_name=locked.file_name,
            mapping=locked.mapping,
            fingerprint=fingerprint,
            good_rows_only=good_rows_only,
            progress=progress,
            seconds=seconds,
        )
    except Refused:
        raise Changed from None
    refused = b""
    if result.refused:
        refused = refused_workbook(
            kind,
            bytes(locked.data),
            problems=result.refused_problems,
            mapping=locked.mapping,
            seconds=seconds,
        )
    locked.done = written_links(result)
    locked.imported_at = timezone.now()
    locked.data = refused
    locked.counts = result.counts()
    if locked.state != RegisterImport.State.DIRECT:
        locked.state = RegisterImport.State.IMPORTED
    locked.summary = None
    locked.refused = None
    locked.changed = False
    locked.save()
    return locked


LINKS = 50  # records of each part (created, updated) linked after an import


def written_links(result):
    """[model label, pk, state, what, name] of the first records created and updated,
    for the links of the page after the import."""
    return [
        [item.link._meta.label_lower, item.link.pk, state, str(item.what), item.name]
        for state, items in (("created", result.create), ("updated", result.update))
        for item in [item for item in items if item.link is not None][:LINKS]
        if item.link.pk is not None
    ]


def links(record, user):
    """The records an import wrote that the user may open: (state, what, name, url),
    in the order they were written."""
    visible = {}
    for label, pk, _state, _what, _name in record.done:
        visible.setdefault(label, set()).add(pk)
    for label, pks in visible.items():
        model = apps.get_model(label)
        visible[label] = set(
            model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
        )
    return [
        (state, what, name, apps.get_model(label)(pk=pk).get_absolute_url())
        for label, pk, state, what, name in record.done
        if pk in visible[label]
    ]


@personal_data.retention_step(
    "register_files", gettext_lazy("Uploaded register files never imported")
)
def pending_files(today):
    """An uploaded file may hold contact persons; one not imported within a day goes,
    and so does the workbook of refused rows a partial import kept."""
    day_before = today - datetime.timedelta(days=1)
    old = RegisterImport.objects.filter(imported_at__isnull=True, made_at__date__lt=day_before)
    removed = old.delete()[0]
    kept = RegisterImport.objects.filter(
        imported_at__date__lt=day_before, counts__refused__gt=0
    ).exclude(digest="")
    return removed + kept.update(data=b"", digest="")
