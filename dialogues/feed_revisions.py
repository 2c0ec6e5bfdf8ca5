"""A calendar feed's revision: raised by every change that can alter what the feed holds,
in the same transaction as the change, so that a poll's 304 reads one row.

What a feed holds, and so what reaches it:

- a forum's feed: the forum's meetings, its name, kind and owner's name;
- a body's feed: the meetings of the forums it owns, and those forums' names and kinds;
- an organisation's feed: the meetings of the forums it is a member of and those it is
  invited to, their forums' names, kinds and owners; the organisation's name;
- "my meetings": what the holder's scope reaches (`Meeting.objects.mine`), and their name.
  A change of the scope itself (bodies, organisations, role) changes the feed's ETag
  through the scope (dialogues.feeds.etag); a change to a meeting reaches every personal
  feed whose holder could see it: the meeting's municipality, the members of its forum's
  owner, the representatives of its organisations, and the administrators.

Saves and deletes are followed by signals; m2m changes of a forum's members by
m2m_changed; writes that pass by save() either raise it themselves (the meeting form's
invitations, load_demo, seed_scale) or announce their rows (municipality.bulk_writes).
The window moving with the date is in the ETag, not here. Raising more feeds than a change
reaches costs a needless download; raising fewer would answer 304 to a stale calendar.
"""

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from dialogues.models import CalendarFeed, Forum, Invitation, Meeting
from municipality import access
from municipality.bulk_writes import rows_written
from municipality.models import Body, Membership, User
from partners.models import Organisation, Representative

Kind = CalendarFeed.Kind


def _raise(condition):
    """Lock the feeds in the order of their keys, then raise them: two changes reaching
    the same feeds by different paths (an index on forums, one on organisations) wait for
    each other on PostgreSQL instead of deadlocking."""
    feeds = CalendarFeed.objects.filter(condition, revoked_at__isnull=True)
    # In the change's own transaction (no savepoint); its own one in autocommit (a command).
    with transaction.atomic(savepoint=False):
        pks = list(feeds.order_by("pk").select_for_update().values_list("pk", flat=True))
        if pks:
            CalendarFeed.objects.filter(pk__in=pks).update(
                revision=F("revision") + 1, changed_at=timezone.now()
            )


def _given(ids):
    """A subquery, or a list with something in it (a subquery is never evaluated here)."""
    return isinstance(ids, QuerySet) or bool(ids)


def reach(forums=(), organisations=(), bodies=()):
    """Raise every feed that holds the meetings of `forums`, or holds meetings because one
    of `organisations` is invited to them or a member of their forum, or whose name or
    forums' owner is one of `bodies`: each a list of ids or a subquery. One UPDATE."""
    organisation_sets = [organisations] if _given(organisations) else []
    body_sets = [bodies] if _given(bodies) else []
    feeds, holders = [], []
    if _given(forums):
        feeds.append(Q(kind=Kind.FORUM, forum__in=forums))
        members = Forum.members.through.objects.filter(forum__in=forums)
        organisation_sets.append(members.values("organisation"))
        body_sets.append(Forum.objects.filter(pk__in=forums).values("owner"))
    if body_sets:
        owners = Body.objects.filter(access.any_of(*(Q(pk__in=ids) for ids in body_sets)))
        feeds.append(Q(kind=Kind.BODY, body__in=owners.values("pk")))
        holders.append(User.objects.filter(municipality__in=owners.values("municipality")))
        holders.append(Membership.objects.filter(body__in=owners.values("pk")).values("user"))
    for ids in organisation_sets:
        feeds.append(Q(kind=Kind.ORGANISATION, organisation__in=ids))
        holders.append(Representative.objects.filter(organisation__in=ids).values("user"))
    if not feeds:
        return
    holders.append(User.objects.filter(access.reaching_everything()))
    personal = access.any_of(*(Q(owner__in=users) for users in holders))
    _raise(access.any_of(*feeds) | Q(kind=Kind.PERSONAL) & personal)


def subjects_renamed(kind, pks):
    """The feeds of these subjects, whose name is the feed's name."""
    field = "owner" if kind == Kind.PERSONAL else kind
    _raise(Q(kind=kind, **{f"{field}__in": list(pks)}))


def everything_changed():
    """Every feed: after rows were written in bulk (load_demo, seed_scale)."""
    _raise(Q())


# Followed changes -------------------------------------------------------------------------


def _stored(sender, instance, fields, update_fields):
    """The values of `fields` as stored, before a save that may change them."""
    if instance.pk is None or (update_fields is not None and not set(fields) & update_fields):
        return ()
    return sender._base_manager.filter(pk=instance.pk).values_list(*fields).first() or ()


def _before_meeting_save(sender, instance, update_fields=None, **kwargs):
    instance._feed_forums_before = _stored(sender, instance, ["forum"], update_fields)


def _meeting_saved(sender, instance, **kwargs):
    forums = {instance.forum_id, *getattr(instance, "_feed_forums_before", ())}
    invited = Invitation.objects.filter(meeting=instance.pk).values("organisation")
    reach(forums=list(forums), organisations=invited)


def _meeting_deleted(sender, instance, **kwargs):
    # Its invitations went before it (they protect it), each reaching its organisation.
    reach(forums=[instance.forum_id])


def _before_invitation_save(sender, instance, update_fields=None, **kwargs):
    instance._feed_organisations_before = _stored(sender, instance, ["organisation"], update_fields)


def _invitation_saved(sender, instance, **kwargs):
    before = getattr(instance, "_feed_organisations_before", ())
    reach(organisations=[instance.organisation_id, *before])


def _invitation_deleted(sender, instance, **kwargs):
    reach(organisations=[instance.organisation_id])


def _before_forum_save(sender, instance, update_fields=None, **kwargs):
    instance._feed_owners_before = _stored(sender, instance, ["owner"], update_fields)


def _forum_saved(sender, instance, created, **kwargs):
    if created:
        return  # no meetings yet, and its members come after it
    invited = Invitation.objects.filter(meeting__forum=instance.pk).values("organisation")
    before = list(getattr(instance, "_feed_owners_before", ()))
    reach(forums=[instance.pk], organisations=invited, bodies=before)


def _members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A forum's members: every forum's meetings join or leave those organisations' feeds.
    Inside add/remove/clear's own transaction, so pre_clear (which still sees the members
    it clears) is as good as after."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if reverse:  # organisation.forums
        reach(organisations=[instance.pk])
    elif action == "pre_clear":
        reach(organisations=sender.objects.filter(forum=instance.pk).values("organisation"))
    else:
        reach(organisations=list(pk_set))


def _before_body_save(sender, instance, update_fields=None, **kwargs):
    instance._feed_municipality_before = _stored(sender, instance, ["municipality"], update_fields)


def _body_saved(sender, instance, created, **kwargs):
    if created:
        return
    forums = Forum.objects.filter(owner=instance.pk).values("pk")
    invited = Invitation.objects.filter(meeting__forum__owner=instance.pk).values("organisation")
    reach(forums=forums, organisations=invited, bodies=[instance.pk])
    # Those who read the municipality it left no longer see its meetings.
    before = getattr(instance, "_feed_municipality_before", ())
    if before and before[0] != instance.municipality_id:
        _raise(Q(kind=Kind.PERSONAL, owner__municipality__in=before))


def _organisation_saved(sender, instance, created, **kwargs):
    if not created:
        subjects_renamed(Kind.ORGANISATION, [instance.pk])


NAME_FIELDS = {"first_name", "last_name", "username"}


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    # A login saves last_login alone: no feed shows it.
    if not created and (update_fields is None or NAME_FIELDS & set(update_fields)):
        subjects_renamed(Kind.PERSONAL, [instance.pk])


def _rows_written(sender, pks, **kwargs):
    if sender is Organisation:
        subjects_renamed(Kind.ORGANISATION, pks)
    elif sender is User:
        subjects_renamed(Kind.PERSONAL, pks)
    elif sender is Meeting:
        invited = Invitation.objects.filter(meeting__in=pks).values("organisation")
        reach(forums=Meeting.objects.filter(pk__in=pks).values("forum"), organisations=invited)


def connect():
    """From DialoguesConfig.ready()."""
    uid = "feed_revisions"
    pre_save.connect(_before_meeting_save, sender=Meeting, dispatch_uid=uid)
    post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid=uid)
    post_delete.connect(_meeting_deleted, sender=Meeting, dispatch_uid=uid)
    pre_save.connect(_before_invitation_save, sender=Invitation, dispatch_uid=uid)
    post_save.connect(_invitation_saved, sender=Invitation, dispatch_uid=uid)
    post_delete.connect(_invitation_deleted, sender=Invitation, dispatch_uid=uid)
    pre_save.connect(_before_forum_save, sender=Forum, dispatch_uid=uid)
    post_save.connect(_forum_saved, sender=Forum, dispatch_uid=uid)
    m2m_changed.connect(_members_changed, sender=Forum.members.through, dispatch_uid=uid)
    pre_save.connect(_before_body_save, sender=Body, dispatch_uid=uid)
    post_save.connect(_body_saved, sender=Body, dispatch_uid=uid)
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=uid)
    post_save.connect(_user_saved, sender=User, dispatch_uid=uid)
    rows_written.connect(_rows_written, dispatch_uid=uid)
