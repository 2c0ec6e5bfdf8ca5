"""The grant list as .xlsx (municipality.list_exports): one row per grant of the list's
filter, for everyone who opens the list. The auditor's workbook (grants.workbook) is the
audit document beside it, with payments, reports back, a sample and the change history,
for those who may download it."""

from django.utils.translation import gettext_lazy as _

from grants.exports import grant_filter
from grants.models import Grant
from municipality import list_exports
from municipality.spreadsheet import Column

COLUMNS = [
    Column("Bidrags-id"),
    Column("Organisation"),
    Column("Organisationsnummer"),
    Column("Nämnd"),
    Column("Bidragsform"),
    Column("År"),
    Column("Ändamål"),
    Column("Status"),
    Column("Sökt belopp", "kronor"),
    Column("Beviljat belopp", "kronor"),
    Column("Utbetalt", "kronor"),
    Column("Beslutsdatum", "date"),
    Column("Diarienummer"),
]


def grants(queryset, user=None, filters=(), progress=None):
    """The grants of `queryset` as .xlsx bytes, from `values_list` rows: the status and
    what was paid are figured by the database with the rows."""
    statuses = dict(Grant.Status.choices)
    rows = (
        queryset.order_by()
        .with_figures()
        .values_list(
            "pk",
            "organisation__name",
            "organisation__org_number",
            "scheme__committee__name",
            "scheme__name",
            "year",
            "purpose",
            "status",
            "applied_amount",
            "granted_amount",
            "paid_total",
            "decision_date",
            "case_number",
        )
        .order_by("year", "scheme__name", "organisation__name", "pk")
    )

    def labelled():
        for row in rows.iterator(chunk_size=2000):
            row = list(row)
            row[7] = str(statuses.get(row[7], row[7]))
            yield row

    return list_exports.single_table(
        "Bidrag", COLUMNS, labelled(), progress, queryset.count, filters
    )


GRANTS = list_exports.register(
    list_exports.ListExport(
        kind="grant_list",
        title=_("Grants (.xlsx)"),
        stem="bidrag-lista",
        list_url="grant_list",
        filtered=grant_filter,
        write=grants,
    )
)
