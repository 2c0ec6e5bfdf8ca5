"""The auditor's workbook as a background export (municipality.exports): a selection
larger than EXPORT_DIRECT_MAX_GRANTS is prepared by the worker, with progress."""

import io

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import workbook
from grants.filters import GrantFilter
from grants.forms import WorkbookForm
from grants.models import Grant
from municipality import access, exports

KIND = "grant_workbook"


def grant_filter(user, data):
    """The grant list's filter over what the user may see."""
    return GrantFilter(
        data,
        queryset=Grant.objects.visible_to(user).for_list(),
        user=user,
        municipality_id=access.scope_for(user).municipality_id,
    )


def write(user, data, output, progress=None):
    """The workbook of the list's filter (and the download form's options) in `data`;
    returns the file name to give it."""
    filterset = grant_filter(user, data)
    options = WorkbookForm(data)
    chosen = options.cleaned_data if options.is_valid() else {}
    written = workbook.write(
        filterset.qs,
        output,
        user=user,
        filters=filterset.describe(),
        sample_size=chosen.get("sample_size") if chosen.get("sample_size") is not None else 10,
        seed=chosen.get("seed"),
        changes_from=chosen.get("changes_from"),
        changes_to=chosen.get("changes_to"),
        progress=progress,
    )
    name = f"bidrag-{timezone.localdate().isoformat()}-fro-{written['seed']}.xlsx"
    return name, written["seed"]


def query_of(data):
    """What to store to write the same workbook later: the query, without the CSRF token."""
    query = data.copy()
    query.pop("csrfmiddlewaretoken", None)
    return query.urlencode()


def build(export, progress):
    output = io.BytesIO()
    name, seed = write(export.user, QueryDict(export.params["query"]), output, progress)
    return name, output.getvalue(), seed


def may_have(user):
    return access.allows(user, "download_grant_workbook")


exports.register(KIND, _("Auditor's workbook of grants"), build, may_have)
