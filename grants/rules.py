"""Named access rules of grants and payment accounts; see `municipality.access`."""

import rules
from django.utils.translation import gettext_lazy as _

from grants.models import Grant, GrantScheme
from municipality.access import (
    add_rule,
    in_scope,
    is_admin,
    is_auditor,
    is_civil_servant,
    scope_for,
    serves_a_committee,
)
from partners.rules import represents, sees_organisation


@rules.predicate
def keeps_any_scheme(user):
    return GrantScheme.objects.editable_by(user).exists()


@rules.predicate
def pays_organisation(user, organisation):
    """Staff of a förvaltning serving a nämnd that has granted the organisation money."""
    scope = scope_for(user)
    if organisation is None or not scope.is_civil_servant or not scope.served_committee_ids:
        return False
    return Grant.objects.paid_by(user).filter(organisation=organisation).exists()


@rules.predicate
def keeps_account(user, organisation):
    return bool(is_admin(user) or pays_organisation(user, organisation))


@rules.predicate
def confirms_change(user, change):
    """Someone who may change the account, and not the person who entered the change."""
    return (
        change is not None
        and change.entered_by_id != user.pk
        and keeps_account(user, change.organisation)
    )


add_rule("create_grant", keeps_any_scheme, _("Register a grant application and its decision"))
add_rule(
    "import_grants",
    keeps_any_scheme,
    _(
        "Import grants and their payments from a file, after a preview (schemes of the nämnder "
        "one's förvaltning serves)",
    ),
)
add_rule(
    "change_grant",
    in_scope("grant", "editable_by"),
    _(
        "Change a grant, record payments and reports back (staff serving the granting nämnd)",
    ),
)
add_rule(
    "create_grant_scheme",
    is_admin | (is_civil_servant & serves_a_committee),
    _(
        "Create a grant scheme (for a nämnd the staff member's förvaltning serves)",
    ),
)
add_rule(
    "download_grant_workbook",
    is_civil_servant | is_auditor | is_admin,
    _("Download the auditor's grant workbook"),
)
add_rule(
    "see_payment_account",
    (is_civil_servant | is_auditor | is_admin) & sees_organisation,
    _("See the account an organisation is paid to, its pending changes and their history"),
)
add_rule(
    "change_payment_account",
    keeps_account,
    _(
        "Enter a new payment account: administrators, and staff serving a nämnd that has "
        "granted the organisation money"
    ),
)
add_rule(
    "propose_payment_account",
    keeps_account | represents,
    _(
        "Propose a new payment account, naming the firmatecknare (also the organisation's "
        "representatives)"
    ),
)
add_rule(
    "confirm_payment_account",
    confirms_change,
    _(
        "Confirm or reject a pending account change: someone who may change the account, "
        "never the person who entered it"
    ),
)


@rules.predicate
def entered_change(user, change):
    return change is not None and change.entered_by_id == user.pk


add_rule(
    "withdraw_payment_account_change",
    confirms_change | entered_change,
    _("Reject a pending account change, or withdraw one's own"),
)
