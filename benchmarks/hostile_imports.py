"""Benchmark: reading hostile files inside the stated limits, as the register import reads.

Run: .venv/bin/python benchmarks/hostile_imports.py [--json]

Each file is read in a process of its own (`tabular.read` under the grant
import's columns and limits, as the preview does after the mapping step), and the time and the peak
memory (maximum resident set size) of that process are printed, with how the read ended:
rows read, or the Swedish refusal. The files:

- **empty rows (.xlsx):** a grant file whose sheet then has a million formatted empty
  rows, as a sheet with whole columns formatted in Excel is saved, and no <dimension>;
- **repeated strings (.csv):** 10 MB of rows, each of 60 columns of the same text;
- **repeated strings (.xlsx):** the same as a workbook, every cell one shared string;
- **wide rows (.xlsx):** 5,000 rows, each with a cell in the last column Excel has
  (XFD), below a normal header;
- **a plain grant file (.csv)** of 20,000 rows, to show what a good file costs.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
    "organisationsnummer", "bidragsform", "år", "syfte", "sökt belopp", "beviljat belopp",
    "beslutsdatum", "beslutsreferens", "utbetalningsdatum", "utbetalt belopp", "konto",
]  # fmt: skip
ROW = [
    "802000-0001", "Bidragsform 0", "2025", "Verksamhet", "50 000", "40 000",
    "2025-02-01", "FRN § 1", "2025-03-01", "40000", "BG 505-0109",
]  # fmt: skip

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Bidrag" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def inline(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def workbook(rows_xml, strings=()):
    """An .xlsx made by hand, as other programs than openpyxl write it: no <dimension>."""
    sheet = io.StringIO()
    sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>')
    for part in rows_xml:
        sheet.write(part)
    sheet.write("</sheetData></worksheet>")
    shared = "".join(f"<si><t>{value}</t></si>" for value in strings)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{shared}</sst>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
    return output.getvalue()


def header_rows():
    yield '<row r="1">' + "".join(inline(f"{column(i)}1", h) for i, h in enumerate(HEADERS))
    yield "</row>"
    yield '<row r="2">' + "".join(inline(f"{column(i)}2", v) for i, v in enumerate(ROW))
    yield "</row>"


def empty_rows_xlsx(count=1_000_000):
    def rows():
        yield from header_rows()
        for number in range(3, count + 3):
            yield f'<row r="{number}" s="1" customFormat="1"><c r="A{number}" s="1"/></row>'

    return workbook(rows())


REPEATED = "Föreningen för repeterad text"
WIDE = 60


def repeated_csv(size=10 * 1024 * 1024):
    line = ";".join([*HEADERS, *(f"extra {n}" for n in range(WIDE - len(HEADERS)))]) + "\r\n"
    body = ";".join([REPEATED] * WIDE) + "\r\n"
    count = (size - len(line)) // len(body.encode("utf-8"))
    return (line + body * count).encode("utf-8")


def repeated_xlsx(rows=25_000):
    def all_rows():
        yield '<row r="1">' + "".join(inline(f"{column(i)}1", h) for i, h in enumerate(HEADERS))
        yield "</row>"
        for number in range(2, rows + 2):
            cells = "".join(f'<c r="{column(i)}{number}" t="s"><v>0</v></c>' for i in range(WIDE))
            yield f'<row r="{number}">{cells}</row>'

    return workbook(all_rows(), strings=[REPEATED])


def wide_rows_xlsx(count=5_000):
    def rows():
        yield from header_rows()
        for number in range(3, count + 3):
            yield f'<row r="{number}"><c r="XFD{number}" s="1"/></row>'

    return workbook(rows())


def plain_csv(rows=20_000):
    lines = [";".join(HEADERS)]
    for n in range(rows):
        lines.append(
            f"802000-{n % 10000:04d};Bidragsform {n % 5};2025;Verksamhet;50 000;40 000;"
            f"2025-02-01;FRN § {n};2025-03-01;40000;BG 505-0109"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


CASES = {
    "empty rows (.xlsx)": empty_rows_xlsx,
    "repeated strings (.csv)": repeated_csv,
    "repeated strings (.xlsx)": repeated_xlsx,
    "wide rows (.xlsx)": wide_rows_xlsx,
    "plain 20,000 rows (.csv)": plain_csv,
}


def read_one(name, background):
    """In this process: make the file, read it, print the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    from municipality import register_import, tabular

    translation.activate("sv")
    data = CASES[name]()
    kind = register_import.kind_named("grants")
    seconds = settings.IMPORT_BACKGROUND_READ_SECONDS if background else None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    try:
        table = tabular.read(
            data,
            kind.columns(),
            max_bytes=register_import.MAX_BYTES,
            max_rows=register_import.MAX_ROWS,
            seconds=seconds,
        )
        outcome = f"{len(table.rows):,} rows read".replace(",", " ")
    except tabular.FileError as error:
        outcome = f"refused: {error.message}"
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "file": name,
                "bytes": len(data),
                "seconds": round(took, 2),
                "peak_mb": round(peak / 1024, 1),
                "growth_mb": round((peak - before) / 1024, 1),
                "outcome": outcome,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--background", action="store_true", help="Read with the background worker's deadline."
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.case:
        read_one(options.case, options.background)
        return
    figures = []
    for name in CASES:
        command = [sys.executable, __file__, "--case", name]
        if options.background:
            command.append("--background")
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
        figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if options.json:
        print(json.dumps(figures))
        return
    print("Reading hostile files as the grant import does (each in a process of its own):")
    for row in figures:
        print(
            f"  {row['file']:<26} {row['bytes'] / 1024 / 1024:5.1f} MB  "
            f"{row['seconds']:6.2f} s  peak {row['peak_mb']:6.1f} MB  {row['outcome'][:90]}"
        )


if __name__ == "__main__":
    main()
