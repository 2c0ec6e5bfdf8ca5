"""Named access rules of the start page; see `municipality.access`."""

from django.utils.translation import gettext_lazy as _

from municipality.access import (
    add_rule,
    is_admin,
    is_auditor,
    is_civil_servant,
    is_elected,
    is_representative,
)

add_rule(
    "see_work_queue",
    is_civil_servant | is_admin,
    _(
        "Start page: what needs doing in the bodies one keeps (meetings to log, issues "
        "forwarded, agreements ending, follow-ups and reports back overdue, accounts to confirm)"
    ),
)
add_rule(
    "see_committee_overview",
    is_elected,
    _(
        "Start page: one's nämnd's coming meetings, the issues forwarded to it and the dialogue "
        "structures it owns"
    ),
)
add_rule(
    "see_organisation_overview",
    is_representative,
    _(
        "Start page: one's organisation's next meetings, what it raised, its agreements and "
        "this year's grants"
    ),
)
add_rule(
    "see_audit_overview",
    is_auditor,
    _(
        "Start page: grant totals against last year, delegated decisions, account changes, "
        "overdue reports back and recoveries"
    ),
)
add_rule(
    "see_setup_gaps",
    is_admin,
    _(
        "Start page: users without a body or organisation, and förvaltningar without staff",
    ),
)
