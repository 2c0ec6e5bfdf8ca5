"""The register import's common ground: cells read as dates and amounts, every encoding
Swedish Excel writes, a corpus of malformed files and random cells that must give a report
and never a traceback, the size limit, and the management command."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from grants.models import Grant, GrantScheme
from municipality import register_import, tabular
from municipality.models import RegisterImport
from partners.models import Organisation
from tests.test_access_post import changed_tables, snapshot
from tests.test_fuzz import FUZZ

KINDS = sorted(register_import.KINDS)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2026-02-27", "2026-02-27"),
        ("2026-02-27 00:00", "2026-02-27"),
        ("27/2/2026", "2026-02-27"),
        ("27.02.2026", "2026-02-27"),
        (" 2026-2-7 ", "2026-02-07"),
    ],
)
def test_dates_are_read_as_swedish_files_write_them(cell, day):
    assert tabular.date_of(cell).isoformat() == day


@pytest.mark.parametrize("cell", ["2026-02-30", "27/13/2026", "igår", "46080", "1800-01-01"])
def test_what_is_not_a_date_is_a_swedish_message(cell, settings):
    with pytest.raises(ValidationError) as error:
        tabular.date_of(cell)
    assert error.value.messages[0].startswith(("”", "“", "Ange ett datum"))


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("1 234 567", 1_234_567),
        ("1234567", 1_234_567),
        ("1 234 567 kr", 1_234_567),
        ("1234567,00", 1_234_567),
        ("1\xa0234\xa0567\xa0kr", 1_234_567),
        ("１２３", 123),
        (1234567, 1_234_567),
        (1234567.0, 1_234_567),
        ("0", 0),
    ],
)
def test_amounts_are_read_as_swedish_files_write_them(cell, amount):
    assert tabular.kronor_of(cell) == amount


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-5", "Ett belopp kan inte vara negativt."),
        (-5, "Ett belopp kan inte vara negativt."),
        ("12,50", "Skriv beloppet i hela kronor."),
        ("abc", "”abc” är inte ett belopp. Skriv det i kronor, t.ex. 1 234 567."),
        ("1e9", "”1e9” är inte ett belopp. Skriv det i kronor, t.ex. 1 234 567."),
        (float("nan"), "Skriv beloppet i kronor, t.ex. 1 234 567."),
        ("999999999999999", "Ett belopp kan vara högst 100 000 000 000 kr."),
    ],
)
def test_bad_amounts_have_swedish_messages(cell, message):
    with pytest.raises(ValidationError) as error:
        tabular.kronor_of(cell)
    assert error.value.messages == [message]


# Encodings ---------------------------------------------------------------------------------

HEADER = ["Organisationsnummer", "NAMN", " ort ", "Extra"]
ROWS = [["802479-1454", "Föreningen Ängen", "Malmö", "x"]]


def as_csv(encoding, delimiter):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *ROWS])
    return output.getvalue().encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1252", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-16", "\t")],
)
def test_every_encoding_swedish_excel_writes_gives_the_same_plan(cast, encoding, delimiter):
    kind = register_import.kind_named("organisations")
    result = register_import.plan(kind, as_csv(encoding, delimiter), user=cast.staff)
    assert result.problems == []
    assert [item.name for item in result.create] == ["Föreningen Ängen"]
    assert result.ignored == ["Extra"]


# Malformed files ----------------------------------------------------------------------------


def xlsx(rows):
    book = Workbook()
    for values in rows:
        book.active.append(values)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def zipped(name, content):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(name, content)
    return output.getvalue()


MALFORMED = {
    "empty": b"",
    "only whitespace": b" \r\n\t\r\n",
    "only a byte-order mark": b"\xef\xbb\xbf",
    "binary": bytes(range(256)) * 4,
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "old excel": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "zip, not a workbook": zipped("readme.txt", "hej"),
    "opendocument": zipped("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
    "truncated workbook": xlsx([["namn"], ["A"]])[:300],
    "damaged workbook": zipped("xl/workbook.xml", "<nonsense"),
    "header only": "namn;ort\r\n".encode("cp1252"),
    "no known header": b"foo;bar\r\n1;2\r\n",
    "unclosed quote": b'namn;ort\r\n"A;Malm\xf6\r\n' + b"x" * 200_000,
    "header twice": b"namn;Namn\r\nA;B\r\n",
    "empty workbook": xlsx([]),
    "formula cells": xlsx(
        [
            [
                "organisationsnummer",
                "namn",
                "bidragsform",
                "år",
                "syfte",
                "sökt belopp",
                "titel",
                "parter",
                "beslutande nämnd",
                "ansvarig förvaltning",
                "startdatum",
                "slutdatum",
            ],
            [
                "=1+1",
                '=HYPERLINK("x")',
                "=A1",
                "=2026",
                "=x",
                "=1",
                "=t",
                "=p",
                "=n",
                "=f",
                "=s",
                "=e",
            ],
        ]
    ),
    "nul bytes": b"namn;ort\r\n\x00\x00\x00;x\r\n",
    "mixed encodings": b"namn;ort\r\n" + "Ängen;Malmö\r\n".encode("cp1252") + b"\xff\xfe",
    "long cell": ("namn;ort\r\n" + "A" * 5000 + ";x\r\n").encode(),
    "many columns": (";".join(["namn"] + [f"k{n}" for n in range(3000)]) + "\r\nA\r\n").encode(),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_give_a_report_never_a_traceback(cast, kind, name):
    """A refusal of the whole file, or a plan (its problems each with a message); some of
    these files are readable after all (many columns, mixed encodings)."""
    before = snapshot()
    try:
        result = register_import.plan(
            register_import.kind_named(kind), MALFORMED[name], user=cast.staff
        )
    except tabular.FileError as error:
        assert error.message and not error.message.startswith("Traceback")
    else:
        assert all(problem.message for problem in result.problems)
    assert changed_tables(before, snapshot()) == []


def test_a_50_mb_file_is_refused_before_it_is_read(client, cast):
    class Huge:
        name, size = "stor.csv", 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(tabular.FileError) as error:
        register_import.upload(register_import.kind_named("grants"), Huge(), by=cast.staff)
    assert error.value.message == "Filen är för stor: högst 20 MB kan importeras åt gången."


def test_a_large_upload_is_refused_with_a_swedish_message(client, cast):
    client.force_login(cast.staff)
    data = b"namn;ort\r\n" + b"A;B\r\n" * (register_import.MAX_BYTES // 5 + 1)
    response = client.post(
        reverse("register_import", args=["organisations"]),
        {"file": SimpleUploadedFile("stor.csv", data)},
    )
    assert response.context["form"].errors["file"] == [
        "Filen är för stor: högst 20 MB kan importeras åt gången."
    ]
    assert RegisterImport.objects.count() == 0


# Random cells ------------------------------------------------------------------------------

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "=1+1", "-1", "1 234 567 kr", "12,50", "2026-02-30", "27/2/2026", "802002-3431",
         "8020023431", "Verksamhetsbidrag", "Arbetsmarknads- och socialnämnden",
         "Arbetsmarknads- och socialförvaltningen", "beviljat", "delegat", "BG 505-0109",
         "\r\n", "\x00", "１２３", "9" * 30, "2024", "ideell förening"]
    ),
)  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_random_cells_give_a_report_never_a_traceback(cast, kind, data):
    """Every kind's columns, in a random order, with random cells: a plan or a FileError,
    and a plan without problems is written (then rolled back) without an error."""
    GrantScheme.objects.get_or_create(
        committee=cast.asn, name="Verksamhetsbidrag", defaults={"kind": "operating"}
    )
    found = register_import.kind_named(kind)
    headers = data.draw(st.permutations([column.header for column in found.columns()]))
    rows = data.draw(st.lists(st.lists(cells, min_size=len(headers), max_size=len(headers)),
                              min_size=1, max_size=4))  # fmt: skip
    delimiter = data.draw(st.sampled_from([";", ","]))
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([headers, *rows])
    try:
        result = register_import.plan(found, output.getvalue().encode("utf-8"), user=cast.staff)
    except tabular.FileError:
        return
    assert all(problem.row >= 2 and problem.message for problem in result.problems)
    if result.may_import:
        with transaction.atomic():
            result.write(user=cast.staff, reason="fuzz")
            transaction.set_rollback(True)


# The management command --------------------------------------------------------------------


def test_the_command_writes_the_template(tmp_path, cast):
    path = tmp_path / "mall.xlsx"
    call_command("import_register", str(path), "--template", "--kind", "organisations")
    sheet = load_workbook(path).worksheets[0]
    assert sheet["A1"].value == "organisationsnummer"


def test_the_command_imports_with_a_dry_run_first(tmp_path, cast, capsys):
    GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag", kind="operating")
    path = tmp_path / "bidrag.csv"
    rows = [["organisationsnummer", "bidragsform", "år", "syfte", "sökt belopp"]]
    rows += [[cast.org.org_number, "Verksamhetsbidrag", str(2000 + n), "Syfte", "1000"]
             for n in range(3)]  # fmt: skip
    with open(path, "w", encoding="cp1252", newline="") as output:
        csv.writer(output, delimiter=";").writerows(rows)
    before = snapshot()
    out = io.StringIO()
    call_command(
        "import_register", str(path), "--kind", "grants", "--user", "staff", "--dry-run",
        "--progress", stdout=out,
    )  # fmt: skip
    assert "3 rader: 3 att skapa, 0 att uppdatera, 0 oförändrade." in out.getvalue()
    assert "Torrkörning" in out.getvalue()
    assert "Kontrollerade 3 av 3 rader" in capsys.readouterr().err
    assert changed_tables(before, snapshot()) == []
    call_command("import_register", str(path), "--kind", "grants", "--user", "staff",
                 stdout=io.StringIO())  # fmt: skip
    assert Grant.objects.filter(organisation=cast.org).count() == 3
    assert Grant.history.filter(history_change_reason="Importerad från bidrag.csv").count() == 3


def test_the_command_reports_problems_and_writes_nothing(tmp_path, cast):
    path = tmp_path / "org.csv"
    path.write_bytes("organisationsnummer;namn\r\n802479-1454;Ängen\r\n123;Fel\r\n".encode())
    before = snapshot()
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_register", str(path), "--kind", "organisations", "--user", "staff", stdout=out
        )
    assert str(error.value) == "Inget importerades: 1 problem."
    assert "Rad 3, organisationsnummer: Ett organisationsnummer har tio siffror" in out.getvalue()
    assert changed_tables(before, snapshot()) == []
    assert not Organisation.objects.filter(name="Ängen").exists()


def test_the_command_asks_the_rules(tmp_path, cast):
    path = tmp_path / "org.csv"
    path.write_bytes(b"namn\r\nA\r\n")
    with pytest.raises(CommandError, match="får inte importera"):
        call_command("import_register", str(path), "--kind", "organisations", "--user", "auditor")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_register", str(path), "--kind", "organisations")


def test_an_unknown_kind_is_not_found(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("register_import", args=["okant"])).status_code == 404


def test_grant_import_is_for_staff_keeping_a_scheme(client, cast):
    GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag", kind="operating")
    url = reverse("register_import", args=["grants"])
    client.force_login(cast.staff)
    assert client.get(url).status_code == 200
    client.force_login(cast.other_staff)
    assert client.get(url).status_code == 403


def test_an_upload_never_imported_is_removed_after_a_day(cast):
    import datetime

    from django.utils import timezone

    from municipality import personal_data
    from tests.test_access_matrix import register_upload

    kept = register_upload(cast)
    old = kept.made_at - datetime.timedelta(days=3)
    RegisterImport.objects.filter(pk=kept.pk).update(made_at=old)
    fresh = register_upload(cast)
    counts = personal_data.gallra(today=timezone.localdate())
    assert counts["register_files"] == 1
    assert list(RegisterImport.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize(
    ("kind", "person"),
    [("grants", "other_staff"), ("grants", "elected"), ("partnerships", "auditor"),
     ("organisations", "representative"), ("organisations", "admin")],
)  # fmt: skip
def test_a_refused_upload_changes_nothing(client, cast, kind, person):
    GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag", kind="operating")
    client.force_login(cast.user(person))
    before = snapshot()
    response = client.post(
        reverse("register_import", args=[kind]),
        {"file": SimpleUploadedFile("x.csv", b"namn\r\nA\r\n")},
    )
    assert response.status_code == 403
    assert changed_tables(before, snapshot()) == []
