"""The mapping step of every import: which column of the file is which field.

After the upload, each column of the file is shown with its header and first values and
a choice of field, pre-filled from the headers (municipality.tabular's synonyms) and from
what the municipality's staff chose for earlier files of the kind (`ImportMapping`). The
choice is kept with the upload as {"row": header row, "columns": {index: key}}, and the
preview and the confirmation read the file under it.
"""

from django.db import transaction

from municipality import tabular
from municipality.access import scope_for
from municipality.models import ImportMapping


def remembered(kind_name, user):
    """{normalised header: field or ""} as the user's municipality chose for the kind."""
    municipality_id = scope_for(user).municipality_id
    if municipality_id is None:
        return {}
    return dict(
        ImportMapping.objects.filter(municipality_id=municipality_id, kind=kind_name).values_list(
            "header", "field"
        )
    )


def survey(kind_name, data, columns, user, *, max_bytes=tabular.MAX_BYTES):
    """(header row, the file's columns as tabular.FileColumn), or tabular.FileError."""
    return tabular.survey(
        data, columns, remembered=remembered(kind_name, user), max_bytes=max_bytes
    )


def automatic(header_row, columns):
    """The mapping a survey's headers suggest, as `choose` keeps it."""
    return {
        "row": header_row,
        "columns": {str(column.index): column.guess for column in columns if column.guess},
    }


def initial(record, header_row, columns):
    """The mapping step's choices to start from: the upload's own, once made, else what
    the headers suggest."""
    if record.mapping and record.mapping.get("row") == header_row:
        return {int(index): key for index, key in record.mapping["columns"].items()}
    return {column.index: column.guess for column in columns}


def read_under(mapping):
    """tabular.read's keyword arguments for a kept mapping (None: by the headers)."""
    if mapping is None:
        return {}
    return {
        "mapping": {int(index): key for index, key in mapping["columns"].items()},
        "header_row": mapping["row"],
    }


@transaction.atomic
def choose(record, *, kind_name, user, header_row, columns, chosen):
    """Keep the mapping step's choice ({column index: key or ""}) with the upload, and
    remember it for the municipality's next file of the kind."""
    record.mapping = {
        "row": header_row,
        "columns": {str(index): key for index, key in chosen.items() if key},
    }
    record.save(update_fields=["mapping"])
    municipality_id = scope_for(user).municipality_id
    if municipality_id is None:
        return
    for column in columns:
        header = tabular.normalised_header(column.header)[:200]
        if header:
            ImportMapping.objects.update_or_create(
                municipality_id=municipality_id,
                kind=kind_name,
                header=header,
                defaults={"field": chosen.get(column.index, "")},
            )
