"""The grant list as .xlsx, for everyone who opens the list (grants.lists_export)."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, query=None):
    response = client.get(reverse("grant_export"), query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response, load_workbook(io.BytesIO(response.content))


def rows(sheet):
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_grant_list_export_has_amounts_as_numbers(client, cast, book):
    client.force_login(cast.staff)
    response, wb = download(client, {"year": 2025})
    assert "bidrag-lista-" in response["Content-Disposition"]
    listed = rows(wb["Bidrag"])
    assert {row["År"] for row in listed} == {2025}
    paid = next(row for row in listed if row["Bidrags-id"] == book.paid.pk)
    assert paid["Beviljat belopp"] == 300_000 and isinstance(paid["Utbetalt"], int)
    assert isinstance(paid["Beslutsdatum"], datetime.datetime)


def test_a_representative_exports_only_their_organisations_grants(client, cast, book):
    client.force_login(cast.representative)
    _response, wb = download(client)
    assert {row["Organisation"] for row in rows(wb["Bidrag"])} == {cast.org.name}


def test_grant_history_names_created_by_in_swedish(client, cast, book):
    book.applied.created_by = cast.staff
    book.applied.purpose = "Nytt ändamål"
    book.applied.save()
    client.force_login(cast.staff)
    page = client.get(book.applied.get_absolute_url()).content.decode()
    assert "Skapad av:" in page
    assert "Created by" not in page and "created by" not in page


def test_decision_dates_in_the_grant_table_do_not_wrap(client, cast, book):
    client.force_login(cast.staff)
    page = client.get(reverse("grant_list"), {"year": 2025}).content.decode()
    decided = book.paid.decision_date.isoformat()
    assert f'<td class="text-nowrap">{decided}</td>' in page
