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
