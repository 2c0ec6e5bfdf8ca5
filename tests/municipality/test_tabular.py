"""Reading uploaded spreadsheets (municipality.tabular): what Swedish Excel writes is read,
and every malformed file, made here, gets one Swedish sentence rather than a traceback."""

import datetime
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from municipality import tabular

COLUMNS = [
    tabular.Column("first_name", "förnamn", ("first name",), True),
    tabular.Column("email", "e-post", ("e-postadress", "email"), True),
    tabular.Column("bodies", "nämnder/förvaltningar", ("nämnd",)),
]


def xlsx(rows, *, formulas=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, formula in formulas:
        sheet[ref] = formula
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def values(table):
    return [(row.number, row.values) for row in table.rows]


SWEDISH_ROWS = [
    ["Förnamn", "E-post", "Nämnder/förvaltningar"],
    ["Åsa", "asa@kommun.se", "Socialförvaltningen"],
    ["Örjan", "orjan@kommun.se", "Miljö-, hälso- och bygglovsförvaltningen"],
]
EXPECTED = [
    (2, {"first_name": "Åsa", "email": "asa@kommun.se", "bodies": "Socialförvaltningen"}),
    (
        3,
        {
            "first_name": "Örjan",
            "email": "orjan@kommun.se",
            "bodies": "Miljö-, hälso- och bygglovsförvaltningen",
        },
    ),
]


def csv_text(rows, delimiter):
    def cell(value):
        return f'"{value}"' if delimiter in value or '"' in value else value

    return "\r\n".join(delimiter.join(cell(v) for v in row) for row in rows) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("cp1252", ";"),  # Swedish Excel's "CSV (semikolonavgränsad)"
        ("utf-8-sig", ";"),  # "CSV UTF-8"
        ("utf-8", ","),  # elsewhere
        ("utf-8", ";"),
        ("utf-16", "\t"),  # Excel's "Unicode text"
    ],
)
def test_csv_as_swedish_excel_and_others_write_it(encoding, delimiter):
    data = csv_text(SWEDISH_ROWS, delimiter).encode(encoding)
    assert values(tabular.read(data, COLUMNS)) == EXPECTED


def test_an_xlsx_workbook_is_read_with_its_cell_types():
    data = xlsx(
        [
            ["förnamn", "e-post", "datum"],
            ["Åsa", "asa@kommun.se", datetime.datetime(2026, 2, 27)],
            [1280, 12.0, None],
        ]
    )
    table = tabular.read(data, COLUMNS)
    assert values(table) == [
        (2, {"first_name": "Åsa", "email": "asa@kommun.se"}),  # no column, no value
        (3, {"first_name": 1280, "email": 12}),
    ]
    assert table.ignored == ["datum"]
    assert [tabular.text(v) for v in (1280, 12.0, 1.5, datetime.datetime(2026, 2, 27))] == [
        "1280",
        "12",
        "1.5",
        "2026-02-27",
    ]


def test_headers_forgive_case_spacing_and_hyphens_and_extra_columns_are_listed():
    data = csv_text(
        [["  FÖRNAMN ", "E post", "Anteckning", "nämnd", "Övrigt"], ["Åsa", "a@x.se", "", "", ""]],
        ";",
    ).encode()
    table = tabular.read(data, COLUMNS)
    assert table.headers == {"first_name": "FÖRNAMN", "email": "E post", "bodies": "nämnd"}
    assert table.ignored == ["Anteckning", "Övrigt"]


def test_empty_rows_are_skipped_and_rows_numbered_as_the_spreadsheet_shows_them():
    data = csv_text([[""], SWEDISH_ROWS[0], ["", "", ""], SWEDISH_ROWS[1]], ";").encode()
    assert [row.number for row in tabular.read(data, COLUMNS).rows] == [4]


def refusal(data, columns=COLUMNS, **limits):
    with pytest.raises(tabular.FileError) as refused:
        tabular.read(data, columns, **limits)
    return refused.value.message


def zipped(files):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return output.getvalue()


MALFORMED = {
    "nothing": (b"", "Filen är tom."),
    "only spaces and a BOM": (b"\xef\xbb\xbf  \r\n \r\n", "Filen är tom."),
    "binary garbage": (
        bytes(range(256)) * 4,
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil.",
    ),
    "UTF-16 without its byte-order mark": (
        csv_text(SWEDISH_ROWS, ";").encode("utf-16-le"),
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil.",
    ),
    "a PNG image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40),
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil.",
    ),
    "a zip that is not a workbook": (
        zipped({"readme.txt": "hej"}),
        "Filen är ett zip-arkiv, inte en Excel-arbetsbok (.xlsx).",
    ),
    "a broken zip": (
        b"PK\x03\x04" + bytes(100),
        "Filen är inte ett kalkylark: ladda upp en Excel-arbetsbok (.xlsx) eller en CSV-fil.",
    ),
    "a workbook's parts with garbage inside": (
        zipped({"[Content_Types].xml": "<nej", "xl/workbook.xml": "<<<"}),
        "Arbetsboken är skadad eller inte en Excel-arbetsbok (.xlsx).",
    ),
    "an OpenDocument spreadsheet": (
        zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
        "Filen är ett OpenDocument-kalkylark (.ods). Spara den som .xlsx eller CSV och försök "
        "igen.",
    ),
    "the old Excel format": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
        "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx eller CSV och försök "
        "igen.",
    ),
    "no header row, only data": (
        "Åsa;asa@kommun.se;Socialförvaltningen\r\n".encode(),
        "Hittade inga kända kolumnrubriker på de första raderna. Rubrikraden ska ange "
        "kolumnerna, till exempel: förnamn, e-post, nämnder/förvaltningar. Raderna överst "
        "innehåller: ”Åsa | asa@kommun.se | Socialförvaltningen”.",
    ),
    "a delimiter that is neither semicolon nor comma": (
        "förnamn|e-post\r\nÅsa|asa@kommun.se\r\n".encode(),
        "Hittade inga kända kolumnrubriker på de första raderna. Rubrikraden ska ange "
        "kolumnerna, till exempel: förnamn, e-post, nämnder/förvaltningar. Raderna överst "
        "innehåller: ”förnamn|e-post”; ”Åsa|asa@kommun.se”. Kolumnerna skiljs åt med "
        "semikolon eller kommatecken.",
    ),
    "a required column missing": (
        "förnamn;nämnd\r\nÅsa;Socialnämnden\r\n".encode(),
        "Filen saknar obligatoriska kolumner: ”e-post”.",
    ),
    "a column twice": (
        "förnamn;e-post;E-postadress\r\nÅsa;a@x.se;b@x.se\r\n".encode(),
        "Kolumnen ”e-post” finns två gånger på rubrikraden.",
    ),
    "headers but no rows": (
        "förnamn;e-post\r\n;\r\n".encode(),
        "Filen har rubriker på rad 1 men inga rader att importera under dem.",
    ),
    "an empty workbook": (xlsx([]), "Filen är tom."),
    "a quote never closed, past the cell limit": (
        ("förnamn;e-post\r\n" + '"' + "x" * 200_000).encode(),
        "Rad 2 kan inte läsas som CSV: en cell är för stor eller ett citattecken är inte avslutat.",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_file_gets_one_swedish_sentence(case):
    data, message = MALFORMED[case]
    assert refusal(data) == message


def test_an_oversized_file_is_refused_before_it_is_read():
    assert refusal(b"x" * 101, max_bytes=100) == (
        "Filen är för stor: högst 0 MB kan importeras åt gången."
    )
    assert refusal(b"x" * (tabular.MAX_BYTES + 1)) == (
        "Filen är för stor: högst 5 MB kan importeras åt gången."
    )


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED", 1000)
    assert refusal(xlsx([["förnamn", "e-post"], ["x" * 2000, "a@x.se"]])) == (
        "Arbetsboken är för stor uppackad för att kunna importeras."
    )


def test_too_many_rows_are_refused():
    data = csv_text([["förnamn", "e-post"]] + [["Åsa", "a@x.se"]] * 11, ";").encode()
    assert refusal(data, max_rows=10) == "Filen har fler än 10 rader; importera den i delar."


def test_formulas_and_overlong_cells_are_problems_of_their_row_and_column():
    data = xlsx(
        [["förnamn", "e-post"], ["Åsa", "asa@kommun.se"], ["x" * 3000, "b@x.se"]],
        formulas=[("B2", '=HYPERLINK("https://example.com","klicka")')],
    )
    table = tabular.read(data, COLUMNS)
    assert [(p.row, p.column, p.message) for p in table.problems] == [
        (
            2,
            "e-post",
            'Cellen innehåller en formel (=HYPERLINK("https://example.com","klick…); skriv '
            "själva värdet i stället.",
        ),
        (3, "förnamn", "Cellen är för lång: högst 2000 tecken."),
    ]
    assert [(row.values, row.unreadable) for row in table.rows] == [
        ({"first_name": "Åsa"}, {"email"}),
        ({"email": "b@x.se"}, {"first_name"}),
    ]


def test_a_csv_cell_written_as_a_formula_is_a_problem_too():
    data = 'förnamn;e-post\r\n=1+1;"=HYPERLINK(""http://x"")"\r\n'.encode()
    assert [(p.row, p.column) for p in tabular.read(data, COLUMNS).problems] == [
        (2, "förnamn"),
        (2, "e-post"),
    ]


def test_the_template_round_trips():
    data = tabular.template(
        COLUMNS, [["Åsa", "=inte en formel", "Socialnämnden"]], sheet="Användare", about="Om"
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["förnamn", "e-post", "nämnder/förvaltningar"]
    table = tabular.read(data, COLUMNS)
    assert values(table) == [
        (2, {"first_name": "Åsa", "email": "=inte en formel", "bodies": "Socialnämnden"})
    ]
    assert table.problems == []  # text written by the service is text, not a formula


@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_in_swedish(data):
    try:
        table = tabular.read(data, COLUMNS)
    except tabular.FileError as error:
        assert error.message and "Traceback" not in error.message
    else:
        assert isinstance(table.rows, list)


@given(
    st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=5), min_size=1, max_size=8),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_cells_are_read_or_refused_in_swedish(cells, delimiter, encoding):
    text = csv_text([["förnamn", "e-post"], *cells], delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        tabular.read(data, COLUMNS)
    except tabular.FileError as error:
        assert error.message
