"""Bounded reading (municipality.tabular): files inside the size limit that would be costly
to read are refused in Swedish before they are (empty rows, far columns, too many cells or
characters, a deadline), and what a good file holds is still read whole. The costs these
bounds prevent are measured by benchmarks/hostile_imports.py, not here."""

import io
import itertools
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from municipality import tabular
from municipality.models import RegisterImport, UserImport

COLUMNS = [
    tabular.Column("first_name", "förnamn", (), True),
    tabular.Column("email", "e-post", (), True),
    tabular.Column("bodies", "nämnd"),
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def handmade(rows_xml, shared=()):
    """An .xlsx as programs other than openpyxl write it: no <dimension>, and rows and
    cells only where the sheet's XML says."""
    strings = "".join(f"<si><t>{value}</t></si>" for value in shared)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName'
            '="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings'
            '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target='
            '"sharedStrings.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}">{strings}</sst>'
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{"".join(rows_xml)}'
            "</sheetData></worksheet>",
        )
    return output.getvalue()


def cell(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def good_rows():
    yield '<row r="1">' + cell("A1", "förnamn") + cell("B1", "e-post") + "</row>"
    yield '<row r="2">' + cell("A2", "Åsa") + cell("B2", "asa@kommun.se") + "</row>"


def refusal(data, **options):
    with pytest.raises(tabular.FileError) as refused:
        tabular.read(data, COLUMNS, **options)
    return refused.value.message


def values(table):
    return [(row.number, row.values) for row in table.rows]


def csv(lines):
    return ("\r\n".join(lines) + "\r\n").encode()


# Records, empty ones included -------------------------------------------------------------


def test_formatted_empty_rows_beyond_the_margin_are_refused_saying_what_to_do():
    empty = (f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>' for n in
             range(3, 3 + 1_100))  # fmt: skip
    data = handmade(itertools.chain(good_rows(), empty))
    assert refusal(data, max_rows=10) == (
        "Filen har fler än 1\u00a0030 rader, tomma rader medräknade. Ta bort de tomma raderna "
        "under uppgifterna (eller kopiera raderna som används till en ny fil), eller importera "
        "den i delar."
    )


def test_empty_rows_within_the_margin_are_read_past_and_skipped():
    empty = (f'<row r="{n}"><c r="A{n}" s="1"/></row>' for n in range(3, 900))
    last = '<row r="900">' + cell("A900", "Örjan") + cell("B900", "orjan@kommun.se") + "</row>"
    table = tabular.read(handmade(itertools.chain(good_rows(), empty, [last])), COLUMNS)
    assert values(table) == [
        (2, {"first_name": "Åsa", "email": "asa@kommun.se"}),
        (900, {"first_name": "Örjan", "email": "orjan@kommun.se"}),
    ]


def test_a_stray_cell_far_below_the_data_counts_the_rows_between():
    stray = '<row r="70000">' + cell("A70000", "x") + "</row>"
    data = handmade(itertools.chain(good_rows(), [stray]))
    assert refusal(data, max_rows=20_000).startswith("Filen har fler än 24\u00a0020 rader,")


def test_a_workbook_without_a_dimension_is_read_from_its_rows():
    """openpyxl's own size (read from the whole sheet when <dimension> is missing) is not
    asked for: the rows are what the sheet's XML has."""
    data = handmade(good_rows())
    assert values(tabular.read(data, COLUMNS)) == [
        (2, {"first_name": "Åsa", "email": "asa@kommun.se"})
    ]


def test_only_the_first_sheet_is_read():
    book = Workbook()
    book.active.append(["förnamn", "e-post"])
    book.active.append(["Åsa", "asa@kommun.se"])
    other = book.create_sheet("Annat")
    other.append(["förnamn", "e-post"])
    other.append(["Bo", "bo@kommun.se"])
    output = io.BytesIO()
    book.save(output)
    assert values(tabular.read(output.getvalue(), COLUMNS)) == [
        (2, {"first_name": "Åsa", "email": "asa@kommun.se"})
    ]


# Columns, cells, characters ----------------------------------------------------------------


def test_text_beyond_the_last_column_is_refused_with_its_row():
    far = '<row r="3">' + cell("A3", "Bo") + cell("B3", "bo@x.se") + cell("XFD3", "x") + "</row>"
    assert refusal(handmade(itertools.chain(good_rows(), [far]))) == (
        "Rad 3 har text efter kolumn 200: en fil att importera har högst 200 kolumner."
    )


def test_an_empty_formatted_cell_far_out_is_let_go():
    far = '<row r="3">' + cell("A3", "Bo") + cell("B3", "bo@x.se") + '<c r="XFD3" s="1"/></row>'
    table = tabular.read(handmade(itertools.chain(good_rows(), [far])), COLUMNS)
    assert values(table)[-1] == (3, {"first_name": "Bo", "email": "bo@x.se"})
    assert len(table.rows[-1].cells) == tabular.MAX_COLUMNS


def test_rows_of_far_empty_cells_are_refused_by_the_cells_they_make(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_CELLS", 50_000)
    far = (f'<row r="{n}"><c r="XFD{n}" s="1"/></row>' for n in range(3, 10))
    assert refusal(handmade(itertools.chain(good_rows(), far))) == (
        "Filen innehåller för mycket för att importeras på en gång (fler än 50\u00a0000 celler "
        "eller 60\u00a0000\u00a0000 tecken); importera den i delar."
    )


def test_too_many_characters_are_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_CHARACTERS", 100)
    data = csv(["förnamn;e-post"] + [f"{'Å' * 30};a{n}@x.se" for n in range(5)])
    assert refusal(data).startswith("Filen innehåller för mycket för att importeras")


def test_a_shared_string_table_too_large_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_PART", 1_000)
    rows = ['<row r="1">' + cell("A1", "förnamn") + cell("B1", "e-post") + "</row>"]
    data = handmade(rows, shared=["upprepad text"] * 200)
    assert refusal(data) == "Arbetsboken är för stor uppackad för att kunna importeras."


# The deadline ------------------------------------------------------------------------------


class Clock:
    """A monotonic clock that moves `step` seconds each time it is read."""

    def __init__(self, step):
        self.now, self.step = 0.0, step

    def __call__(self):
        self.now += self.step
        return self.now


def stopped_at(message):
    """The row a refusal for the deadline names (None for another refusal)."""
    found = re.fullmatch(
        r"Att läsa filen tog för lång tid och avbröts vid rad (\d+)\. Ta bort det som "
        r"importen inte behöver \(tomma rader, extra blad och kolumner\), eller importera "
        r"den i delar\.",
        message,
    )
    return int(found.group(1)) if found else None


def test_reading_stops_at_the_deadline_naming_the_row(monkeypatch):
    monkeypatch.setattr(tabular.time, "monotonic", Clock(step=1.0))
    data = csv(["förnamn;e-post"] + [f"Åsa;a{n}@x.se" for n in range(30)])
    assert 1 <= stopped_at(refusal(data, seconds=5)) <= 6


@override_settings(IMPORT_READ_SECONDS=3)
def test_the_deadline_is_the_setting_unless_told(monkeypatch):
    monkeypatch.setattr(tabular.time, "monotonic", Clock(step=1.0))
    data = csv(["förnamn;e-post"] + [f"Åsa;a{n}@x.se" for n in range(30)])
    assert 1 <= stopped_at(refusal(data)) <= 4
    monkeypatch.setattr(tabular.time, "monotonic", Clock(step=1.0))
    assert len(tabular.read(data, COLUMNS, seconds=100).rows) == 30


# CSV decoded as it is read -----------------------------------------------------------------


def test_a_character_split_across_chunks_is_decoded_whole(monkeypatch):
    monkeypatch.setattr(tabular, "CSV_CHUNK", 7)
    data = csv(["förnamn;e-post", "Åsa Öberg;asa@x.se", "Ärla;arla@x.se"])
    assert [row.values["first_name"] for row in tabular.read(data, COLUMNS).rows] == [
        "Åsa Öberg",
        "Ärla",
    ]


def test_windows_1252_found_from_a_byte_far_into_the_file(monkeypatch):
    monkeypatch.setattr(tabular, "CSV_CHUNK", 16)
    lines = ["förnamn;e-post"] + [f"Bo;b{n}@x.se" for n in range(40)] + ["Åsa;asa@x.se"]
    table = tabular.read(("\r\n".join(lines) + "\r\n").encode("cp1252"), COLUMNS)
    assert table.rows[-1].values == {"first_name": "Åsa", "email": "asa@x.se"}
    assert table.rows[0].values["first_name"] == "Bo"


def test_a_control_character_in_a_later_chunk_refuses_the_file(monkeypatch):
    monkeypatch.setattr(tabular, "CSV_CHUNK", 16)
    data = csv(["förnamn;e-post"] + [f"Bo;b{n}@x.se" for n in range(40)] + ["Å\x01;a@x.se"])
    assert refusal(data) == (
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil."
    )


# What the mapping step surveys -------------------------------------------------------------


def test_the_survey_of_a_long_file_looks_at_its_first_rows_only():
    lines = ["förnamn;e-post;nämnd"] + [f"Bo;b{n}@x.se;" for n in range(30_000)]
    number, found = tabular.survey(csv(lines), COLUMNS)
    assert number == 1
    assert [(column.header, column.samples) for column in found] == [
        ("förnamn", ("Bo", "Bo", "Bo")),
        ("e-post", ("b0@x.se", "b1@x.se", "b2@x.se")),
        ("nämnd", ()),
    ]


# Through the uploads -----------------------------------------------------------------------


def empty_below():
    return (
        f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>' for n in range(3, 62_100)
    )


def test_a_register_file_beyond_the_bounds_is_refused_at_its_upload(client, cast):
    rows = [
        '<row r="1">' + cell("A1", "namn") + "</row>",
        '<row r="2">' + cell("A2", "Föreningen") + "</row>",
    ]
    data = handmade(itertools.chain(rows, empty_below()))
    client.force_login(cast.staff)
    response = client.post(
        reverse("register_import", args=["organisations"]),
        {"file": SimpleUploadedFile("foreningar.xlsx", data)},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("Filen har fler än 60\u00a0020 rader, tomma rader medräknade.")
    assert error in response.content.decode()
    assert RegisterImport.objects.count() == 0


def test_a_user_file_beyond_the_bounds_is_refused_at_its_upload(client, cast):
    far = '<row r="3">' + cell("A3", "Bo") + cell("B3", "bo@x.se") + cell("HZ3", "x") + "</row>"
    data = handmade(itertools.chain(good_rows(), [far]))
    client.force_login(cast.admin)
    response = client.post(
        reverse("user_import"), {"file": SimpleUploadedFile("anvandare.xlsx", data)}
    )
    assert response.context["form"].errors["file"] == [
        "Rad 3 har text efter kolumn 200: en fil att importera har högst 200 kolumner."
    ]
    assert UserImport.objects.count() == 0
