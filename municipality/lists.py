"""Lists: django-tables2 tables configured from the query string, defensively."""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django_tables2 import RequestConfig

from municipality.inputs import MAX_PER_PAGE, int_param


def configure(request, table, per_page, paginator_class=Paginator):
    """Ordering from the request as django-tables2 does it; `per_page` (1–200) and `page`
    only when they make sense, so `?per_page=-5` or `?page=x` shows a normal page."""
    RequestConfig(request, paginate=False).configure(table)
    size = int_param(request.GET, table.prefixed_per_page_field, per_page, 1, MAX_PER_PAGE)
    page = int_param(request.GET, table.prefixed_page_field, 1, 1)
    try:
        table.paginate(paginator_class=paginator_class, page=page, per_page=size)
    except EmptyPage:
        table.paginate(
            paginator_class=paginator_class, page=table.paginator.num_pages, per_page=size
        )
    return table


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
