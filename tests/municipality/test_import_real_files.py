"""Files as a förvaltning has them: title rows above the headers, an empty row, the
columns named as people name them, a "Summa" row at the bottom; as .xlsx and as the
Windows-1252 semicolon CSV Swedish Excel saves."""

import pytest

from municipality import register_import, tabular
from partners.models import Organisation
from partners.register_import import ORGANISATIONS
from tests.spreadsheets import forvaltning_csv, forvaltning_workbook

HEADER = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post", "Telefon", "Adress", "Postnr",
          "Ort", "Bidrag 2025", "Anteckning"]  # fmt: skip
ROWS = [
    ["Föreningen Ängsö", "802479-1454", "Åsa Öberg", "asa@angso.example", "070-111 22 33",
     "Storgatan 1", "211 20", "Malmö", "120 000", "Ny i år"],
    ["Brukarföreningen Väst", "802500-1234", "Örjan Ek", "orjan@vast.example", "070-222",
     "Lillgatan 2", "211 21", "Malmö", "5000", ""],
]  # fmt: skip

FILES = {
    "xlsx": lambda: forvaltning_workbook(HEADER, ROWS, total_of="Bidrag 2025"),
    "csv": lambda: forvaltning_csv(HEADER, ROWS, total_of="Bidrag 2025"),
}


@pytest.mark.parametrize("kind", FILES)
def test_the_header_row_is_found_below_the_title_rows(cast, kind):
    result = register_import.plan(ORGANISATIONS, FILES[kind](), user=cast.staff)
    assert result.problems == []
    assert [(item.row, item.what, item.name) for item in result.create] == [
        (5, "Organisation", "Föreningen Ängsö"),
        (5, "Kontaktperson", "Åsa Öberg (Föreningen Ängsö)"),
        (6, "Organisation", "Brukarföreningen Väst"),
        (6, "Kontaktperson", "Örjan Ek (Brukarföreningen Väst)"),
    ]
    assert result.notes == ["Rad 7 ser ut som en summarad och hoppas över."]
    assert result.ignored == ["Bidrag 2025", "Anteckning"]


@pytest.mark.parametrize("kind", FILES)
def test_the_real_file_imports_its_contacts_with_their_details(cast, kind):
    register_import.run(ORGANISATIONS, FILES[kind](), user=cast.staff, file_name="lista")
    organisation = Organisation.objects.get(org_number="802479-1454")
    assert (organisation.name, organisation.email, organisation.street_address) == (
        "Föreningen Ängsö",
        "",
        "Storgatan 1",
    )
    assert list(organisation.contacts.values_list("name", "email", "phone")) == [
        ("Åsa Öberg", "asa@angso.example", "070-111 22 33")
    ]
    assert not Organisation.objects.filter(name__iexact="summa").exists()


@pytest.mark.parametrize(
    "first",
    ["Summa", "SUMMA:", "Totalt", "total", "Sum"],
)
def test_sum_rows_are_skipped_whatever_their_case(cast, first):
    header = ["Namn", "Org.nr", "Beviljat"]
    rows = [["Föreningen Ängsö", "802479-1454", "100"], [first, "", "100"]]
    table = tabular.read(forvaltning_csv(header, rows), ORGANISATIONS.columns())
    assert [row.number for row in table.rows] == [5]
    assert table.notes == ["Rad 6 ser ut som en summarad och hoppas över."]


def test_a_sum_formula_without_a_name_is_a_sum_row_and_a_name_is_not(cast):
    header = ["Namn", "Org.nr", "Bidrag 2025"]
    data = forvaltning_workbook(header, [["Summa", "802479-1454", 5], [None, None, "=SUM(C5:C5)"]])
    table = tabular.read(data, ORGANISATIONS.columns())
    # An organisation called Summa, with its number, is an organisation.
    assert [(row.number, row.values["name"]) for row in table.rows] == [(5, "Summa")]
    assert table.notes == ["Rad 6 ser ut som en summarad och hoppas över."]


def test_no_known_header_quotes_the_top_rows_once(client, cast):
    data = forvaltning_workbook(["Vad", "Som", "Helst"], [["a", "b", "c"]])
    client.force_login(cast.staff)
    response = client.post("/import/organisations/", {"file": _file("lista.xlsx", data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Hittade inga kända kolumnrubriker") == 1
    assert "Raderna överst innehåller: ”Föreningsbidrag 2025”" in page
    (message,) = response.context["form"].errors["file"]
    assert "semikolon" not in message


def test_a_one_column_csv_says_how_columns_are_separated(cast):
    with pytest.raises(tabular.FileError) as error:
        tabular.read("Namn|Ort\r\nA|B\r\n".encode("cp1252"), ORGANISATIONS.columns())
    assert "”Namn|Ort”" in error.value.message
    assert "semikolon" in error.value.message


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_preview_shows_what_a_new_record_gets_and_case_only_changes(client, cast):
    from tests.import_steps import upload_and_map

    client.force_login(cast.staff)
    header = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post", "Telefon", "Ort"]
    rows = [
        ["Föreningen Ängsö", "802479-1454", "Åsa Öberg", "asa@angso.example", "070-1", "Malmö"],
        [cast.org.name.upper(), cast.org.org_number, "", "", "", ""],
    ]
    response = upload_and_map(client, "organisations", forvaltning_csv(header, rows))
    page = client.get(response["Location"])
    created = {item.name: item.values for item in page.context["plan"].create}
    assert created["Föreningen Ängsö"] == [
        ("organisationsnummer", "802479-1454"),
        ("namn", "Föreningen Ängsö"),
        ("associationsform", "ideell förening"),
        ("ort", "Malmö"),
    ]
    assert created["Åsa Öberg (Föreningen Ängsö)"] == [
        ("namn", "Åsa Öberg"),
        ("e-post", "asa@angso.example"),
        ("telefon", "070-1"),
    ]
    text = page.content.decode()
    assert "E-post:</span> asa@angso.example" in text
    assert f"Namn:</span> {cast.org.name} → {cast.org.name.upper()}" in text
    assert "endast versaler/gemener" in text


def test_every_problem_quotes_the_bad_value(client, cast):
    from tests.import_steps import upload_and_map

    client.force_login(cast.staff)
    header = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post"]
    rows = [["Föreningen Ängsö", "802479-1455", "", ""], ["Två", "", "Eva", "inte-en-adress"]]
    response = upload_and_map(client, "organisations", forvaltning_csv(header, rows))
    page = client.get(response["Location"])
    assert [(p.row, p.column, p.value) for p in page.context["plan"].problems] == [
        (5, "Org.nr", "802479-1455"),
        (6, "E-post", "inte-en-adress"),
    ]
    assert "<td>”inte-en-adress”</td>" in page.content.decode()
