import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners.models import ContactPerson, Organisation

VALID = {
    "name": "Föreningen Gatans röst",
    "org_number": "8025198766",
    "legal_form": "non_profit",
    "city": "Malmö",
    "email": "info@gatansrost.example.se",
    "website": "gatansrost.example.se",
    "is_active": "on",
}


def test_staff_create_an_organisation_with_a_normalised_number(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("organisation_create"), VALID)
    organisation = Organisation.objects.get(name="Föreningen Gatans röst")
    assert response.headers["Location"] == reverse("organisation_detail", args=[organisation.pk])
    assert organisation.org_number == "802519-8766"
    assert organisation.municipality == cast.malmo
    assert organisation.website == "https://gatansrost.example.se"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("802519-8767", "Organisationsnumrets kontrollsiffra stämmer inte. Kontrollera numret."),
        ("80251987", "Ett organisationsnummer har tio siffror och skrivs NNNNNN-NNNN."),
        ("811218-9876", "Det här ser ut som ett personnummer, inte ett organisationsnummer."),
        ("802002-3431", "Röda Korset Malmö krets har redan det här organisationsnumret."),
    ],
)
def test_bad_organisation_numbers_save_nothing(client, cast, number, message):
    client.force_login(cast.staff)
    before = Organisation.objects.count()
    response = client.post(reverse("organisation_create"), {**VALID, "org_number": number})
    assert response.status_code == 200
    assert response.context["form"].errors["org_number"] == [message]
    assert "Ingenting sparades." in response.content.decode()
    assert Organisation.objects.count() == before


def test_same_number_is_allowed_in_another_municipality(client, cast):
    client.force_login(cast.kalmar_staff)
    response = client.post(reverse("organisation_create"), {**VALID, "org_number": "802002-3431"})
    assert response.status_code == 302
    assert Organisation.objects.filter(org_number="802002-3431").count() == 2


def test_database_refuses_a_duplicate_number_in_one_municipality(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(municipality=cast.malmo, name="Kopia", org_number="802002-3431")


def test_several_organisations_without_number_are_allowed_and_flagged(client, cast):
    client.force_login(cast.staff)
    for name in ("Nätverket A", "Nätverket B"):
        client.post(reverse("organisation_create"), {**VALID, "name": name, "org_number": ""})
    network = Organisation.objects.get(name="Nätverket A")
    assert Organisation.objects.filter(org_number="").count() == 2
    html = client.get(reverse("organisation_detail", args=[network.pk])).content.decode()
    assert "Organisationen saknar organisationsnummer" in html


def test_legal_form_mismatch_is_warned_about_but_saved(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("organisation_create"), {**VALID, "legal_form": "economic_association"}, follow=True
    )
    organisation = Organisation.objects.get(name=VALID["name"])
    assert organisation.legal_form_mismatch is True
    assert (
        "Kontrollera associationsformen: organisationsnumret 802519-8766 hör till gruppen "
        "ideella föreningar och stiftelser, vilket inte stämmer med ”ekonomisk förening”."
    ) in response.content.decode()


@pytest.mark.parametrize("query", ["802002-3431", "8020023431", "röda korset", "802002"])
def test_search_by_name_or_number_in_any_form(client, cast, query):
    client.force_login(cast.staff)
    response = client.get(reverse("organisation_list"), {"q": query})
    assert [o.name for o in response.context["table"].data] == ["Röda Korset Malmö krets"]


def test_filter_by_active(client, cast):
    cast.other_org.is_active = False
    cast.other_org.save()
    client.force_login(cast.staff)
    inactive = client.get(reverse("organisation_list"), {"is_active": "0"})
    active = client.get(reverse("organisation_list"), {"is_active": "1"})
    assert [o.name for o in inactive.context["table"].data] == ["Brukarföreningen Malmö"]
    assert [o.name for o in active.context["table"].data] == ["Röda Korset Malmö krets"]


def test_list_is_sortable_and_shows_only_own_municipality(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("organisation_list"), {"sort": "-name"})
    assert [o.name for o in response.context["table"].page.object_list.data] == [
        "Röda Korset Malmö krets",
        "Brukarföreningen Malmö",
    ]


def test_representative_updates_contact_details_only(client, cast):
    client.force_login(cast.representative)
    page = client.get(reverse("organisation_update", args=[cast.org.pk]))
    assert set(page.context["form"].fields) == {
        "street_address",
        "postal_code",
        "city",
        "email",
        "phone",
        "website",
        "seen",  # the edit guard's record of what was shown
    }
    client.post(
        reverse("organisation_update", args=[cast.org.pk]),
        {
            "street_address": "Östra Rönneholmsvägen 1",
            "postal_code": "21147",
            "city": "Malmö",
            "email": "malmo@rodakorset.example.se",
            "phone": "040-123 45",
            "name": "Kapat namn",
        },
    )
    cast.org.refresh_from_db()
    assert cast.org.email == "malmo@rodakorset.example.se"
    assert cast.org.name == "Röda Korset Malmö krets"
    latest = cast.org.history.latest()
    assert latest.history_user == cast.representative


def test_representative_manages_own_contact_persons(client, cast):
    client.force_login(cast.representative)
    response = client.post(
        reverse("contact_create", args=[cast.org.pk]),
        {"name": "Ny Person", "email": "ny@example.se", "legal_basis": "contract"},
    )
    assert response.status_code == 302
    assert cast.org.contacts.filter(name="Ny Person").exists()


def test_representative_probing_other_ids_gets_404(client, cast):
    client.force_login(cast.representative)
    for url in (
        reverse("organisation_detail", args=[cast.other_org.pk]),
        reverse("organisation_update", args=[cast.other_org.pk]),
        reverse("contact_create", args=[cast.other_org.pk]),
        reverse("contact_update", args=[cast.other_contact.pk]),
        reverse("contact_delete", args=[cast.other_contact.pk]),
        reverse("organisation_detail", args=[cast.kalmar_org.pk]),
        reverse("partnership_detail", args=[cast.other_partnership.pk]),
        reverse("partnership_detail", args=[cast.kalmar_partnership.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("contact_delete", args=[cast.other_contact.pk])).status_code == 404
    assert ContactPerson.objects.filter(pk=cast.other_contact.pk).exists()
    listed = client.get(reverse("organisation_list")).context["table"].data
    assert [o.name for o in listed] == ["Röda Korset Malmö krets"]


def test_contact_persons_are_hidden_from_auditors_and_elected(client, cast):
    for user in (cast.auditor, cast.elected):
        client.force_login(user)
        html = client.get(reverse("organisation_detail", args=[cast.org.pk])).content.decode()
        assert "Omar Saleh" not in html
    client.force_login(cast.staff)
    assert (
        "Omar Saleh"
        in client.get(reverse("organisation_detail", args=[cast.org.pk])).content.decode()
    )


def test_removing_a_contact_person_anonymises_history(client, cast):
    client.force_login(cast.staff)
    client.post(
        reverse("contact_update", args=[cast.contact.pk]),
        {
            "name": "Omar Saleh",
            "email": "omar.saleh@example.se",
            "phone": "0701234567",
            "legal_basis": "contract",
        },
    )
    assert cast.contact.history.count() == 2
    client.post(reverse("contact_delete", args=[cast.contact.pk]))
    assert not ContactPerson.objects.filter(pk=cast.contact.pk).exists()
    records = ContactPerson.history.filter(id=cast.contact.pk)
    assert records.count() == 3
    assert set(records.values_list("name", "email", "phone")) == {("(borttagen person)", "", "")}
    html = client.get(reverse("organisation_detail", args=[cast.org.pk])).content.decode()
    assert "Omar" not in html and "0701234567" not in html


def test_history_lists_who_changed_what(client, cast):
    client.force_login(cast.staff)
    client.post(
        reverse("organisation_update", args=[cast.org.pk]),
        {**VALID, "name": "Röda Korset Malmö", "org_number": "802002-3431"},
    )
    client.force_login(cast.auditor)
    response = client.get(reverse("organisation_detail", args=[cast.org.pk]))
    newest = response.context["history"][0]
    assert newest.who == cast.staff
    assert str(newest.action) == "ändrad"
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["namn"] == ("Röda Korset Malmö krets", "Röda Korset Malmö")
    assert changes["ort"] == ("–", "Malmö")


def test_history_is_not_shown_to_representatives_or_elected(client, cast):
    for user in (cast.representative, cast.elected):
        client.force_login(user)
        response = client.get(reverse("organisation_detail", args=[cast.org.pk]))
        assert response.context["history"] is None
        assert "Historik" not in response.content.decode()
