"""Named access rules of the partner register; see `municipality.access`."""

import rules
from django.utils.translation import gettext_lazy as _

from municipality.access import add_rule, in_scope, is_admin, is_civil_servant, scope_for


@rules.predicate
def represents(user, organisation):
    """The user speaks for this organisation."""
    return organisation is not None and organisation.pk in scope_for(user).organisation_ids


sees_organisation = in_scope("organisation")
keeps_organisation = in_scope("organisation", "editable_by")

add_rule("create_organisation", is_civil_servant, _("Add an organisation to the register"))
add_rule(
    "change_organisation",
    keeps_organisation,
    _("Change an organisation's details (civil servants of its municipality)"),
)
add_rule(
    "archive_organisation",
    keeps_organisation,
    _("Archive an organisation instead of deleting it, and restore it"),
)
add_rule(
    "read_organisation_notes",
    keeps_organisation,
    _("Read the municipality's internal notes on an organisation"),
)
add_rule(
    "change_organisation_contacts",
    in_scope("organisation", "contact_editable_by"),
    _("Change an organisation's address and contact persons (also its own representatives)"),
)
add_rule(
    "see_contact_persons",
    ((is_civil_servant | is_admin) & sees_organisation) | represents,
    _("See an organisation's contact persons: e-mail, phone, legal basis"),
)
add_rule(
    "extract_contact_data",
    (is_civil_servant | is_admin) & in_scope("contact_person"),
    _("Make a register extract (GDPR art. 15) of everything stored about a contact person"),
)
add_rule(
    "set_legal_basis",
    is_civil_servant | is_admin,
    _("Set the legal basis for storing a contact person's details (not representatives)"),
)
add_rule("create_partnership", is_civil_servant, _("Register a new IOP agreement"))
keeps_partnership = in_scope("partnership", "editable_by")
add_rule(
    "change_partnership",
    keeps_partnership,
    _(
        "Change an IOP agreement and record its follow-ups (the running förvaltning's staff)",
    ),
)
add_rule(
    "archive_partnership",
    keeps_partnership,
    _("Archive an IOP agreement instead of deleting it, and restore it"),
)
add_rule(
    "import_organisations",
    is_civil_servant,
    _("Import organisations and their contact persons from a file, after a preview"),
)
add_rule(
    "import_partnerships",
    is_civil_servant,
    _(
        "Import IOP agreements from a file, after a preview (those of the förvaltningar one keeps)",
    ),
)
