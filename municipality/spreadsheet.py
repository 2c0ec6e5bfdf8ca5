"""Every .xlsx the service produces is written here: one look, and one safety rule.

The look: tables with a bold, frozen header row, an autofilter, column widths fitted to
the first rows, amounts as `1 234 567 kr` and dates as 2026-02-27 (`Column.kind`).

The rule: text is never a formula. openpyxl would store a string starting with "=" as a
formula and "#N/A" as an error value; text starting with "+", "-" or "@" becomes a formula
once someone edits the cell; and a leading tab or carriage return can hide such a start
(OWASP's list for formula injection). So every string is written as a text cell, and one
that could be read as anything else also carries the quote prefix, which is what Excel
itself stores when someone types '=1+1: Excel and LibreOffice show the text unchanged, and
it stays text when edited. The only formulas are the ones the service writes itself, as
`Formula`.

Sheets are written in openpyxl's write-only mode, row by row, so memory stays flat
however many rows a queryset gives. A sheet's widths and frozen panes are therefore
given when it is created, before its first row.
"""

import datetime
import itertools
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

KRONOR = '#,##0 "kr"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
FORMATS = {"kronor": KRONOR, "date": DATE, "datetime": DATETIME}
BOLD = Font(bold=True)
LEFT = Alignment(horizontal="left")
TEMPLATE_ROWS = 5000  # rows below the header that a template's drop-down lists cover
WIDTH_SAMPLE = 200  # rows looked at to fit column widths before streaming the rest

# What makes a spreadsheet program read text as something else (OWASP's list for CSV).
FORMULA_START = frozenset("=+-@\t\r")
ERROR_VALUES = frozenset(ERROR_CODES)


@dataclass(frozen=True)
class Column:
    """A table column: its header and the kind of its values (text, kronor, date,
    datetime), which gives the number format."""

    header: str
    kind: str = "text"


@dataclass(frozen=True)
class Formula:
    """A formula the service itself writes, such as `=SUM(D3:D9)`. Never made from user
    text: only values wrapped in `Formula` become formulas."""

    text: str

    def __post_init__(self):
        if not self.text.startswith("="):
            raise ValueError(f"A formula starts with '=': {self.text!r}")


def is_risky(text):
    """Whether a spreadsheet program could read `text` as a formula or an error value."""
    return text[:1] in FORMULA_START or text in ERROR_VALUES


def letter(columns, header):
    """The column letter of the column with `header`, for formulas over a table."""
    for index, column in enumerate(columns, start=1):
        if column.header == header:
            return get_column_letter(index)
    raise KeyError(header)


class Book:
    """A workbook streamed to a binary file. Sheets appear in the order they are made."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(self, name, *, widths=(), freeze=None):
        """A free-form sheet: the widths of its first columns, and the top-left cell of
        the part that scrolls (`"A3"` keeps the first two rows in view)."""
        return Sheet(self._book.create_sheet(name), widths=widths, freeze=freeze)

    def table(self, name, columns, rows, *, title=None, choices=None, choices_sheet="Lists"):
        """A table of `columns` from `rows` (one value per column), with an optional bold
        title line above the header. `choices` ({column index: values}) makes the cells
        of those columns drop-down lists, kept on a hidden sheet `choices_sheet`. Returns
        the number of rows written."""
        rows = iter(rows)
        head = list(itertools.islice(rows, WIDTH_SAMPLE))
        widths = []
        for n, column in enumerate(columns):
            longest = max([len(column.header), *(_width(row[n], column.kind) for row in head)])
            widths.append(min(max(longest + 2, 8), 60))
        header_row = 2 if title else 1
        sheet = self.sheet(name, widths=widths, freeze=f"A{header_row + 1}")
        if title:
            sheet.append([title], bold=True)
        sheet.append([column.header for column in columns], bold=True)
        if choices:
            self._choices(sheet, choices, choices_sheet, first_row=header_row + 1)
        count = sheet.extend(itertools.chain(head, rows), [column.kind for column in columns])
        last = get_column_letter(len(columns))
        sheet.auto_filter(f"A{header_row}:{last}{header_row + max(count, 1)}")
        return count

    def _choices(self, sheet, choices, name, *, first_row):
        """Each column's values one per row in a column of a hidden sheet, and a list
        validation pointing there: a list written into the validation itself is cut at
        255 characters and split at commas, which Swedish names hold."""
        lists = self.sheet(name)
        lists._sheet.sheet_state = "hidden"
        ordered = sorted(choices.items())
        longest = max((len(values) for _index, values in ordered), default=0)
        for n in range(longest):
            lists.append([values[n] if n < len(values) else None for _index, values in ordered])
        for position, (index, values) in enumerate(ordered, start=1):
            if not values:
                continue
            source = get_column_letter(position)
            validation = DataValidation(
                type="list",
                formula1=f"={quote_sheetname(name)}!${source}$1:${source}${len(values)}",
                allow_blank=True,
            )
            target = get_column_letter(index + 1)
            validation.add(f"{target}{first_row}:{target}{first_row + TEMPLATE_ROWS}")
            sheet._sheet.data_validations.append(validation)

    def facts(self, name, facts, *, title=None):
        """A sheet of (label, value) pairs, such as "Om uttaget": who, when, which
        filter. Dates and times are written as such, aligned left like the text."""
        sheet = self.sheet(name, widths=(34, 60))
        if title:
            sheet.append([title, ""], bold=True)
        for label, value in facts:
            kind = _kind(value)
            sheet.append([label, sheet.cell(value, kind, align=LEFT if kind != "text" else None)])

    def save(self, output):
        self._book.save(output)


class Sheet:
    """One write-only sheet. Every value appended goes through `cell`."""

    def __init__(self, sheet, *, widths=(), freeze=None):
        self._sheet = sheet
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            sheet.freeze_panes = freeze

    def cell(self, value, kind="text", *, bold=False, align=None):
        """`value` ready to append: strings become text cells, `Formula`s formulas,
        numbers and dates get the format of `kind`. Plain values stay plain, which is
        what openpyxl writes fastest."""
        if value is None or isinstance(value, Cell):
            return value
        text = isinstance(value, str)
        if text and ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # stored before input refused them
        risky = text and is_risky(value)
        number_format = None if text else FORMATS.get(kind)
        formula = isinstance(value, Formula)
        if not (risky or formula or number_format or bold or align):
            return value
        cell = WriteOnlyCell(self._sheet, value=value.text if formula else value)
        if risky:
            cell.data_type = "s"  # not the formula or error value openpyxl took it for
            cell.quotePrefix = True
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = BOLD
        if align:
            cell.alignment = align
        return cell

    def append(self, values, kinds=(), *, bold=False):
        """Append one row; `kinds` gives the kinds of its first values, text after them."""
        kinds = itertools.chain(kinds, itertools.repeat("text"))
        cells = [
            self.cell(value, kind, bold=bold) for value, kind in zip(values, kinds, strict=False)
        ]
        self._sheet.append(cells)

    def extend(self, rows, kinds):
        """Append `rows` of values of `kinds`; return how many. This is `cell` written
        out for speed, as it runs for every value of a table of any size."""
        sheet, append, count = self._sheet, self._sheet.append, 0
        formats = [FORMATS.get(kind) for kind in kinds]
        for row in rows:
            cells = []
            for value, number_format in zip(row, formats, strict=True):
                if isinstance(value, str):
                    if (
                        value[:1] in FORMULA_START
                        or value in ERROR_VALUES
                        or ILLEGAL_CHARACTERS_RE.search(value)
                    ):
                        value = self.cell(value)
                elif number_format is not None and value is not None:
                    value = WriteOnlyCell(sheet, value=value)
                    value.number_format = number_format
                cells.append(value)
            append(cells)
            count += 1
        return count

    def auto_filter(self, ref):
        self._sheet.auto_filter.ref = ref


def _kind(value):
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, datetime.date):
        return "date"
    return "text"


def _width(value, kind):
    """How many characters `value` takes in a column of `kind`."""
    if value is None:
        return 0
    if kind == "kronor" and isinstance(value, int):
        return len(f"{value:,} kr")
    if kind in FORMATS:
        return len(FORMATS[kind])
    return max((len(line) for line in str(value).splitlines()), default=0)
