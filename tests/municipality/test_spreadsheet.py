"""The one spreadsheet writer: its look, and text that is never a formula."""

import datetime
import io

import pytest
from django.utils.safestring import mark_safe
from openpyxl import load_workbook

from municipality.spreadsheet import Book, Column, Formula, letter
from tests.spreadsheets import (
    HOSTILE,
    as_libreoffice_keeps_it,
    misread_cells,
    recalculated,
    text_cells,
)

COLUMNS = [Column("Namn"), Column("Belopp", "kronor"), Column("Dag", "date")]


def written(build):
    book = Book()
    build(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def hostile_book(book):
    rows = [[text, n, datetime.date(2026, 2, 27)] for n, text in enumerate(HOSTILE, start=1)]
    book.table("Tabell", COLUMNS, rows, title="=rubrik som text")
    sheet = book.sheet("Fritt", widths=(30, 15))
    sheet.append(["Summa", Formula(f"=SUM(Tabell!B3:B{len(HOSTILE) + 2})")], ["text", "kronor"])
    sheet.append([*HOSTILE, mark_safe("=2+2")], bold=True)
    book.facts("Om uttaget", [(text, text) for text in HOSTILE], title="Om")


def test_a_table_has_a_bold_frozen_header_autofilter_widths_and_formats():
    rows = [["Röda Korset Malmö krets", 1_234_567, datetime.date(2026, 2, 27)], [None, None, None]]
    sheet = load_workbook(io.BytesIO(written(lambda book: book.table("T", COLUMNS, rows))))["T"]
    assert [cell.value for cell in sheet[1]] == ["Namn", "Belopp", "Dag"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["B2"].number_format == '#,##0 "kr"'
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width == len("Röda Korset Malmö krets") + 2
    assert sheet.column_dimensions["B"].width == len("1,234,567 kr") + 2
    assert sheet.column_dimensions["C"].width == len("2026-02-27") + 2


def test_user_text_is_text_in_every_kind_of_sheet():
    book = load_workbook(io.BytesIO(written(hostile_book)))
    table = book["Tabell"]
    assert table["A1"].value == "=rubrik som text" and table["A1"].data_type == "s"
    assert [row[0].value for row in table.iter_rows(min_row=3)] == HOSTILE
    free = book["Fritt"]
    assert [cell.value for cell in free[2]] == [*HOSTILE, "=2+2"]
    assert [row[1].value for row in book["Om uttaget"].iter_rows(min_row=2)] == HOSTILE
    cells = text_cells(book, [*HOSTILE, "=2+2"])
    assert len(cells) == len(HOSTILE) * 4 + 1
    for _sheet, cell in cells:
        assert cell.data_type == "s", cell
        # What could be read as a formula or an error keeps Excel's quote prefix.
        assert cell.quotePrefix == (cell.value[:1] in "=+-@\t\r" or cell.value == "#N/A"), cell
    assert misread_cells(book, formulas_in={"Fritt"}) == []
    assert free["B1"].data_type == "f" and free["B1"].value.startswith("=SUM(")


def test_a_formula_is_only_what_the_service_writes():
    with pytest.raises(ValueError):
        Formula("SUM(A1:A2)")
    assert letter(COLUMNS, "Dag") == "C"
    with pytest.raises(KeyError):
        letter(COLUMNS, "Saknas")


def test_libreoffice_shows_user_text_as_text_and_computes_the_service_formulas(tmp_path):
    path = tmp_path / "fientlig.xlsx"
    path.write_bytes(written(hostile_book))
    formulas, values = recalculated(path, tmp_path)
    assert misread_cells(formulas, formulas_in={"Fritt"}) == []
    assert misread_cells(values) == []
    expected = [as_libreoffice_keeps_it(text) for text in HOSTILE]
    for book in (formulas, values):
        assert [row[0].value for row in book["Tabell"].iter_rows(min_row=3)] == expected
        assert [cell.value for cell in book["Fritt"][2]] == [*expected, "=2+2"]
        assert [row[1].value for row in book["Om uttaget"].iter_rows(min_row=2)] == expected
    assert values["Fritt"]["B1"].value == sum(range(1, len(HOSTILE) + 1))
