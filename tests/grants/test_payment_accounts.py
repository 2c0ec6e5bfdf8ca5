"""Payment accounts: entered by one person, in force only once a second authorised person
confirms, changed only by staff serving a nämnd that has granted the organisation money."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from grants.models import AccountChange, PaymentAccount
from tests.grants.test_workbook import build, table

NEW = {"kind": "plusgiro", "number": "9020017", "signatory": "Eva Ek, ordförande"}


def enter(client, user, organisation, data=NEW):
    client.force_login(user)
    return client.post(reverse("account_edit", args=[organisation.pk]), data)


def decide(client, user, change, decision="confirm"):
    client.force_login(user)
    return client.post(reverse("account_decide", args=[change.pk]), {"decision": decision})


def account(cast):
    return str(PaymentAccount.objects.get(organisation=cast.org))


def test_a_change_waits_for_a_second_person(client, cast, book):
    assert enter(client, cast.staff, cast.org).status_code == 302
    change = AccountChange.objects.get()
    assert (change.status, change.entered_by, change.number) == ("pending", cast.staff, "902001-7")
    assert account(cast) == "bankgiro 505-0109"
    assert decide(client, cast.staff, change).status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"
    assert account(cast) == "bankgiro 505-0109"
    assert decide(client, cast.admin, change).status_code == 302
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("confirmed", cast.admin)
    assert account(cast) == "plusgiro 902001-7"


def test_history_names_the_confirmer(client, cast, book):
    enter(client, cast.staff, cast.org)
    decide(client, cast.admin, AccountChange.objects.get())
    client.force_login(cast.auditor)
    history = client.get(reverse("organisation_detail", args=[cast.org.pk])).context["history"]
    entry = next(e for e in history if any(c.label == "kontonummer" for c in e.changes))
    assert entry.who == cast.admin
    assert [(c.old, c.new) for c in entry.changes if c.label == "kontonummer"] == [
        ("505-0109", "902001-7")
    ]


def test_staff_without_grants_to_the_organisation_cannot_change_it(client, cast, book):
    """Fritidsförvaltningen serves a nämnd that has not granted Röda Korset anything."""
    assert enter(client, cast.other_staff, cast.org).status_code == 403
    assert not AccountChange.objects.exists()
    enter(client, cast.staff, cast.org)
    change = AccountChange.objects.get()
    assert decide(client, cast.other_staff, change).status_code == 403
    assert decide(client, cast.auditor, change).status_code == 403
    assert decide(client, cast.representative, change).status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"


def test_a_representative_proposes_and_staff_confirm(client, cast, book):
    client.force_login(cast.representative)
    page = client.get(reverse("account_edit", args=[cast.org.pk])).content.decode()
    assert "505-0109" not in page  # they propose; the account in force is not shown
    assert enter(client, cast.representative, cast.org, {**NEW, "signatory": ""}).status_code == 200
    assert not AccountChange.objects.exists()
    assert enter(client, cast.representative, cast.org).status_code == 302
    change = AccountChange.objects.get()
    assert decide(client, cast.staff, change).status_code == 302
    assert account(cast) == "plusgiro 902001-7"


def test_the_one_who_entered_may_withdraw(client, cast, book):
    enter(client, cast.staff, cast.org)
    change = AccountChange.objects.get()
    assert decide(client, cast.staff, change, "reject").status_code == 302
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("rejected", cast.staff)
    assert account(cast) == "bankgiro 505-0109"
    assert decide(client, cast.admin, change).status_code == 302
    change.refresh_from_db()
    assert change.status == "rejected"  # a decided change stays decided
    assert account(cast) == "bankgiro 505-0109"


def test_a_malformed_number_is_refused_in_swedish(client, cast, book):
    response = enter(
        client, cast.staff, cast.org, {**NEW, "kind": "bankgiro", "number": "50501056"}
    )
    assert "Kontrollsiffran" in response.context["form"].errors["number"][0]
    assert not AccountChange.objects.exists()


def test_one_pending_change_at_a_time(client, cast, book):
    enter(client, cast.staff, cast.org)
    response = enter(client, cast.admin, cast.org, {**NEW, "number": "4711"})
    assert response.status_code == 200
    assert AccountChange.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountChange.objects.create(
            organisation=cast.org, kind="bankgiro", number="505-0109", signatory="x"
        )


def test_the_database_refuses_a_self_confirmed_change(cast, book):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountChange.objects.create(
            organisation=cast.org,
            kind="bankgiro",
            number="505-0109",
            signatory="x",
            status="confirmed",
            entered_by=cast.staff,
            decided_by=cast.staff,
            decided_at="2026-11-29T10:00:00+01:00",
        )


def test_a_pending_change_is_flagged_on_the_pages_and_in_the_workbook(client, cast, book):
    enter(client, cast.staff, cast.org)
    flag = "väntar på bekräftelse"
    for person in ("staff", "auditor", "admin"):
        client.force_login(cast.user(person))
        assert flag in client.get(reverse("grant_detail", args=[book.paid.pk])).content.decode()
        assert flag in client.get(cast.org.get_absolute_url()).content.decode()
    client.force_login(cast.elected)
    assert flag not in client.get(reverse("grant_detail", args=[book.paid.pk])).content.decode()
    rows = table(build(cast)["Beslut"])
    pending = {r["Organisation"]: r["Nytt betalkonto väntar på bekräftelse"] for r in rows}
    assert pending["Röda Korset Malmö krets"] == "Ja"
    assert pending["Brukarföreningen Malmö"] == "Nej"


def test_who_entered_and_who_confirmed_stay_named_after_both_users_are_deleted(client, cast, book):
    """The four-eyes record outlives the accounts of the two people: their names as
    they were are kept with the change, and the pages show them."""
    cast.staff.first_name, cast.staff.last_name = "Karin", "Lind"
    cast.staff.save()
    enter(client, cast.staff, cast.org)
    change = AccountChange.objects.get()
    assert decide(client, cast.admin, change, "reject").status_code == 302
    assert enter(client, cast.staff, cast.org).status_code == 302
    pending = AccountChange.objects.get(status="pending")
    admin_name = str(cast.admin)
    cast.staff.delete()
    cast.admin.delete()
    change.refresh_from_db()
    pending.refresh_from_db()
    assert (change.entered_by, change.decided_by) == (None, None)
    assert (change.entered_by_name, change.decided_by_name) == ("Karin Lind", admin_name)
    assert pending.entered_by_name == "Karin Lind"
    client.force_login(cast.auditor)
    page = client.get(reverse("account_edit", args=[cast.org.pk])).content.decode()
    assert "Karin Lind" in page
