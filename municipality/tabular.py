"""Reading the spreadsheets people upload: .xlsx, and CSV as Swedish Excel writes it.

Every import (users; organisations, agreements and grants) reads its file here, so each
gets the same forgiveness and the same refusals:

- **What a file is** is decided by its bytes, not its name: a zip that holds a workbook is
  read by openpyxl (read-only, formulas as written, never evaluated); anything else must be
  text. CSV comes semicolon-separated in Windows-1252 or UTF-8 with a byte-order mark from
  Swedish Excel, comma-separated in UTF-8 from elsewhere, tab-separated in UTF-16 from
  Excel's "Unicode text": the encoding and the delimiter are sniffed.
- **The header row** is the row, among the first `HEADER_SCAN` non-empty ones, that names
  the most known columns: title rows above it ("Föreningsbidrag 2025", merged or not) and
  empty rows are passed over, and the data starts below it.
- **Columns** are found by their Swedish headers, with case, spaces, hyphens, dots and
  underscores forgiven ("E-post", "epost", "E post"), and aliases; or by an explicit
  `mapping` {column index: key}, as a person chose it in the import's mapping step. A
  header may be *shared* by two columns ("E-post" is the contact person's beside a
  "Kontaktperson" column, the organisation's otherwise: `Column.beside`). Columns nobody
  asked for are ignored and listed; a missing required one refuses the file.
- **Sum rows** ("Summa", "Totalt" or a `=SUM(...)` under the amounts, with nothing that
  names a record) are skipped with a note saying so; empty rows are skipped silently.
- **Refusals** are one Swedish sentence (`FileError`), never a traceback: an empty file, one
  that is not a spreadsheet, one too large (`MAX_BYTES`, or too large unpacked), too many
  rows. A cell that is a formula or too long is a `Problem` of its row and column: the
  file's other rows are still read, so the preview can list every problem at once.

- **Bounded reading:** a file inside the size limit can still be costly to read (a million
  formatted empty rows, one cell in Excel's last column, a shared string repeated into every
  cell), so reading stops with a refusal after `max_rows` and a margin of records, empty ones
  included, after `MAX_CELLS` cells or `MAX_CHARACTERS` characters, at a row wider than
  `MAX_COLUMNS`, and after `seconds` (settings.IMPORT_READ_SECONDS in a request). Only the
  first sheet is opened, without openpyxl's pass over the whole sheet for its size, and a
  CSV file is decoded as it is read, never whole. benchmarks/hostile_imports.py measures it.

`read` gives rows of raw cell values (text, numbers, dates as the file has them); `text`
turns one into the string a person typed, `date_of` and `kronor_of` into a date and an
amount as Swedish spreadsheets write them. `template` writes the workbook to fill in,
with drop-down lists where a column has a fixed set of values.
"""

import codecs
import csv
import datetime
import io
import itertools
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from municipality.inputs import MAX_AMOUNT, date_in_range
from municipality.spreadsheet import Book
from municipality.spreadsheet import Column as SheetColumn

MAX_BYTES = 5 * 1024 * 1024  # 5 MB: tens of thousands of rows
MAX_UNPACKED = 100 * 1024 * 1024  # what an .xlsx may unpack to (a zip bomb is refused)
MAX_ROWS = 20_000
MAX_CELL = 2_000  # characters in one cell
MAX_COLUMNS = 200  # columns a row may fill; empty cells beyond them are let go
MAX_CELLS = 2_000_000  # cells read, empty ones included: 50,000 rows of 40 columns
MAX_CHARACTERS = 60_000_000  # characters in all cells together
MAX_PART = 15 * 1024 * 1024  # what a workbook's part other than a sheet may unpack to
EMPTY_MARGIN = 1_000  # records beyond max_rows (empty ones, sum rows) still read, at least
CSV_CHUNK = 1024 * 1024  # bytes decoded at a time when the encoding is sniffed

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (";", ",", "\t")
# Control characters (Unicode category Cc) other than tab and line breaks: text has none.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FileError(Exception):
    """The file as a whole cannot be read; the message says why, in Swedish."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key in the rows, the header the template writes,
    other headers people use for it, and whether a file must have it. `shared` are
    headers another column also answers to: this column takes them when the file has the
    column `beside` (the contact person's "E-post" beside "Kontaktperson"), or, with no
    `beside`, when no other column claims them. `patterns` are regular expressions a
    normalised header may match in full ("bidrag2025")."""

    key: str
    header: str
    aliases: tuple = ()
    required: bool = False
    help: str = ""
    shared: tuple = ()
    beside: str = ""
    patterns: tuple = ()

    def names(self):
        return {normalised_header(name) for name in (self.header, *self.aliases)}

    def shared_names(self):
        return {normalised_header(name) for name in self.shared}

    def matches_pattern(self, normalised):
        return any(re.fullmatch(pattern, normalised) for pattern in self.patterns)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one row (`row` as the spreadsheet numbers it) and column."""

    row: int
    column: str
    message: str
    value: str = ""  # the cell as written, shortened, for the message to quote


@dataclass
class Row:
    number: int
    values: dict
    # Keys of cells that could not be read (their problems are in the table's problems).
    unreadable: set = field(default_factory=set)
    # Every cell of the row as the file has it, for the file of refused rows.
    cells: list = field(default_factory=list)


@dataclass
class Table:
    rows: list
    headers: dict  # column key -> the header as the file writes it
    ignored: list  # headers of columns no one asked for
    problems: list  # Problems of single cells (formulas, overlong text)
    notes: list = field(default_factory=list)  # rows skipped, said in Swedish
    header_number: int = 1
    header_cells: list = field(default_factory=list)  # the header row as written


@dataclass(frozen=True)
class FileColumn:
    """A column of an uploaded file, for the mapping step: its place, its header as
    written, its first values, and the key the headers suggest ("" for none)."""

    index: int
    header: str
    samples: tuple
    guess: str


def normalised_header(text):
    """ "E-post ", "e post" and "E_POST" are the same header."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s\-_.:*]+", "", text)


def text(value):
    """A cell as the text a person typed: numbers without a trailing ".0", dates as
    2026-02-27, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def quoted(value, limit=60):
    """A cell as a problem quotes it: one line, shortened."""
    written = " ".join(text(value).split())
    return written if len(written) <= limit else written[: limit - 1] + "…"


def read(
    data,
    columns,
    *,
    mapping=None,
    header_row=None,
    remembered=None,
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_cell=MAX_CELL,
    seconds=None,
):
    """The rows of `data` (bytes of an .xlsx or CSV file) under `columns`, or FileError.
    `mapping` ({column index: key}) says which column is what, under the header on row
    `header_row` (as `survey` found it); without them the headers do, and `remembered`
    ({normalised header: key or ""}) as chosen for earlier files."""
    records, is_csv = _records(data, max_bytes, max_rows, seconds)
    return _table(
        records,
        columns,
        mapping=mapping,
        header_row=header_row,
        remembered=remembered or {},
        is_csv=is_csv,
        max_rows=max_rows,
        max_cell=max_cell,
    )


def survey(data, columns, *, remembered=None, max_bytes=MAX_BYTES, samples=3, seconds=None):
    """The number of the file's header row, and its columns (FileColumn), each with its
    first `samples` non-empty values and the key its header suggests; or FileError."""
    records, is_csv = _records(data, max_bytes, MAX_ROWS, seconds)
    number, header, records = _header_row(records, columns, remembered or {}, is_csv)
    guessed = _guess(header, columns, remembered or {})
    found = {index: [] for index, (value, _f) in enumerate(header) if text(value)}
    for _number, cells in itertools.islice(records, SURVEY_ROWS):
        if all(len(values) >= samples for values in found.values()):
            break
        for index, values in found.items():
            if index < len(cells) and len(values) < samples:
                written = text(cells[index][0])
                if written:
                    values.append(written[:60])
    return number, [
        FileColumn(index, text(header[index][0]), tuple(values), guessed.get(index, ""))
        for index, values in found.items()
    ]


def check(data, *, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, seconds=None):
    """Read every record once within the bounds, keeping none, or FileError: an upload is
    refused at once for what would refuse it at its preview."""
    records, _is_csv = _records(data, max_bytes, max_rows, seconds)
    for _record in records:
        pass


def _records(data, max_bytes, max_rows, seconds):
    """The file's records, bounded (`_bounded`), and whether it is CSV."""
    if seconds is None:
        seconds = settings.IMPORT_READ_SECONDS
    if len(data) > max_bytes:
        raise FileError(
            _("The file is too large: at most %(size)s MB can be imported at once.")
            % {"size": _megabytes(max_bytes)}
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileError(_("The file is empty."))
    began = time.monotonic()
    if data.startswith(XLSX_SIGNATURE):
        records, is_csv = _workbook_records(data), False
    elif data.startswith(OLD_EXCEL_SIGNATURE):
        raise FileError(
            _("The file is in the old Excel format (.xls). Save it as .xlsx or CSV and try again.")
        )
    else:
        records, is_csv = _csv_records(data), True
    limit = max_rows + max(max_rows // 5, EMPTY_MARGIN) + HEADER_SCAN
    return _bounded(records, limit, began + seconds), is_csv


def _bounded(records, limit, deadline):
    """The records, refused past `limit` records, MAX_CELLS cells, MAX_CHARACTERS
    characters, a row filled beyond MAX_COLUMNS, or the monotonic `deadline`."""
    cells = characters = 0
    for count, (number, row) in enumerate(records, start=1):
        if count > limit:
            raise FileError(
                _(
                    "The file has more than %(count)s rows, empty rows included. Delete the "
                    "empty rows below the data (or copy the rows in use to a new file), or "
                    "import it in parts."
                )
                % {"count": _grouped(limit)}
            )
        cells += len(row)
        if len(row) > MAX_COLUMNS:
            if any(text(value) for value, _formula in row[MAX_COLUMNS:]):
                raise FileError(
                    _(
                        "Row %(row)d has text beyond column %(count)d: a file to import has "
                        "at most %(count)d columns."
                    )
                    % {"row": number, "count": MAX_COLUMNS}
                )
            row = row[:MAX_COLUMNS]
        characters += sum(len(value) for value, _formula in row if isinstance(value, str))
        if cells > MAX_CELLS or characters > MAX_CHARACTERS:
            raise FileError(
                _(
                    "The file holds too much to import at once (more than %(cells)s cells or "
                    "%(characters)s characters); import it in parts."
                )
                % {"cells": _grouped(MAX_CELLS), "characters": _grouped(MAX_CHARACTERS)}
            )
        if time.monotonic() > deadline:
            raise FileError(
                _(
                    "Reading the file took too long and was stopped at row %(row)d. Remove "
                    "what the import does not need (empty rows, extra sheets and columns), "
                    "or import it in parts."
                )
                % {"row": number}
            )
        yield number, row


def _grouped(number):
    return f"{number:,}".replace(",", "\u00a0")


# The file's records: (row number, [(value, is_formula), …]) -----------------------------------


def _workbook_records(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileError(_not_a_spreadsheet()) from None
    if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
        raise FileError(
            _(
                "The file is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV and "
                "try again."
            )
        )
    if "xl/workbook.xml" not in names:
        raise FileError(_("The file is a zip archive, not an Excel workbook (.xlsx)."))
    besides_sheets = max(
        (info.file_size for info in archive.infolist() if "worksheets/" not in info.filename),
        default=0,
    )
    if unpacked > MAX_UNPACKED or besides_sheets > MAX_PART:
        raise FileError(_("The workbook is too large when unpacked to be imported."))
    try:
        reader = _FirstSheetReader(io.BytesIO(data), read_only=True, keep_links=False)
        reader.read()
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise FileError(_("The workbook is damaged or not an Excel workbook (.xlsx).")) from None
    return _workbook_rows(reader.wb)


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that does not look for its size when opened: without a
    <dimension> openpyxl parses the whole sheet for it first (a minute for a million empty
    rows) before the first row is read. The size is never needed: every row is read."""

    def _get_size(self):
        pass


class _FirstSheetReader(ExcelReader):
    """openpyxl's reader opening only the first worksheet, as a `_Sheet`: an import
    reads no other, and each would cost its own pass."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.wb._sheets.append(_Sheet(self.wb, sheet.name, rel.target, self.shared_strings))
                return


def _workbook_rows(book):
    try:
        if not book.worksheets:
            raise FileError(_("The workbook has no sheets."))
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [(cell.value, getattr(cell, "data_type", None) == "f") for cell in cells]
    except FileError:
        raise
    except Exception:
        raise FileError(_("The workbook is damaged or not an Excel workbook (.xlsx).")) from None
    finally:
        book.close()


def _encoding(data):
    """The encoding the whole file decodes in without control characters, found a
    chunk at a time (the file is never decoded whole in memory)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    view = memoryview(data)
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), CSV_CHUNK):
                part = decoder.decode(view[start : start + CSV_CHUNK], final=False)
                if CONTROL.search(part):
                    break
            else:
                if not CONTROL.search(decoder.decode(b"", final=True)):
                    return encoding
        except UnicodeDecodeError:
            continue
    raise FileError(_not_a_spreadsheet())


def _lines(data, encoding):
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def _delimiter(lines):
    """The delimiter of the first non-empty line, counting only outside quotes."""
    line = next((line for line in lines if line.strip()), "")
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {delimiter: outside.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_records(data):
    encoding = _encoding(data)
    reader = csv.reader(_lines(data, encoding), delimiter=_delimiter(_lines(data, encoding)))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [(value, value.startswith("=")) for value in cells]
    except csv.Error:
        raise FileError(
            _("Row %(row)d cannot be read as CSV: a cell is too large or a quote is not closed.")
            % {"row": number + 1}
        ) from None


# From records to a table --------------------------------------------------------------------


HEADER_SCAN = 20  # non-empty rows searched for the header row
SURVEY_ROWS = 1_000  # rows searched for the header row, and below it for first values
SUM_WORDS = {"summa", "totalt", "total", "sum", "totalsumma", "summering", "delsumma"}
SUM_FORMULA = re.compile(r"=\s*(sum|summa|subtotal|delsumma)\s*\(", re.IGNORECASE)
NUMBER_LIKE = re.compile(r"-?[\d\s\u00a0]+(?:[.,]\d+)?\s*(?:kr|kronor|sek|:-)?", re.IGNORECASE)


def _non_empty(cells):
    return any(text(value) for value, _formula in cells)


def _header_row(records, columns, remembered, is_csv, number=None):
    """The row naming the most known columns among the first HEADER_SCAN non-empty
    rows (and the first SURVEY_ROWS records: the first such, on a tie), or the row
    `number`, as (number, cells, the records below it)."""
    records = iter(records)
    if number is not None:
        for found, cells in records:
            if found == number:
                return found, cells, records
        raise FileError(_("The file has fewer rows than when it was read."))
    read, scanned, best = [], [], None
    for number, cells in records:
        read.append((number, cells))
        if _non_empty(cells):
            known = len(_guess(cells, columns, remembered))
            scanned.append((number, cells, known))
            if best is None or known > best[2]:
                best = (number, cells, known, len(read))
        if len(scanned) >= HEADER_SCAN or len(read) >= SURVEY_ROWS:
            break
    if best is None:
        raise FileError(_("The file is empty."))
    if not best[2]:
        raise FileError(_no_headers(scanned, columns, is_csv))
    return best[0], best[1], itertools.chain(read[best[3] :], records)


def _no_headers(scanned, columns, is_csv):
    found = [
        " | ".join(text(value)[:40] for value, _f in cells if text(value))
        for _n, cells, _k in scanned[:3]
    ]
    message = _(
        "No known column headers were found in the first rows. The header row must name "
        "the columns, for example: %(columns)s."
    ) % {"columns": ", ".join(column.header for column in columns[:6])}
    message += " " + _("The top rows hold: %(rows)s.") % {
        "rows": "; ".join(f"”{row}”" for row in found)
    }
    if is_csv and all(len(cells) <= 1 for _n, cells, _k in scanned):
        message += " " + _("Columns are separated by semicolons or commas.")
    return message


def _guess(header, columns, remembered):
    """{column index: key} of the header cells the columns (and `remembered` choices)
    name; a key claimed twice goes to its first column only."""
    by_name = {name: column.key for column in columns for name in column.names()}
    keys = {column.key for column in columns}
    written = {
        index: normalised_header(text(value))
        for index, (value, _formula) in enumerate(header)
        if text(value)
    }
    found, taken = {}, set()

    def take(index, key):
        if key and key in keys and key not in taken and index not in found:
            found[index] = key
            taken.add(key)

    for index, name in written.items():
        if name in remembered:
            take(index, remembered[name])
            found.setdefault(index, "")
        elif name in by_name:
            take(index, by_name[name])
    for index, name in written.items():
        if index in found:
            continue
        pattern = next((c.key for c in columns if c.matches_pattern(name)), None)
        if pattern:
            take(index, pattern)
            continue
        sharing = [c for c in columns if name in c.shared_names() and c.key not in taken]
        beside = [c for c in sharing if c.beside and c.beside in taken]
        plain = [c for c in sharing if not c.beside]
        chosen = (beside or plain or [None])[0]
        if chosen is not None:
            take(index, chosen.key)
    return {index: key for index, key in found.items() if key}


def _is_sum_row(cells):
    """A row that sums the rows above: a first text "Summa", "Totalt" …, or a =SUM()
    formula, and no text that names a record."""
    filled = [(value, formula) for value, formula in cells if text(value) != ""]
    if not filled:
        return False
    first, first_formula = filled[0]
    worded = not first_formula and text(first).casefold().rstrip(":").strip() in SUM_WORDS
    summed = any(formula and SUM_FORMULA.match(str(value)) for value, formula in filled)
    if not (worded or summed):
        return False
    return all(
        formula or isinstance(value, int | float) or NUMBER_LIKE.fullmatch(text(value))
        for value, formula in filled[1 if worded else 0 :]
    )


def _table(records, columns, *, mapping, header_row, remembered, is_csv, max_rows, max_cell):
    header_number, header, records = _header_row(records, columns, remembered, is_csv, header_row)
    if mapping is None:
        positions, headers, ignored = _match_headers(header, columns, remembered)
    else:
        positions, headers, ignored = _mapped(header, columns, mapping)
    rows, problems, notes = [], [], []
    for number, cells in records:
        if not _non_empty(cells):
            continue
        if _is_sum_row(cells):
            notes.append(_("Row %(row)d looks like a sum row and is skipped.") % {"row": number})
            continue
        if len(rows) >= max_rows:
            raise FileError(
                _("The file has more than %(count)s rows; import it in parts.")
                % {"count": _grouped(max_rows)}
            )
        row = Row(number=number, values={}, cells=[value for value, _formula in cells])
        for key, index in positions.items():
            value, formula = cells[index] if index < len(cells) else (None, False)
            if formula:
                problems.append(Problem(number, headers[key], _formula_message(value)))
                row.unreadable.add(key)
            elif isinstance(value, str) and len(value) > max_cell:
                problems.append(
                    Problem(
                        number,
                        headers[key],
                        _("The cell is too long: at most %(count)d characters.")
                        % {"count": max_cell},
                    )
                )
                row.unreadable.add(key)
            else:
                row.values[key] = value
        rows.append(row)
    if not rows:
        raise FileError(
            _("The file has headers on row %(row)d but no rows to import below them.")
            % {"row": header_number}
        )
    return Table(
        rows=rows,
        headers=headers,
        ignored=ignored,
        problems=problems,
        notes=notes,
        header_number=header_number,
        header_cells=[value for value, _formula in header],
    )


def _match_headers(header, columns, remembered=None):
    by_name = {name: column for column in columns for name in column.names()}
    guessed = _guess(header, columns, remembered or {})
    for index, (value, _formula) in enumerate(header):
        column = by_name.get(normalised_header(text(value)))
        if column is not None and index not in guessed and column.key in guessed.values():
            raise FileError(
                _("The column “%(column)s” appears twice in the header row.")
                % {"column": column.header}
            )
    return _mapped(header, columns, guessed)


def _mapped(header, columns, mapping):
    """Positions, headers as written and ignored headers under {column index: key}."""
    keys = {column.key for column in columns}
    positions, headers, ignored = {}, {}, []
    for index, (value, _formula) in enumerate(header):
        written = text(value)
        key = mapping.get(index, "")
        if key in keys and key not in positions:
            positions[key], headers[key] = index, written or f"#{index + 1}"
        elif written:
            ignored.append(written)
    missing = [
        column.header for column in columns if column.required and column.key not in positions
    ]
    if missing:
        raise FileError(
            _("The file lacks the required column(s): %(columns)s.")
            % {"columns": ", ".join(f"”{name}”" for name in missing)}
        )
    return positions, headers, ignored


def _formula_message(value):
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return _("The cell holds a formula (%(formula)s); write the value itself instead.") % {
        "formula": shown
    }


def _not_a_spreadsheet():
    return _("The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")


def _megabytes(size):
    return f"{size / (1024 * 1024):.0f}"


# Cells as dates and amounts ------------------------------------------------------------------

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
AMOUNT = re.compile(r"(\d+)(?:[,.](\d{1,2}))?")
CURRENCY = re.compile(r"(kr\.?|kronor|sek|:-)$")


def date_of(value):
    """A date from a cell: an Excel date cell, 2026-02-27, 2026-02-27 00:00 or 27/2/2026;
    ValidationError with a Swedish message otherwise."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        written = unicodedata.normalize("NFKC", text(value)).strip()
        day = None
        if match := ISO_DATE.fullmatch(written):
            year, month, number = match.groups()
        elif match := DAY_FIRST.fullmatch(written):
            number, month, year = match.groups()
        else:
            match = None
        if match:
            try:
                day = datetime.date(int(year), int(month), int(number))
            except ValueError:
                day = None
        if day is None:
            raise ValidationError(
                _("“%(value)s” is not a date. Write it as 2026-02-27 or 27/2/2026.")
                % {"value": _shown(written)},
                code="date",
            )
    date_in_range(day)
    return day


def kronor_of(value):
    """Whole kronor from a cell: 1 234 567, 1234567, 1 234 567 kr or 1234567,00 (and a
    number cell); ValidationError with a Swedish message otherwise."""
    if isinstance(value, bool):
        value = text(value)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(_("Write the amount in kronor, e.g. 1 234 567."), code="amount")
        if round(value, 2) != round(value):
            raise ValidationError(_("Write the amount in whole kronor."), code="amount_ore")
        amount = round(value)
    else:
        written = unicodedata.normalize("NFKC", text(value)).casefold()
        written = "".join(ch for ch in written if not ch.isspace() and ch not in "'")
        written = CURRENCY.sub("", written)
        negative = written.startswith(("-", "−"))
        match = AMOUNT.fullmatch(written.lstrip("-−"))
        if match is None:
            raise ValidationError(
                _("“%(value)s” is not an amount. Write it in kronor, e.g. 1 234 567.")
                % {"value": _shown(text(value))},
                code="amount",
            )
        if match.group(2) and int(match.group(2)):
            raise ValidationError(_("Write the amount in whole kronor."), code="amount_ore")
        amount = -int(match.group(1)) if negative else int(match.group(1))
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."), code="negative")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("An amount can be at most 100 000 000 000 kr."), code="too_large")
    return amount


def _shown(value):
    return value if len(value) <= 40 else value[:39] + "…"


# The template to fill in ------------------------------------------------------------------


def template(columns, examples, *, sheet, about, choices=None):
    """A workbook with the columns' headers and example rows, and a sheet that says what
    each column holds, as .xlsx bytes (through the service's one spreadsheet writer).
    `choices` ({column key: values}) become drop-down lists of those columns' cells."""
    book = Book()
    positions = {column.key: index for index, column in enumerate(columns)}
    book.table(
        sheet,
        [SheetColumn(column.header) for column in columns],
        examples,
        choices={positions[key]: values for key, values in (choices or {}).items()},
        choices_sheet=_("Lists"),
    )
    book.facts(
        about,
        [
            (column.header, (_("Required. ") if column.required else "") + str(column.help))
            for column in columns
        ],
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
