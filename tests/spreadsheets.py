"""What the workbook tests share: hostile text, and LibreOffice to recalculate a workbook.

`HOSTILE` is text a user could type as a name: formulas and what a spreadsheet program
reads as one, an error value, the wildcards and operators of a SUMIFS criterion, and
separators. Every workbook must show each of them as the plain text it is.
"""

import csv
import io
import subprocess

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "=1+1",
    "+SUM(A1)",
    "-2",
    "@x",
    "\tflik först",
    "\rvagnretur först",
    "*",
    "a<b",
    "?",
    "~*",
    "<>",
    ">0",
    "#N/A",
    "Komma, semikolon; och citat \"'",
    "rad ett\r\nrad två\nrad tre",
]


def recalculated(path, tmp_path):
    """The workbook at `path` opened, recalculated and saved again by LibreOffice; returns
    (formulas, values): the result read by openpyxl as it is and with cached values."""
    out = tmp_path / "recalculated"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out / path.name
    return load_workbook(result), load_workbook(result, data_only=True)


def as_libreoffice_keeps_it(text):
    """LibreOffice keeps text as it is but for line ends: CR LF becomes LF."""
    return text.replace("\r\n", "\n")


def text_cells(book, texts):
    """Every cell of `book` whose value is one of `texts`, as (sheet, cell) pairs."""
    wanted = set(texts)
    return [
        (sheet.title, cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in wanted
    ]


def misread_cells(book, formulas_in=()):
    """Cells that became an error value, a hyperlink, or a formula outside the sheets
    `formulas_in` (those the service writes its own formulas in)."""
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "e"
        or cell.hyperlink is not None
        or (cell.data_type == "f" and sheet.title not in formulas_in)
    ]


# A förvaltning's own list, as it has it -------------------------------------------------

FORVALTNING_TITLES = ["Föreningsbidrag 2025", "Kultur- och fritidsförvaltningen"]


def forvaltning_workbook(header, rows, *, total_of=None):
    """An .xlsx as a förvaltning keeps its list: two merged title rows, an empty row, the
    headers, the rows, and a "Summa" row with =SUM() under the column `total_of`."""
    book = Workbook()
    sheet = book.active
    last = get_column_letter(len(header))
    for number, title in enumerate(FORVALTNING_TITLES, start=1):
        sheet.cell(number, 1, title)
        sheet.merge_cells(f"A{number}:{last}{number}")
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if total_of is not None:
        index = header.index(total_of) + 1
        letter = get_column_letter(index)
        first, end = 5, 4 + len(rows)
        total = [None] * len(header)
        total[0] = "Summa"
        total[index - 1] = f"=SUM({letter}{first}:{letter}{end})"
        sheet.append(total)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def forvaltning_csv(header, rows, *, total_of=None):
    """The same list saved by Swedish Excel as CSV: Windows-1252, semicolons, the title
    rows as lines of their own and the sum row's value as Excel computed it."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    for title in FORVALTNING_TITLES:
        writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow([""] * len(header))
    writer.writerow(header)
    writer.writerows(rows)
    if total_of is not None:
        index = header.index(total_of)
        total = [""] * len(header)
        total[0] = "Summa"
        total[index] = str(sum(int(str(row[index]).replace(" ", "")) for row in rows))
        writer.writerow(total)
    return output.getvalue().encode("cp1252")
