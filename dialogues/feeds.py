"""Making and revoking calendar feed links, and which subjects a user holds them for.

Who may hold a feed is the rule `manage_calendar_feed`: an organisation's by its
representatives, a forum's or a body's by the staff who keep it, "my meetings" by its user.
Feeds for a subject are shared: making a new link revokes the old one, so a leaked link is
cut off for everyone at once.
"""

import dataclasses
import hashlib

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import quote_etag

from dialogues import ical
from dialogues.models import CalendarFeed, Forum, local_midnight, owned_by
from municipality import access
from municipality.models import Body
from partners.models import Organisation

Kind = CalendarFeed.Kind


def subject(user, kind, pk):
    """The feed's subject if the user may see it (404 otherwise)."""
    if kind == Kind.ORGANISATION:
        return get_object_or_404(Organisation.objects.visible_to(user), pk=pk)
    if kind == Kind.FORUM:
        return get_object_or_404(Forum.objects.visible_to(user), pk=pk)
    if kind == Kind.BODY:
        return get_object_or_404(Body.objects.visible_to(user), pk=pk)
    if kind == Kind.PERSONAL and pk == user.pk:
        return user
    raise Http404


def _lookup(kind, target):
    if kind == Kind.PERSONAL:
        return {"kind": kind, "owner": target}
    return {"kind": kind, kind: target}


def current(kind, target):
    return CalendarFeed.objects.active().filter(**_lookup(kind, target)).first()


@transaction.atomic
def renew(user, kind, target):
    """A new link for the subject; the old one stops working."""
    revoke(kind, target)
    return CalendarFeed.objects.create(**{**_lookup(kind, target), "owner": user})


def revoke(kind, target):
    CalendarFeed.objects.active().filter(**_lookup(kind, target)).update(revoked_at=timezone.now())


def manageable(user):
    """Every (kind, subject) whose feed the user may manage, for the calendar page: their
    own meetings, the organisations they represent, the bodies and forums they keep.
    Exactly those the rule `manage_calendar_feed` allows them (tests hold the two
    together), in a few queries however many they keep."""
    scope = access.scope_for(user)
    subjects = [(Kind.PERSONAL, user)]
    organisations = Organisation.objects.filter(pk__in=scope.organisation_ids)
    subjects += [(Kind.ORGANISATION, o) for o in organisations]
    subjects += [(Kind.BODY, b) for b in Body.objects.filter(pk__in=scope.staff_body_ids)]
    forums = Forum.objects.filter(owned_by(scope.staff_body_ids), is_active=True)
    subjects += [(Kind.FORUM, f) for f in forums]
    return subjects


def with_current_feeds(subjects):
    """(kind, subject, its current feed or None) for each of `subjects`, in one query."""
    wanted = Q(pk__in=[])
    by_kind = {}
    for kind, target in subjects:
        by_kind.setdefault(kind, []).append(target.pk)
    for kind, pks in by_kind.items():
        field = "owner" if kind == Kind.PERSONAL else kind
        wanted |= Q(kind=kind, **{f"{field}_id__in": pks})
    current = {}
    for feed in CalendarFeed.objects.active().filter(wanted).order_by("pk"):
        field = "owner" if feed.kind == Kind.PERSONAL else feed.kind
        current.setdefault((feed.kind, getattr(feed, f"{field}_id")), feed)  # as current()
    return [(kind, target, current.get((kind, target.pk))) for kind, target in subjects]


def holder_may_keep(feed):
    """A feed answers only while the user who made it is active and still holds the right
    that let them make it (a few indexed queries, per poll)."""
    return access.allows(feed.owner, "manage_calendar_feed", feed.subject)


def etag(feed, today, base_url):
    """What a feed's content follows, read without its meetings: its revision (raised by
    every change that reaches it, dialogues.feed_revisions), the day (the window moves
    with it), the address in every event's link, the calendar's format, and for "my
    meetings" the holder's scope, which moves with their bodies and organisations."""
    parts = [feed.pk, feed.revision, today.isoformat(), base_url, ical.FORMAT]
    if feed.kind == Kind.PERSONAL:
        scope = dataclasses.astuple(access.scope_for(feed.owner))
        parts += [sorted(v) if isinstance(v, frozenset) else str(v) for v in scope]
    return quote_etag(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])


def last_modified(feed, today):
    """The feed's last change, or the start of the day if its window moved since."""
    return max(feed.changed_at, local_midnight(today))
