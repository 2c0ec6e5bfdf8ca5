"""Lists: django-tables2 tables configured from the query string, defensively."""

from django.core.paginator import EmptyPage
from django_tables2 import RequestConfig

from municipality.inputs import MAX_PER_PAGE, int_param


def configure(request, table, per_page):
    """Ordering from the request as django-tables2 does it; `per_page` (1–200) and `page`
    only when they make sense, so `?per_page=-5` or `?page=x` shows a normal page."""
    RequestConfig(request, paginate=False).configure(table)
    size = int_param(request.GET, table.prefixed_per_page_field, per_page, 1, MAX_PER_PAGE)
    page = int_param(request.GET, table.prefixed_page_field, 1, 1)
    try:
        table.paginate(page=page, per_page=size)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=size)
    return table
