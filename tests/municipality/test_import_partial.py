"""A partial import on request: the rows without problems are imported, the refused
ones downloaded as an .xlsx with a column "Varför", corrected and imported again."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from municipality.models import RegisterImport
from partners.models import ContactPerson, Organisation
from tests.import_steps import upload_and_map
from tests.spreadsheets import forvaltning_workbook
from tests.test_access_post import changed_tables, snapshot

HEADER = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post", "Ort"]
ROWS = [
    ["Föreningen Ängsö", "802479-1454", "Åsa Öberg", "asa@angso.example", "Malmö"],
    ["Fel nummer", "802479-1455", "", "", "Lund"],
    ["Brukarföreningen Väst", "802500-1234", "Örjan Ek", "inte-en-adress", "Malmö"],
    ["Föreningen Norr", "802500-4568", "", "", ""],
]


def preview(client, data):
    response = upload_and_map(client, "organisations", data, name="lista.xlsx")
    return response["Location"], client.get(response["Location"])


def test_the_good_rows_are_imported_and_the_refused_downloaded_with_why(client, cast):
    client.force_login(cast.staff)
    url, page = preview(client, forvaltning_workbook(HEADER, ROWS))
    good = page.context["good_rows"]
    assert good.refused == [6, 7]
    assert "Importera de godkända raderna" in page.content.decode()
    # The whole file is not imported: it has problems.
    record = page.context["record"]
    before = snapshot()
    client.post(url, {"digest": record.digest, "plan": page.context["plan"].fingerprint()})
    assert changed_tables(before, snapshot()) == []
    response = client.post(
        url, {"digest": record.digest, "plan": good.fingerprint(), "rows": "good"}
    )
    assert response.status_code == 302
    imported = Organisation.objects.filter(org_number__in=["802479-1454", "802500-4568"])
    assert set(imported.values_list("name", flat=True)) == {"Föreningen Ängsö", "Föreningen Norr"}
    assert not Organisation.objects.filter(
        name__in=["Fel nummer", "Brukarföreningen Väst"]
    ).exists()
    done = client.get(url).content.decode()
    assert "2 rader med problem lämnades utanför." in done
    download = client.get(reverse("register_import_refused", args=["organisations", record.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [*HEADER, "Varför"]
    assert [row[:5] for row in rows[1:]] == [
        ["Fel nummer", "802479-1455", None, None, "Lund"],
        ["Brukarföreningen Väst", "802500-1234", "Örjan Ek", "inte-en-adress", "Malmö"],
    ]
    assert "Org.nr:" in rows[1][5] and "(”802479-1455”)" in rows[1][5]
    assert "E-post:" in rows[2][5] and "inte-en-adress" in rows[2][5]

    # Corrected and imported again: what was imported is not doubled.
    sheet.cell(2, 2).value = "802511-2221"
    sheet.cell(3, 4).value = "orjan@vast.example"
    sheet.cell(1, 1).value = "Föreningsnamn"
    output = io.BytesIO()
    sheet.parent.save(output)
    url, page = preview(client, output.getvalue())
    plan = page.context["plan"]
    assert plan.problems == []
    assert [(item.row, item.name) for item in plan.create] == [
        (2, "Fel nummer"),
        (3, "Brukarföreningen Väst"),
        (3, "Örjan Ek (Brukarföreningen Väst)"),
    ]
    record = page.context["record"]
    client.post(url, {"digest": record.digest, "plan": plan.fingerprint()})
    assert Organisation.objects.filter(org_number="802479-1454").count() == 1
    assert ContactPerson.objects.filter(name="Åsa Öberg").count() == 1
    assert ContactPerson.objects.get(name="Örjan Ek").email == "orjan@vast.example"


def test_the_refused_file_writes_formulas_as_text(client, cast):
    client.force_login(cast.staff)
    rows = [["=1+1", "802479-1455", "", "", ""], ["Föreningen Ängsö", "802479-1454", "", "", ""]]
    _url, page = preview(client, forvaltning_workbook(HEADER, rows))
    record = page.context["record"]
    download = client.get(reverse("register_import_refused", args=["organisations", record.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    cell = sheet.cell(2, 1)
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_someone_elses_refused_rows_are_not_found(client, cast):
    client.force_login(cast.staff)
    preview(client, forvaltning_workbook(HEADER, ROWS))
    record = RegisterImport.objects.get()
    client.force_login(cast.other_staff)
    url = reverse("register_import_refused", args=["organisations", record.pk])
    assert client.get(url).status_code == 404


def test_after_the_import_the_page_links_to_what_was_written_and_may_be_opened(
    client, cast, settings
):
    from municipality import register_import

    settings.LANGUAGE_CODE = "sv"
    client.force_login(cast.staff)
    header = ["Föreningsnamn", "Org.nr", "Kontaktperson", "Ort"]
    rows = [["Föreningen Ängsö", "802479-1454", "Åsa Öberg", "Malmö"],
            [cast.org.name, cast.org.org_number, "", "Malmö"]]  # fmt: skip
    url, page = preview(client, forvaltning_workbook(header, rows))
    record = page.context["record"]
    client.post(url, {"digest": record.digest, "plan": page.context["plan"].fingerprint()})
    new = Organisation.objects.get(org_number="802479-1454")
    done = client.get(url).content.decode()
    assert f'Organisation: <a href="/organisationer/{new.pk}/">Föreningen Ängsö</a>' in done
    assert f'<a href="/organisationer/{new.pk}/">Åsa Öberg (Föreningen Ängsö)</a>' in done
    assert f'<a href="/organisationer/{cast.org.pk}/">{cast.org.name}</a>' in done
    # Only what the user may open: Kalmar's staff see none of Malmö's organisations.
    record.refresh_from_db()
    assert register_import.links(record, cast.kalmar_staff) == []
    assert len(register_import.links(record, cast.staff)) == 3


def test_the_links_are_bounded(cast, monkeypatch):
    from municipality import register_import
    from partners.register_import import ORGANISATIONS

    monkeypatch.setattr(register_import, "LINKS", 2)
    header = ["Namn", "Org.nr"]
    rows = [["Föreningen Ängsö", "802479-1454"], ["Föreningen Norr", "802500-4568"],
            ["Föreningen Väst", "802500-1234"]]  # fmt: skip
    result = register_import.run(
        ORGANISATIONS, forvaltning_workbook(header, rows), user=cast.staff, file_name="x"
    )
    assert [name for _l, _pk, _s, _w, name in register_import.written_links(result)] == [
        "Föreningen Ängsö",
        "Föreningen Norr",
    ]


def test_the_refused_rows_kept_after_a_partial_import_go_after_a_day(client, cast):
    import datetime

    from django.utils import timezone

    from municipality import personal_data

    client.force_login(cast.staff)
    url, page = preview(client, forvaltning_workbook(HEADER, ROWS))
    good, record = page.context["good_rows"], page.context["record"]
    client.post(url, {"digest": record.digest, "plan": good.fingerprint(), "rows": "good"})
    record.refresh_from_db()
    assert bytes(record.data)[:2] == b"PK" and record.counts["refused"] == 2
    today = timezone.localdate()
    assert personal_data.gallra(today=today)["register_files"] == 0
    RegisterImport.objects.filter(pk=record.pk).update(
        imported_at=record.imported_at - datetime.timedelta(days=3)
    )
    assert personal_data.gallra(today=today)["register_files"] == 1
    record.refresh_from_db()
    assert (bytes(record.data), record.counts["created"]) == (b"", 3)
    refused_url = reverse("register_import_refused", args=["organisations", record.pk])
    assert client.get(refused_url).status_code == 404
