"""The mapping step between the upload and the preview: each column of the file, its
first values and a choice of field, pre-filled from the headers and remembered per
municipality and kind; the preview and the confirmation read the file under it."""

from django.urls import reverse

from municipality.models import ImportMapping, RegisterImport
from partners.models import Organisation
from tests.import_steps import mapping_choices, upload_and_map
from tests.spreadsheets import forvaltning_csv
from tests.test_access_post import changed_tables, snapshot

HEADER = ["Vår beteckning", "Org.nr", "Ort", "Bidrag 2025"]
ROWS = [["Föreningen Ängsö", "802479-1454", "Malmö", "100"]]


def columns_page(client, data, name="lista.csv"):
    response = client.post(
        reverse("register_import", args=["organisations"]),
        {"file": _file(name, data)},
    )
    assert response.status_code == 302
    return response["Location"], client.get(response["Location"])


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_page_lists_each_column_with_its_first_values_and_a_labelled_choice(client, cast):
    client.force_login(cast.staff)
    _url, page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    text = page.content.decode()
    assert "<caption" in text and "Vilken kolumn är vad?" in text
    rows = [(c.header, c.samples, field.value()) for c, field in page.context["form"].rows()]
    assert rows == [
        ("Vår beteckning", ("Föreningen Ängsö",), ""),
        ("Org.nr", ("802479-1454",), "org_number"),
        ("Ort", ("Malmö",), "city"),
        ("Bidrag 2025", ("100",), ""),
    ]
    field = page.context["form"]["column_0"]
    assert f'<label for="{field.id_for_label}">Vår beteckning</label>' in text
    assert '<option value="" selected>Används inte</option>' in text


def test_a_required_field_unchosen_is_refused_in_swedish(client, cast):
    client.force_login(cast.staff)
    url, page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    before = snapshot()
    response = client.post(url, mapping_choices(page))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Välj kolumnen som innehåller ”Namn”: importen behöver den."
    ]
    assert changed_tables(before, snapshot()) == []


def test_a_field_chosen_twice_is_refused(client, cast):
    client.force_login(cast.staff)
    url, page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    response = client.post(url, mapping_choices(page, **{"Vår beteckning": "name", "Ort": "name"}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["column_0"] == ["”Namn” är vald för mer än en kolumn: välj den bara en gång."]
    assert errors["column_2"] == errors["column_0"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_choice_is_read_by_the_preview_and_remembered_for_the_next_file(client, cast):
    client.force_login(cast.staff)
    data = forvaltning_csv(HEADER, ROWS)
    response = upload_and_map(client, "organisations", data, **{"Vår beteckning": "name"})
    preview = client.get(response["Location"])
    plan = preview.context["plan"]
    assert [(item.what, item.name) for item in plan.create] == [
        ("Organisation", "Föreningen Ängsö")
    ]
    record = preview.context["record"]
    client.post(response["Location"], {"digest": record.digest, "plan": plan.fingerprint()})
    assert Organisation.objects.get(org_number="802479-1454").name == "Föreningen Ängsö"
    assert set(
        ImportMapping.objects.filter(municipality=cast.malmo, kind="organisations").values_list(
            "header", "field"
        )
    ) == {("vårbeteckning", "name"), ("orgnr", "org_number"), ("ort", "city"), ("bidrag2025", "")}
    # The next file with that header starts from the same choice.
    _url, page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    assert page.context["form"]["column_0"].value() == "name"


def test_the_choice_is_the_municipalitys(client, cast):
    ImportMapping.objects.create(
        municipality=cast.kalmar, kind="organisations", header="vårbeteckning", field="name"
    )
    client.force_login(cast.staff)
    _url, page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    assert page.context["form"]["column_0"].value() == ""


def test_a_column_chosen_as_not_used_is_not_read(client, cast):
    """ "Ort" chosen as not used: the organisation's city is left as it is."""
    client.force_login(cast.staff)
    header = ["Namn", "Org.nr", "Ort"]
    data = forvaltning_csv(header, [[cast.org.name, cast.org.org_number, "Lund"]])
    response = upload_and_map(client, "organisations", data, Ort="")
    plan = client.get(response["Location"]).context["plan"]
    assert (plan.create, plan.update, len(plan.unchanged)) == ([], [], 1)
    assert plan.ignored == ["Ort"]


def test_the_preview_before_the_mapping_step_sends_there(client, cast):
    client.force_login(cast.staff)
    url, _page = columns_page(client, forvaltning_csv(HEADER, ROWS))
    record = RegisterImport.objects.get()
    response = client.get(reverse("register_import_preview", args=["organisations", record.pk]))
    assert response["Location"] == url
