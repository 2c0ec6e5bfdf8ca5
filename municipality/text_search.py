"""Free-text search for the lists' `q` filter.

On PostgreSQL a word matches its inflections through full-text search with Swedish
stemming ("föreningar" finds "förening"), and a plain substring match beside it, so a
partial word typed into the box still finds what it begins. SQLite has no stemming: there
the substring match alone. The full-text search is an expression in the query
(to_tsvector … @@ websearch_to_tsquery), so it needs neither django.contrib.postgres in
INSTALLED_APPS nor a stored search column.
"""

import functools
import operator

from django.db import connection
from django.db.models import Q

CONFIG = "swedish"
MAX_LENGTH = 200  # a search longer than this is cut: no one types more into the box


def search(queryset, value, fields, also=None):
    """`queryset` narrowed to rows where any of `fields` (lookups such as "forum__name")
    holds `value`, as words (PostgreSQL) or as a substring (everywhere), or that match
    `also` (a Q, such as an organisation number's start)."""
    value = " ".join(value.replace("\x00", "").split())[:MAX_LENGTH]  # PostgreSQL refuses NUL
    if not value:
        return queryset
    matches = functools.reduce(operator.or_, (Q(**{f"{f}__icontains": value}) for f in fields))
    if also is not None:
        matches |= also
    if connection.vendor != "postgresql":
        return queryset.filter(matches)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    words = SearchQuery(value, config=CONFIG, search_type="websearch")
    return queryset.alias(text_search=SearchVector(*fields, config=CONFIG)).filter(
        Q(text_search=words) | matches
    )
