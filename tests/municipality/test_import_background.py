"""A large register file is checked and imported by the background worker
(municipality.import_background): the page follows, then shows the same preview as a
small file's, imports once, says so when the register changed, and is its user's alone."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from municipality.models import RegisterImport
from partners.models import Organisation
from tests.import_steps import upload_and_map
from tests.spreadsheets import forvaltning_workbook

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["Föreningsnamn", "Org.nr", "Kontaktperson", "E-post", "Ort"]
ROWS = [
    ["Föreningen Ängsö", "802479-1454", "Åsa Öberg", "asa@angso.example", "Malmö"],
    ["Fel nummer", "802479-1455", "", "", "Lund"],
    ["Föreningen Norr", "802500-4568", "", "", ""],
]
GOOD = [ROWS[0], ROWS[2]]


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def preview(client, rows):
    response = upload_and_map(client, "organisations", forvaltning_workbook(HEADER, rows))
    return response["Location"]


def text(page):
    return page.content.decode()


def test_a_large_file_is_checked_in_the_background_as_a_small_one_is_at_once(
    client, cast, settings
):
    client.force_login(cast.staff)
    url = preview(client, ROWS)
    direct = client.get(url)
    assert direct.context["plan"].problems  # two rows: the direct way
    settings.IMPORT_DIRECT_MAX_ROWS = 2
    url = preview(client, ROWS)
    page = client.get(url)
    record = RegisterImport.objects.get(pk=page.context["record"].pk)
    assert record.state == RegisterImport.State.CHECKING
    assert "Filen kontrolleras rad för rad." in text(page) and "data-export-status" in text(page)
    assert client.get(url, {"format": "json"}).json()["final"] is False
    run_worker()
    state = client.get(url, {"format": "json"}).json()
    assert (state["state"], state["final"], state["done"]) == ("checked", True, state["total"])
    page = client.get(url)
    shown = text(page)
    assert page.context["counts"] == {"create": 3, "update": 0, "unchanged": 0, "problems": 1}
    for sentence in ("3 poster skapas.", "1 problem.", "Importera de godkända raderna"):
        assert sentence in shown and sentence in text(direct)
    problem = direct.context["plan"].problems[0]
    assert (problem.message in shown, page.context["problems"][0]["row"]) == (True, problem.row)
    assert page.context["good_rows"]["refused"] == direct.context["good_rows"].refused == [6]


def test_confirming_imports_once_with_the_history_reason(client, cast, settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    url = preview(client, GOOD)
    client.get(url)
    run_worker()
    page = client.get(url)
    record = page.context["record"]
    fingerprint = page.context["plan"]["fingerprint"]
    posted = {"digest": record.digest, "plan": fingerprint}
    client.post(url, posted)
    client.post(url, posted)  # twice: one task
    waiting = client.get(url)
    assert "Filen importeras" in text(waiting)
    assert not Organisation.objects.filter(org_number="802479-1454").exists()
    run_worker()
    done = client.get(url)
    assert "importerades" in text(done) and "3 skapade" in text(done)
    organisation = Organisation.objects.get(org_number="802479-1454")
    assert Organisation.objects.filter(org_number__in=["802479-1454", "802500-4568"]).count() == 2
    reason = organisation.history.first().history_change_reason
    assert reason == f"Importerad från {record.file_name}"
    client.post(url, posted)
    run_worker()
    assert Organisation.objects.filter(org_number="802479-1454").count() == 1


def test_a_register_changed_since_the_check_imports_nothing_and_says_so(client, cast, settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    url = preview(client, GOOD)
    client.get(url)
    run_worker()
    page = client.get(url)
    record = page.context["record"]
    Organisation.objects.create(
        municipality=cast.org.municipality, name="Föreningen Norr", org_number="802500-4568"
    )
    client.post(url, {"digest": record.digest, "plan": page.context["plan"]["fingerprint"]})
    run_worker()
    assert not Organisation.objects.filter(org_number="802479-1454").exists()
    page = client.get(url)
    assert "Inget importerades: filen eller registret har ändrats" in text(page)
    assert page.context["counts"]["create"] == 2  # checked again: one org, one contact
    assert RegisterImport.objects.get(pk=record.pk).state == RegisterImport.State.CHECKED


def test_someone_else_gets_404_for_the_page_the_json_and_the_refused_rows(client, cast, settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    url = preview(client, ROWS)
    client.get(url)
    run_worker()
    record = RegisterImport.objects.get()
    refused = reverse("register_import_refused", args=["organisations", record.pk])
    assert client.get(refused).status_code == 200
    client.force_login(cast.other_staff)
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "json"}).status_code == 404
    assert client.get(refused).status_code == 404


def test_the_refused_rows_of_a_large_file_come_from_the_check(client, cast, settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    url = preview(client, ROWS)
    record = RegisterImport.objects.get()
    refused = reverse("register_import_refused", args=["organisations", record.pk])
    client.get(url)
    assert client.get(refused).status_code == 404  # not yet checked: nothing planned here
    run_worker()
    download = client.get(refused)
    rows = [
        [c.value for c in row]
        for row in load_workbook(io.BytesIO(download.content)).active.iter_rows()
    ]
    assert rows[0] == [*HEADER, "Varför"]
    assert rows[1][:5] == ["Fel nummer", "802479-1455", None, None, "Lund"]
    assert "Org.nr:" in rows[1][5]


def test_the_page_in_english_and_a_worker_that_does_not_run(client, cast, settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = preview(client, GOOD)
    page = client.get(url)
    assert "The file is being checked, row by row." in text(page)
    RegisterImport.objects.update(queued_at="2000-01-01T00:00Z")
    page = client.get(url)
    assert "manage.py db_worker" in text(page) and "waiting for the server" in text(page)
    run_worker()
    page = client.get(url)
    assert "3 records will be created." in text(page)
    assert "Import the file" in text(page)


def test_a_failure_is_shown_as_failed_and_can_be_checked_again(client, cast, settings, monkeypatch):
    from municipality import register_import

    settings.IMPORT_DIRECT_MAX_ROWS = 1
    client.force_login(cast.staff)
    url = preview(client, GOOD)
    client.get(url)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(register_import, "plan", broken)
    run_worker()
    page = client.get(url)
    assert "Ett fel uppstod på servern" in text(page)
    assert client.get(url, {"format": "json"}).json()["state"] == "failed"
    monkeypatch.undo()
    client.post(url, {"action": "check"})
    run_worker()
    assert "3 poster skapas." in text(client.get(url))
