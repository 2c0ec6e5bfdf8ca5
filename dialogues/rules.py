"""Named access rules of the dialogue forums; see `municipality.access`."""

import rules
from django.utils.translation import gettext_lazy as _

from dialogues.models import CalendarFeed, Forum
from municipality.access import (
    add_rule,
    in_scope,
    is_admin,
    is_civil_servant,
    is_representative,
    is_signed_in,
    scope_for,
)
from municipality.models import Body, User
from partners.models import Organisation


@rules.predicate
def schedules(user, forum):
    """Without a forum: anywhere at all. With one: in that forum."""
    forums = Forum.objects.schedulable_by(user)
    return (forums if forum is None else forums.filter(pk=forum.pk)).exists()


sees_meeting = in_scope("meeting")


FEED_KINDS = (
    (Organisation, CalendarFeed.Kind.ORGANISATION),
    (Forum, CalendarFeed.Kind.FORUM),
    (Body, CalendarFeed.Kind.BODY),
    (User, CalendarFeed.Kind.PERSONAL),
)


def feed_kind(subject):
    # isinstance, not type(): request.user is a lazy wrapper around the User.
    return next((kind for model, kind in FEED_KINDS if isinstance(subject, model)), None)


@rules.predicate
def holds_feed_right(user, subject):
    """Representatives their organisation's, staff their bodies' and forums', everyone
    their own meetings. Checked again at every poll of a feed."""
    kind = feed_kind(subject)
    scope = scope_for(user)
    if kind is None or not scope.is_authenticated:
        return False
    if kind == CalendarFeed.Kind.PERSONAL:
        return subject.pk == user.pk
    if scope.is_admin:
        return True
    if kind == CalendarFeed.Kind.ORGANISATION:
        return subject.pk in scope.organisation_ids
    if kind == CalendarFeed.Kind.BODY:
        return scope.is_civil_servant and subject.pk in scope.staff_body_ids
    # As Forum.objects.editable_by, from the scope alone: a feed asks at every poll.
    return subject.owner_id in scope.staff_body_ids


add_rule("create_forum", is_civil_servant, _("Create a dialogue forum"))
add_rule(
    "change_forum",
    in_scope("forum", "editable_by"),
    _(
        "Change a forum (staff of the owning body, or of the förvaltning serving the owning nämnd)",
    ),
)
add_rule(
    "schedule_meeting",
    schedules,
    _(
        "Add meetings: staff in the forums they keep, elected members in their nämnd's temadagar",
    ),
)
add_rule(
    "change_meeting",
    in_scope("meeting", "editable_by"),
    _("Change a meeting's time, place and agenda"),
)
keeps_meeting = in_scope("meeting", "kept_by")
add_rule(
    "keep_meeting",
    keeps_meeting,
    _("Log a held meeting and send its calendar invitations (staff keeping the forum)"),
)
add_rule(
    "archive_meeting",
    keeps_meeting,
    _("Archive a meeting instead of deleting it, and restore it (staff keeping the forum)"),
)
add_rule(
    "read_meeting_record",
    sees_meeting & ~is_representative,
    _(
        "Read a meeting's minutes, internal participants and every organisation's attendance "
        "and issues. Representatives see the time, place and agenda, their own organisation's "
        "attendance and the issues it raised, never the minutes"
    ),
)
add_rule(
    "export_every_attendance",
    is_signed_in & ~is_representative,
    _(
        "Export every organisation's attendance at the meetings one sees. A representative's "
        "file holds only their own organisation's"
    ),
)
add_rule(
    "change_observation",
    in_scope("observation", "editable_by"),
    _("Forward a raised issue, answer it and send the answer to the organisation"),
)
add_rule(
    "follow_forwarded_issues",
    is_signed_in & ~is_representative,
    _("Follow raised issues to their handling: the issue list opens on those not yet handled"),
)
add_rule(
    "see_feedback_recipients",
    is_civil_servant | is_admin,
    _("See which addresses an answer to a raised issue was e-mailed to"),
)
add_rule(
    "manage_calendar_feed",
    holds_feed_right,
    _(
        "Make and revoke subscription links: own meetings, own organisation (representatives), "
        "own bodies and forums (staff)"
    ),
)
