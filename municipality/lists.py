"""Lists: django-tables2 tables configured from the query string, defensively."""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from municipality.inputs import MAX_PER_PAGE, int_param


def configure(request, table, per_page, paginator_class=Paginator, filterset=None, empty=None):
    """Ordering from the request as django-tables2 does it; `per_page` (1–200) and `page`
    only when they make sense, so `?per_page=-5` or `?page=x` shows a normal page.

    An empty list says "none match the filter" (the table's `empty_text`) only when the
    user chose a filter in `filterset`; else `empty` ("No meetings yet.")."""
    RequestConfig(request, paginate=False).configure(table)
    if empty is not None and not is_filtered(filterset, request.GET):
        table.empty_text = empty
    size = int_param(request.GET, table.prefixed_per_page_field, per_page, 1, MAX_PER_PAGE)
    page = int_param(request.GET, table.prefixed_page_field, 1, 1)
    try:
        table.paginate(paginator_class=paginator_class, page=page, per_page=size)
    except EmptyPage:
        table.paginate(
            paginator_class=paginator_class, page=table.paginator.num_pages, per_page=size
        )
    return table


def is_filtered(filterset, query):
    """Whether the user chose any of `filterset`'s filters in `query` (a filter the view
    set by default is not the user's choice)."""
    if filterset is None or not filterset.is_bound or not filterset.form.is_valid():
        return filterset is not None and any(query.get(name) for name in filterset.filters)
    return any(
        value not in (None, "", False, [])
        for name, value in filterset.form.cleaned_data.items()
        if query.get(name) not in (None, "")
    )


def chosen(filterset):
    """(label, value) of each filter the filterset applies, in words: for an export's
    "Om uttaget" sheet and its background record."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    chosen = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False, []):
            continue
        field = filterset.form.fields[name]
        if value is True:
            shown = _("yes")
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            shown = dict(field.choices).get(value, value)
        else:
            shown = value
        chosen.append((str(filterset.filters[name].label), str(shown)))
    return chosen


class BoundedPaginator(Paginator):
    """Pages through the first LIMIT rows only, counting no further: a list that grows
    without end (every past meeting) costs the same to open however long it grows.
    `capped` says there are more; the list's filter reaches them."""

    LIMIT = 1000

    @cached_property
    def count(self):
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            self.capped = False
            return super().count
        counted = queryset.order_by()[: self.LIMIT + 1].count()  # which rows: no matter
        self.capped = counted > self.LIMIT
        return min(counted, self.LIMIT)
