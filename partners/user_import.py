"""The organisations a representative speaks for, as columns of the user import
(municipality.user_import): "organisation" by name or organisationsnummer, several
separated by semicolons, and "behörighet" (firmatecknare or fullmakt; fullmakt when left
empty). Each is checked by Representative.clean, as on the admin's pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipality import tabular, user_import
from municipality.inputs import digits
from municipality.models import Role
from partners.models import Organisation, Representative

ORGANISATION = tabular.Column(
    "organisation",
    "organisation",
    ("organisationer", "förening", "föreningar", "organisationsnummer", "organization"),
    False,
    gettext_lazy(
        "For an Organisationsföreträdare: the organisation's name or organisationsnummer; "
        "several separated by semicolons (;)."
    ),
)
AUTHORISATION = tabular.Column(
    "authorisation",
    "behörighet",
    ("firmatecknare/fullmakt", "authorisation"),
    False,
    gettext_lazy("For an Organisationsföreträdare: firmatecknare or fullmakt (empty: fullmakt)."),
)
AUTHORISATIONS = {
    "firmatecknare": Representative.Authorisation.SIGNATORY,
    "signatory": Representative.Authorisation.SIGNATORY,
    "fullmakt": Representative.Authorisation.PROXY,
    "power of attorney": Representative.Authorisation.PROXY,
}


def _organisations(user, cache):
    key = ("organisations", user.municipality_id)
    if key not in cache:
        organisations = Organisation.objects.select_related("municipality")
        if user.municipality_id is not None:
            organisations = organisations.filter(municipality_id=user.municipality_id)
        index = {}
        for organisation in organisations:
            index.setdefault(user_import.folded(organisation.name), organisation)
            if organisation.org_number:
                index.setdefault(digits(organisation.org_number), organisation)
        cache[key] = index
    return cache[key]


def build(row, user, cache):
    names = user_import.split(row.values.get("organisation"))
    if not names:
        if user.role == Role.REPRESENTATIVE and "organisation" not in row.unreadable:
            return [], [
                ("organisation", _("Fill in the organisation the representative speaks for."))
            ]
        return [], []
    written = user_import.folded(tabular.text(row.values.get("authorisation")))
    authorisation = AUTHORISATIONS.get(written or "fullmakt")
    if authorisation is None:
        return [], [("authorisation", _("Write firmatecknare or fullmakt."))]
    items, problems, seen = [], [], set()
    for name in names:
        index = _organisations(user, cache)
        organisation = index.get(digits(name)) or index.get(user_import.folded(name))
        if organisation is None:
            where = user.municipality.name if user.municipality else _("the register")
            problems.append(
                (
                    "organisation",
                    _("Unknown organisation “%(name)s” in %(municipality)s.")
                    % {"name": name, "municipality": where},
                )
            )
            continue
        if organisation.is_archived:
            problems.append(
                (
                    "organisation",
                    _("%(name)s is archived; restore it before linking representatives.")
                    % {"name": organisation.name},
                )
            )
            continue
        if organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        representative = Representative(
            user=user,
            organisation=organisation,
            authorisation=authorisation,
            since=timezone.localdate(),
        )
        try:
            representative.clean()
        except ValidationError as error:
            problems += [("organisation", message) for message in error.messages]
            continue
        items.append(representative)
    return items, problems


def example_organisation(municipality):
    organisations = Organisation.objects.current().filter(municipality=municipality)
    organisation = organisations.order_by("name").first()
    return organisation.name if organisation else "Föreningen Exempel"


def describe(representative):
    return f"{representative.organisation.name} ({representative.get_authorisation_display()})"


user_import.add_link(
    user_import.Link(
        model=Representative,
        column="organisation",
        build=build,
        key=lambda representative: representative.organisation_id,
        current=lambda user: {r.organisation_id for r in user.representations.all()},
        describe=describe,
        columns=(ORGANISATION, AUTHORISATION),
        example=lambda municipality: [example_organisation(municipality), "fullmakt"],
    )
)
