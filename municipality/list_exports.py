"""A list page's rows as .xlsx, following the list's filter: what lets staff stop keeping
their own spreadsheets.

Each feature declares its exports as `ListExport`s and registers them from its
AppConfig.ready(), so the base names none of them. A list's export runs the very filter
function its page runs (the same FilterSet over the same `visible_to` queryset), so the
file holds exactly the rows the page lists, on every page. A file of at most
EXPORT_DIRECT_MAX_ROWS rows is answered at once; a larger one is prepared in the background
(municipality.exports), where the user follows it under *Mina uttag*: asked for by POST,
offered so by a GET.
"""

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation

from municipality import exports, lists
from municipality.spreadsheet import Book


@dataclass(frozen=True)
class ListExport:
    kind: str  # the key of its background export
    title: object  # what it is called under My exports and on the background page
    stem: str  # the file name before its date, ASCII: "organisationer"
    list_url: str  # the name of the list page's URL
    filtered: Callable  # (user, query) -> the list's FilterSet over what the user may see
    write: Callable  # (queryset, user=, filters=(), progress=None) -> .xlsx bytes
    rows: Callable = None  # (queryset) -> how many rows the file holds; count() if None

    def size(self, queryset):
        return self.rows(queryset) if self.rows else queryset.count()

    def file_name(self):
        return f"{self.stem}-{timezone.localdate().isoformat()}.xlsx"


def register(spec):
    """Make `spec` a kind of background export; any logged-in user may have one, as any
    logged-in user opens the lists (what they hold follows from the user's scope)."""
    exports.register(
        spec.kind, spec.title, functools.partial(_build, spec), lambda user: user.is_active
    )
    return spec


def _build(spec, export, progress):
    filterset = spec.filtered(export.user, QueryDict(export.params["query"]))
    with translation.override("sv"):
        data = spec.write(
            filterset.qs, user=export.user, filters=lists.chosen(filterset), progress=progress
        )
    return spec.file_name(), data, None


def query_of(data):
    """The list's query to store, without the CSRF token and the page."""
    query = data.copy()
    for name in ("csrfmiddlewaretoken", "page", "per_page"):
        query.pop(name, None)
    return query


def respond(request, spec):
    """The export for the list's filter in the request: the file, or (above
    EXPORT_DIRECT_MAX_ROWS rows) the offer to prepare it, or the prepared export's page."""
    data = query_of(request.POST if request.method == "POST" else request.GET)
    filterset = spec.filtered(request.user, data)
    size = spec.size(filterset.qs)
    if size > settings.EXPORT_DIRECT_MAX_ROWS:
        if request.method != "POST":
            return render(
                request,
                "municipality/list_export_background.html",
                {"spec": spec, "query": data, "count": size},
            )
        export = exports.start(
            request.user, spec.kind, {"query": data.urlencode()}, lists.chosen(filterset)
        )
        return redirect("export_detail", export.pk)
    with translation.override("sv"):
        body = spec.write(filterset.qs, user=request.user, filters=lists.chosen(filterset))
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.file_name()}"'
    return response


def table(book, name, columns, rows, progress=None, total=None):
    """One table of the export, telling `progress` (in the background) how far it is."""
    if progress is not None:
        progress.sheet(name, total() if callable(total) else total or 0)
        rows = progress.rows(rows)
    return book.table(name, columns, rows)


def about(book, filters):
    """The sheet "Om uttaget": when, and the filter, in words."""
    book.facts(
        "Om uttaget",
        [
            ("Tidpunkt", timezone.localtime().replace(tzinfo=None, microsecond=0)),
            *([(f"Filter: {label}", value) for label, value in filters] or [("Filter", "inget")]),
        ],
        title="Uttag ur Samverkansregistret",
    )


def single_table(name, columns, rows, progress, total, filters):
    """A list's file: its one table, then "Om uttaget"; as .xlsx bytes."""
    book = Book()
    table(book, name, columns, rows, progress, total)
    about(book, filters)
    return as_bytes(book)


def as_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
