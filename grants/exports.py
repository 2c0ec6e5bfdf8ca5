"""The auditor's workbook as a background export (municipality.exports): a selection
larger than EXPORT_DIRECT_MAX_GRANTS is prepared by the worker, with progress."""

import datetime
import io

from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from grants import workbook
from grants.filters import GrantFilter
from grants.forms import WorkbookForm
from grants.models import Grant
from municipality import access, exports, list_exports

KIND = "grant_workbook"


def grant_filter(user, data):
    """The grant list's filter over what the user may see."""
    return GrantFilter(
        data,
        queryset=Grant.objects.visible_to(user).for_list(),
        user=user,
        municipality_id=access.scope_for(user).municipality_id,
    )


def chosen_year(filterset):
    """The grant year the list's filter chose, or None."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return None
    year = filterset.form.cleaned_data.get("year")
    return int(year) if year is not None and 1900 <= year <= 9999 else None


def chosen_committee(filterset):
    """The nämnd the filter chose, directly or through its bidragsform, or None."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return None
    chosen = filterset.form.cleaned_data
    scheme = chosen.get("scheme")
    return chosen.get("committee") or (scheme.committee if scheme else None)


def default_period(year, today=None):
    """The change history the workbook covers unless other dates are chosen: the
    filtered grant year (up to today, while it runs), or this year so far. A grant year
    still to come is prepared this year: this year so far."""
    today = today or timezone.localdate()
    if year is None or year > today.year:
        return datetime.date(today.year, 1, 1), today
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)


def file_name(filterset, seed):
    """ASCII, naming the year and the nämnd: bidrag-2026-arbetsmarknads-och-…-startvarde-7."""
    year = chosen_year(filterset)
    committee = chosen_committee(filterset)
    parts = [
        "bidrag",
        str(year) if year else "alla-ar",
        slugify(committee.name) if committee else "alla-namnder",
        f"startvarde-{seed}",
    ]
    return "-".join(part for part in parts if part) + ".xlsx"


def write(user, data, output, progress=None):
    """The workbook of the list's filter (and the download form's options) in `data`;
    returns the file name to give it. Swedish whatever the UI language: also the field
    names and actions of its change history."""
    filterset = grant_filter(user, data)
    options = WorkbookForm(data)
    chosen = options.cleaned_data if options.is_valid() else {}
    period = default_period(chosen_year(filterset))
    with translation.override("sv"):
        written = workbook.write(
            filterset.qs,
            output,
            user=user,
            filters=filterset.describe(),
            sample_size=chosen.get("sample_size") if chosen.get("sample_size") is not None else 10,
            seed=chosen.get("seed"),
            changes_from=chosen.get("changes_from") or period[0],
            changes_to=chosen.get("changes_to") or period[1],
            progress=progress,
        )
    return file_name(filterset, written["seed"]), written["seed"]


def query_of(data):
    """What to store to write the same workbook later: the list's query, as a list's
    export stores it (no CSRF token, no page)."""
    return list_exports.query_of(data).urlencode()


def build(export, progress):
    output = io.BytesIO()
    name, seed = write(export.user, QueryDict(export.params["query"]), output, progress)
    return name, output.getvalue(), seed


def may_have(user):
    return access.allows(user, "download_grant_workbook")


exports.register(KIND, _("Auditor's workbook of grants"), build, may_have)
