"""Control characters: Word pastes U+000B for Shift+Enter, other programs leave the rest
of the C0 controls. A single-line field refuses them with a Swedish message and saves
nothing; a longer text keeps its lines and loses the controls; what was stored before the
rule is cleaned by a data migration; and the one .xlsx writer never fails on stored text.
"""

import io
import uuid

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Payment
from municipality.inputs import clean_stored_text, single_line, without_controls
from partners.models import Organisation
from tests.grants.test_workbook import build, table

CONTROLS = ["\x0b", "\x0c", "\x01", "\x07", "\x1b", "\x1f", "\x7f"]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_payment_reference_with_a_control_character_is_refused(client, cast, book, control):
    client.force_login(cast.staff)
    before = Payment.objects.count()
    response = client.post(
        reverse("payment_create", args=[book.applied.pk]),
        {
            "paid_on": "2026-03-01",
            "amount": "1000",
            "reference": f"Faktura{control}1234",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["reference"]
    assert errors[0] in (
        "Skriv detta på en rad, utan radbrytningar.",
        f"Texten innehåller ett osynligt styrtecken (U+{ord(control):04X}), ofta kvar efter "
        "kopiering från ett annat program. Skriv in texten igen.",
    )
    assert Payment.objects.count() == before


def test_an_organisation_name_with_a_bell_is_refused_and_nothing_changes(client, cast):
    client.force_login(cast.staff)
    url = reverse("organisation_update", args=[cast.org.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False, [])}
    response = client.post(url, {**data, "name": "Röda\x07Korset"})
    assert response.status_code == 200
    assert "U+0007" in response.context["form"].errors["name"][0]
    cast.org.refresh_from_db()
    assert cast.org.name == "Röda Korset Malmö krets"


def test_a_longer_text_keeps_its_lines_and_loses_the_controls(client, cast, book):
    client.force_login(cast.staff)
    url = reverse("grant_update", args=[book.applied.pk])
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else str(value)
    response = client.post(url, {**data, "purpose": "Värmestuga\x0bpå natten\x07"})
    assert response.status_code == 302, response.context["form"].errors
    book.applied.refresh_from_db()
    assert book.applied.purpose == "Värmestuga\npå natten"


def test_the_workbook_holds_a_reference_stored_before_the_rule(cast, book):
    payment = book.paid.payments.get()
    Payment.objects.filter(pk=payment.pk).update(reference="Faktura\x0b1234\x01")
    sheets = build(cast)
    rows = [r for r in table(sheets["Utbetalningar"]) if r["Bidrags-id"] == book.paid.pk]
    assert [r["Referens"] for r in rows] == ["Faktura1234"]


def test_a_list_export_holds_a_name_stored_before_the_rule(client, cast):
    Organisation.objects.filter(pk=cast.org.pk).update(name="Röda\x0bKorset\x1b")
    client.force_login(cast.staff)
    response = client.get(reverse("organisation_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "RödaKorset" in cells


def test_the_data_migration_cleans_what_was_stored(cast, book):
    Organisation.objects.filter(pk=cast.org.pk).update(
        name="Röda\x0bKorset  Malmö\x07", notes="Första\x0braden\x0candra\x01"
    )
    payment = book.paid.payments.get()
    Payment.objects.filter(pk=payment.pk).update(reference="Ref\x0b12")
    for label in ("municipality", "partners", "dialogues", "grants"):
        clean_stored_text(apps, label)
    cast.org.refresh_from_db()
    assert cast.org.name == "Röda Korset Malmö"
    assert cast.org.notes == "Första\nraden\nandra"
    assert Payment.objects.get(pk=payment.pk).reference == "Ref 12"


@pytest.mark.parametrize(
    ("written", "one_line", "lines"),
    [
        ("a\x0bb", "a b", "a\nb"),
        ("a\r\nb", "a b", "a\r\nb"),
        ("a\tb", "a\tb", "a\tb"),
        ("\x07", "", ""),
        ("Malmö", "Malmö", "Malmö"),
    ],
)
def test_the_cleaning_rules(written, one_line, lines):
    assert single_line(written) == one_line
    assert without_controls(written) == lines
