"""The admin's add forms hold to the rules its change forms hold to.

A membership or a representation is checked against the role and municipality the
administrator submits with it, so a rule cannot be slipped past by adding a user (or an
organisation) together with the row it forbids. Every violation is refused on the add form
and on the change form, and nothing is saved.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from municipality.models import Membership, Role, User
from partners.models import Organisation, Representative


class FormParser(HTMLParser):
    """The values a browser would submit from the page's main form, untouched."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            checkable = attrs.get("type") in ("checkbox", "radio")
            self.data.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] = [self.data[self._textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = FormParser()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if not name.startswith("__")}
    data.pop("csrfmiddlewaretoken", None)
    return {**data, "_save": "Spara"}


def user_page(cast, change):
    if not change:
        return reverse("admin:municipality_user_add"), None
    target = User.objects.create_user(
        "ny.anvandare",
        email="ny@example.se",
        first_name="Ny",
        last_name="Användare",
        role=Role.CIVIL_SERVANT,
        municipality=cast.malmo,
    )
    return reverse("admin:municipality_user_change", args=[target.pk]), target


def user_form(client, cast, change, *, role, municipality, body):
    url, target = user_page(cast, change)
    data = page_form(client, url)
    data.update(
        {
            "username": "ny.anvandare",
            "first_name": "Ny",
            "last_name": "Användare",
            "email": "ny@example.se",
            "role": role,
            "municipality": getattr(cast, municipality).pk if municipality else "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-body": getattr(cast, body).pk,
            "memberships-0-title": "",
        }
    )
    return url, data, target


def organisation_form(client, cast, change, *, user):
    target = cast.other_org if change else None
    url = (
        reverse("admin:partners_organisation_change", args=[target.pk])
        if change
        else reverse("admin:partners_organisation_add")
    )
    data = page_form(client, url)
    if not change:
        data.update({"name": "Nya föreningen", "municipality": cast.malmo.pk})
    data.update(
        {
            "representatives-TOTAL_FORMS": "1",
            "representatives-0-user": user(cast).pk,
            "representatives-0-authorisation": "signatory",
            "representatives-0-since": "2026-01-01",
        }
    )
    return url, data, target


def represented_user(cast):
    """A Malmö representative of the cast's other organisation, for the change page."""
    target = User.objects.create_user(
        "ny.anvandare",
        email="ny@example.se",
        first_name="Ny",
        last_name="Användare",
        role=Role.REPRESENTATIVE,
        municipality=cast.malmo,
    )
    Representative.objects.create(
        user=target, organisation=cast.other_org, authorisation="signatory", since="2025-01-01"
    )
    return target


def representation_form(client, cast, change, *, role, municipality):
    """The user's page with a new row for the cast's organisation (after, on the change
    page, the row the user already has): checked against the role and municipality
    submitted with it."""
    target = represented_user(cast) if change else None
    url = (
        reverse("admin:municipality_user_change", args=[target.pk])
        if change
        else reverse("admin:municipality_user_add")
    )
    data = page_form(client, url)
    row = int(data.get("representations-TOTAL_FORMS", ["0"])[0])
    data.update(
        {
            "username": "ny.anvandare",
            "first_name": "Ny",
            "last_name": "Användare",
            "email": "ny@example.se",
            "role": role,
            "municipality": getattr(cast, municipality).pk if municipality else "",
            "representations-TOTAL_FORMS": str(row + 1),
            f"representations-{row}-organisation": cast.org.pk,
            f"representations-{row}-authorisation": "power_of_attorney",
            f"representations-{row}-since": "2026-01-01",
        }
    )
    return url, data, target


def kalmar_representative(cast):
    return User.objects.create_user(
        "kalmar.foretradare", role=Role.REPRESENTATIVE, municipality=cast.kalmar
    )


# name -> (form builder, what is submitted, the Swedish error it gets)
VIOLATIONS = {
    "civil servant on a committee": (
        user_form,
        {"role": "civil_servant", "municipality": "malmo", "body": "asn"},
        "En tjänsteperson hör till en förvaltning.",
    ),
    "elected member in an administration": (
        user_form,
        {"role": "elected", "municipality": "malmo", "body": "asf"},
        "En förtroendevald sitter i en nämnd.",
    ),
    "representative in a body": (
        user_form,
        {"role": "representative", "municipality": "malmo", "body": "asf"},
        "Bara tjänstepersoner och förtroendevalda hör till nämnder och förvaltningar.",
    ),
    "administrator in a body": (
        user_form,
        {"role": "admin", "municipality": None, "body": "asn"},
        "Bara tjänstepersoner och förtroendevalda hör till nämnder och förvaltningar.",
    ),
    "body of another municipality": (
        user_form,
        {"role": "civil_servant", "municipality": "malmo", "body": "kalmar_soc"},
        "Nämnden eller förvaltningen hör till en annan kommun.",
    ),
    "civil servant as an organisation's representative": (
        organisation_form,
        {"user": lambda cast: cast.staff},
        "Bara en användare med rollen organisationsföreträdare kan kopplas till en organisation.",
    ),
    "representative from another municipality": (
        organisation_form,
        {"user": kalmar_representative},
        "Användaren hör till en annan kommun.",
    ),
    "a representation of a user whose role is not representative": (
        representation_form,
        {"role": "civil_servant", "municipality": "malmo"},
        "Bara en användare med rollen organisationsföreträdare kan kopplas till en organisation.",
    ),
    "a representation of an administrator": (
        representation_form,
        {"role": "admin", "municipality": None},
        "Bara en användare med rollen organisationsföreträdare kan kopplas till en organisation.",
    ),
    "a representative moved to another municipality": (
        representation_form,
        {"role": "representative", "municipality": "kalmar"},
        "Användaren hör till en annan kommun.",
    ),
}


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
        Representative.objects.count(),
    )


@pytest.mark.parametrize("change", [False, True], ids=["add", "change"])
@pytest.mark.parametrize("violation", VIOLATIONS)
def test_every_rule_holds_on_add_and_change(client, cast, violation, change):
    build, submitted, message = VIOLATIONS[violation]
    client.force_login(cast.admin)
    url, data, target = build(client, cast, change, **submitted)
    before = counts()
    target_before = target and type(target).objects.filter(pk=target.pk).values().get()
    response = client.post(url, data)
    assert response.status_code == 200, "refused, the form shown again"
    errors = [
        str(e)
        for formset in response.context["inline_admin_formsets"]
        for e in formset.formset.errors
    ]
    assert any(message in error for error in errors), errors
    assert counts() == before
    if target is not None:
        assert type(target).objects.filter(pk=target.pk).values().get() == target_before


ALLOWED = {
    "civil servant in an administration": (
        user_form,
        {"role": "civil_servant", "municipality": "malmo", "body": "asf"},
    ),
    "elected member on a committee": (
        user_form,
        {"role": "elected", "municipality": "malmo", "body": "asn"},
    ),
    "representative of a Malmö organisation": (
        organisation_form,
        {"user": lambda cast: cast.representative},
    ),
    "a Malmö representative's representation, on the user's page": (
        representation_form,
        {"role": "representative", "municipality": "malmo"},
    ),
}


@pytest.mark.parametrize("change", [False, True], ids=["add", "change"])
@pytest.mark.parametrize("allowed", ALLOWED)
def test_what_the_rules_allow_is_saved(client, cast, mailoutbox, allowed, change):
    """The same forms, filled as the rules allow, are saved: the refusals above are the
    rules' doing, not a form that could never be saved."""
    build, submitted = ALLOWED[allowed]
    client.force_login(cast.admin)
    url, data, _ = build(client, cast, change, **submitted)
    memberships, representatives = Membership.objects.count(), Representative.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    ]
    assert Membership.objects.count() + Representative.objects.count() == (
        memberships + representatives + 1
    )


def test_a_role_changed_away_from_representative_is_refused_while_representing(client, cast):
    """The representative's own page: the role changed to civil servant, the row kept."""
    client.force_login(cast.admin)
    url = reverse("admin:municipality_user_change", args=[cast.representative.pk])
    data = {**page_form(client, url), "role": "civil_servant"}
    response = client.post(url, data)
    assert response.status_code == 200
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "representations"
    )
    assert [form.non_field_errors() for form in formset.forms] == [
        ["Bara en användare med rollen organisationsföreträdare kan kopplas till en organisation."]
    ]
    assert "Bara en användare med rollen organisationsföreträdare" in response.content.decode()
    cast.representative.refresh_from_db()
    assert cast.representative.role == Role.REPRESENTATIVE


def test_a_role_changed_away_with_the_representation_removed_is_saved(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:municipality_user_change", args=[cast.representative.pk])
    data = {**page_form(client, url), "role": "auditor", "representations-0-DELETE": "on"}
    assert client.post(url, data).status_code == 302
    cast.representative.refresh_from_db()
    assert cast.representative.role == Role.AUDITOR
    assert not cast.representative.representations.exists()


def autocomplete(client, model_name, field_name, term="", app_label=None):
    app_label = app_label or ("municipality" if model_name == "membership" else "partners")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_representative_autocomplete_offers_representatives_with_role_and_municipality(
    client, cast
):
    kalmar_representative(cast)
    client.force_login(cast.admin)
    assert sorted(autocomplete(client, "representative", "user")) == [
        "Representative (representative) – Organisationsföreträdare, Malmö stad",
        "kalmar.foretradare – Organisationsföreträdare, Kalmar kommun",
    ]


def test_the_body_autocomplete_shows_kind_and_municipality(client, cast):
    client.force_login(cast.admin)
    offered = autocomplete(client, "membership", "body", term="social")
    assert sorted(offered) == [
        "Arbetsmarknads- och socialförvaltningen (förvaltning, Malmö stad)",
        "Arbetsmarknads- och socialnämnden (nämnd, Malmö stad)",
        "Socialförvaltningen (förvaltning, Kalmar kommun)",
        "Socialnämnden (nämnd, Kalmar kommun)",
    ]
    assert autocomplete(client, "membership", "body", term="kalmar") == [
        "Socialförvaltningen (förvaltning, Kalmar kommun)",
        "Socialnämnden (nämnd, Kalmar kommun)",
    ]


def test_the_organisation_autocomplete_offers_current_organisations_with_number(client, cast):
    cast.other_org.archive(cast.admin)
    client.force_login(cast.admin)
    assert sorted(autocomplete(client, "representative", "organisation")) == [
        "Kalmar Stadsmission (802011-1129, Kalmar kommun)",
        "Röda Korset Malmö krets (802002-3431, Malmö stad)",
    ]


def test_chosen_records_read_as_the_autocomplete_names_them(client, cast):
    """The user's page shows the chosen body and organisation with kind and municipality."""
    client.force_login(cast.admin)
    page = client.get(reverse("admin:municipality_user_change", args=[cast.staff.pk]))
    assert (
        "Arbetsmarknads- och socialförvaltningen (förvaltning, Malmö stad)" in page.content.decode()
    )
    page = client.get(reverse("admin:municipality_user_change", args=[cast.representative.pk]))
    assert "Röda Korset Malmö krets (802002-3431, Malmö stad)" in page.content.decode()


def test_a_body_with_its_municipality_cleared_is_refused_in_swedish(client, cast):
    """The served committees are checked against the municipality only once there is
    one: a cleared Kommun gave a 500 before."""
    client.force_login(cast.admin)
    url = reverse("admin:municipality_body_change", args=[cast.asf.pk])
    response = client.post(
        url,
        {
            "municipality": "",
            "name": "Nytt namn",
            "short_name": "",
            "kind": "administration",
            "serves": [cast.asn.pk],
        },
    )
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.context["adminform"].form.errors["municipality"]
    cast.asf.refresh_from_db()
    assert cast.asf.name != "Nytt namn" and cast.asf.municipality_id is not None
