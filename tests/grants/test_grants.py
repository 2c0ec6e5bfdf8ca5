"""Grants: validation, derived status, totals, permissions per role, history, accounts."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import giro
from grants.models import Grant, GrantReport, Payment, PaymentAccount
from tests.grants.conftest import grant

D = datetime.date


# Giro numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "normalised"),
    [
        ("bankgiro", "5050-1055", "5050-1055"),
        ("bankgiro", "505 0109", "505-0109"),
        ("plusgiro", "90 20 01-7", "902001-7"),
    ],
)
def test_giro_numbers_are_normalised(kind, typed, normalised):
    assert giro.validate(kind, typed) == normalised


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("bankgiro", "5050-1056", "Kontrollsiffran stämmer inte"),
        ("bankgiro", "50a0-1055", "Använd bara siffror"),
        ("bankgiro", "123456", "7 eller 8 siffror"),
        ("plusgiro", "902001-8", "Kontrollsiffran stämmer inte"),
    ],
)
def test_bad_giro_numbers_get_a_swedish_message(kind, typed, message):
    with pytest.raises(ValidationError) as error:
        giro.validate(kind, typed)
    assert message in error.value.messages[0]


# Grant form -----------------------------------------------------------------------------


def grant_data(cast, book, **changes):
    data = {
        "organisation": cast.org.pk,
        "scheme": book.scheme.pk,
        "year": 2026,
        "purpose": "Vinteröppet",
        "applied_amount": "200000",
        "decision": "granted",
        "granted_amount": "200000",
        "decided_by": "committee",
        "decision_date": "2026-02-10",
        "decision_reference": "ASN 2026-02-10 § 12",
        "case_number": "ASN-2026-17",
        "decision_maker": "Arbetsmarknads- och socialnämnden",
        "no_conflict_of_interest": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_grant(client, cast, book, **changes):
    client.force_login(cast.staff)
    return client.post(reverse("grant_create"), grant_data(cast, book, **changes))


def test_staff_record_a_decided_grant(client, cast, book):
    response = post_grant(client, cast, book)
    created = Grant.objects.get(case_number="ASN-2026-17")
    assert response.status_code == 302
    assert (created.granted_amount, created.decision) == (200_000, "granted")
    assert created.history.get().history_user == cast.staff


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"applied_amount": "-5"}, "applied_amount", "större än eller lika med 0"),
        ({"applied_amount": "12,5"}, "applied_amount", "heltal"),
        ({"applied_amount": "tusen"}, "applied_amount", "heltal"),
        ({"decision_date": None}, "decision_date", "Ange beslutsdatum"),
        ({"decision_date": "2026-02-30"}, "decision_date", "Skriv datumet som 2026-12-07."),
        ({"granted_amount": "150000"}, "decision", "delvis beviljat"),
        ({"granted_amount": "600000", "applied_amount": "600000"}, "granted_amount", "Taket"),
        ({"no_conflict_of_interest": None}, "no_conflict_of_interest", "jäv"),
        ({"decision": "rejected"}, "granted_amount", "avslagen"),
    ],
)
def test_bad_grant_input_is_explained_and_nothing_saved(
    client, cast, book, changes, field, message
):
    before = Grant.objects.count()
    response = post_grant(client, cast, book, **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Grant.objects.count() == before


def test_granting_to_an_organisation_with_an_overdue_report_needs_a_reason(client, cast, book):
    response = post_grant(client, cast, book, organisation=cast.other_org.pk)
    errors = response.context["form"].errors["overdue_report_reason"]
    assert "Brukarföreningen Malmö har en försenad återrapportering" in errors[0]
    response = post_grant(
        client,
        cast,
        book,
        organisation=cast.other_org.pk,
        overdue_report_reason="Rapporten är på väg enligt mejl 2026-02-01.",
    )
    assert response.status_code == 302
    assert Grant.objects.filter(organisation=cast.other_org, year=2026, scheme=book.scheme).exists()


def test_database_refuses_a_grant_without_decision_date_or_with_negative_amount(cast, book):
    with pytest.raises(IntegrityError), transaction.atomic():
        grant(cast.org, book.scheme, 2026, 1000, 1000, decision_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=book.applied.pk).update(applied_amount=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            grant=book.paid,
            paid_on=D(2025, 4, 1),
            amount=0,
            account_kind="bankgiro",
            account_number="505-0109",
        )


# Payments and reports -------------------------------------------------------------------


def post_payment(client, cast, grant, **changes):
    client.force_login(cast.staff)
    data = {
        "paid_on": "2026-03-01",
        "amount": "100000",
        "account_kind": "bankgiro",
        "account_number": "5050109",
        "reference": "Ver 2026-114",
        "token": str(uuid.uuid4()),
        **changes,
    }
    return client.post(reverse("payment_create", args=[grant.pk]), data)


def test_payment_defaults_to_the_organisations_account_and_what_remains(client, cast, book):
    book.applied.decision, book.applied.granted_amount = "granted", 120_000
    book.applied.decided_by, book.applied.decision_date = "committee", D(2026, 2, 1)
    book.applied.save()
    client.force_login(cast.staff)
    form = client.get(reverse("payment_create", args=[book.applied.pk])).context["form"]
    assert form.initial["account_number"] == "505-0109"
    assert form.initial["amount"] == 120_000
    response = post_payment(client, cast, book.applied, amount="120000")
    assert response.status_code == 302
    assert Payment.objects.get(grant=book.applied).account_number == "505-0109"


def test_paying_more_than_granted_needs_a_reason(client, cast, book):
    response = post_payment(client, cast, book.paid, amount="1")
    assert "överstiga det beviljade beloppet" in response.context["form"].errors["excess_reason"][0]
    assert book.paid.payments.count() == 1
    response = post_payment(client, cast, book.paid, amount="1", excess_reason="Indexuppräkning")
    assert response.status_code == 302
    assert book.paid.payments.count() == 2


def test_a_payment_goes_to_the_confirmed_account_whatever_is_typed(client, cast, book):
    response = post_payment(
        client, cast, book.paid, account_number="123-4566", amount="1", excess_reason="Index"
    )
    assert response.status_code == 302
    assert book.paid.payments.order_by("pk").last().account_number == "505-0109"


def test_no_payment_without_a_confirmed_account(client, cast, book):
    PaymentAccount.objects.filter(organisation=cast.org).delete()
    response = post_payment(client, cast, book.paid, amount="1", excess_reason="Index")
    assert "inget bekräftat betalkonto" in response.content.decode()
    assert book.paid.payments.count() == 1


def test_recovery_needs_a_reason_and_cannot_exceed_what_was_paid(client, cast, book):
    client.force_login(cast.staff)
    url = reverse("report_edit", args=[book.paid.pk])
    response = client.post(
        url, {"due_on": "2026-03-31", "received_on": "2026-03-01", "recovery_amount": "400000"}
    )
    errors = response.context["form"].errors
    assert "Ange skälet" in errors["recovery_reason"][0]
    assert "inte vara större" in errors["recovery_amount"][0]
    assert GrantReport.objects.get(grant=book.paid).recovery_amount == 0


# Derived status, totals, lists ----------------------------------------------------------


def test_status_follows_payments_and_reports(cast, book):
    status = dict(Grant.objects.with_figures().values_list("pk", "status"))
    assert status[book.paid.pk] == "reported"
    assert status[book.recovered.pk] == "recovery"
    assert status[book.overdue.pk] == "paid"
    assert status[book.applied.pk] == "applied"
    assert status[book.leisure_grant.pk] == "granted"
    overdue = dict(Grant.objects.with_figures().values_list("pk", "report_overdue"))
    assert overdue[book.overdue.pk] and not overdue[book.paid.pk]


def test_totals_follow_the_filter(client, cast, book):
    client.force_login(cast.auditor)
    totals = client.get(reverse("grant_list")).context["totals"]
    assert totals == {"applied": 650_000, "granted": 460_000, "paid": 430_000}
    totals = client.get(reverse("grant_list"), {"year": 2025}).context["totals"]
    assert totals == {"applied": 450_000, "granted": 380_000, "paid": 380_000}
    response = client.get(reverse("grant_list"), {"status": "recovery"})
    assert [g.pk for g in response.context["table"].data] == [book.recovered.pk]
    assert response.context["totals"]["paid"] == 80_000
    html = client.get(reverse("grant_list"), {"year": 2025}).content.decode()
    assert "450\xa0000\xa0kr" in html


@pytest.mark.parametrize("sort", ["", "status", "-status", "paid_total", "-paid_total"])
def test_each_row_of_the_list_shows_its_own_figures_in_any_order(client, cast, book, sort):
    """Figures are computed for the page only, or for all when sorting by them."""
    client.force_login(cast.auditor)
    response = client.get(reverse("grant_list"), {"sort": sort} if sort else {})
    rows = [row.record for row in response.context["table"].paginated_rows]
    expected = {
        g.pk: (g.status, g.paid_total, g.report_overdue)
        for g in Grant.objects.with_figures().filter(pk__in=[r.pk for r in rows])
    }
    assert len(rows) > 3
    assert {r.pk: (r.status, r.paid_total, r.report_overdue) for r in rows} == expected
    if sort:
        keys = [getattr(r, sort.lstrip("-")) for r in rows]
        assert keys == sorted(keys, reverse=sort.startswith("-"))
    html = response.content.decode()
    assert "återkrav" in html and "betalt" in html.lower()


def test_grant_list_uses_a_constant_number_of_queries(client, cast, book):
    client.force_login(cast.staff)
    client.get(reverse("grant_list"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("grant_list")).status_code == 200
        assert len(queries) > 3
        return len(queries)

    small = count()
    for year in range(2000, 2030):
        grant(cast.other_org, book.scheme, year, 1000, 1000)
    assert count() == small


def test_levels_table_shows_a_raise(client, cast, book):
    client.force_login(cast.elected)
    response = client.get(reverse("scheme_list"))
    assert response.context["years"] == [2025, 2026]
    (_, cells) = next(r for r in response.context["rows"] if r[0] == book.scheme)
    assert [(level.amount, raised) for level, raised in cells] == [
        (400_000, False),
        (500_000, True),
    ]


def test_delegation_list_holds_delegated_decisions_of_the_period(client, cast, book):
    client.force_login(cast.elected)
    response = client.get(
        reverse("delegation_list"),
        {"committee": cast.asn.pk, "from": "2025-01-01", "to": "2025-12-31"},
    )
    assert [g.pk for g in response.context["grants"]] == [book.recovered.pk]
    assert response.context["total"] == 80_000


# Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "own", "leisure", "kalmar"),
    [
        ("staff", 200, 200, 404),
        ("auditor", 200, 200, 404),
        ("elected", 200, 404, 404),
        ("representative", 200, 404, 404),
        ("kalmar_staff", 404, 404, 200),
    ],
)
def test_who_sees_which_grant(client, cast, book, person, own, leisure, kalmar):
    client.force_login(cast.user(person))
    for target, status in (
        (book.paid, own),
        (book.leisure_grant, leisure),
        (book.kalmar_grant, kalmar),
    ):
        assert client.get(reverse("grant_detail", args=[target.pk])).status_code == status


def test_representative_probing_another_organisations_grant_gets_404(client, cast, book):
    client.force_login(cast.representative)
    for name in ("grant_detail", "grant_update", "payment_create", "report_edit"):
        assert client.get(reverse(name, args=[book.recovered.pk])).status_code == 404
    listed = client.get(reverse("grant_list")).context["table"].data
    assert {g.organisation_id for g in listed} == {cast.org.pk}


@pytest.mark.parametrize(
    ("person", "status"),
    [("staff", 200), ("other_staff", 403), ("auditor", 403), ("elected", 403), ("admin", 200)],
)
def test_only_the_granting_committees_staff_change_grants(client, cast, book, person, status):
    client.force_login(cast.user(person))
    assert client.get(reverse("grant_update", args=[book.paid.pk])).status_code == status


@pytest.mark.parametrize(
    ("person", "status"),
    [("staff", 200), ("auditor", 200), ("admin", 200), ("elected", 403), ("representative", 403)],
)
def test_workbook_for_staff_and_auditors(client, cast, book, person, status):
    client.force_login(cast.user(person))
    assert client.get(reverse("grant_workbook")).status_code == status


def test_payment_accounts_are_shown_to_staff_and_auditors_only(client, cast, book):
    account = PaymentAccount.objects.get(organisation=cast.org)
    account.number = "123-4566"
    account.save()
    url = reverse("organisation_detail", args=[cast.org.pk])
    for person, shown in (("auditor", True), ("staff", True), ("representative", False)):
        client.force_login(cast.user(person))
        response = client.get(url)
        assert ("123-4566" in response.content.decode()) == shown
    client.force_login(cast.auditor)
    assert client.get(url).context["account_changed"] is not None
    client.force_login(cast.representative)
    html = client.get(reverse("grant_detail", args=[book.paid.pk])).content.decode()
    assert "505-0109" not in html


def test_grant_history_lists_who_changed_the_amount(client, cast, book):
    client.force_login(cast.staff)
    data = grant_data(cast, book, granted_amount="300000", applied_amount="350000", year=2025)
    data["decision"] = "partly_granted"
    data["granted_amount"] = "320000"
    client.post(reverse("grant_update", args=[book.paid.pk]), data)
    client.force_login(cast.auditor)
    history = client.get(reverse("grant_detail", args=[book.paid.pk])).context["history"]
    change = next(c for e in history for c in e.changes if c.label == "beviljat belopp")
    assert (change.old, change.new) == ("300\xa0000\xa0kr", "320\xa0000\xa0kr")
    assert history[0].who == cast.staff
