"""Who may see or change what: derived here, once per request, and nowhere else.

Two kinds of answer come from here:

- **Scopes.** Each model's `visible_to(user)` / `editable_by(user)` start from
  `scope_for(user)`, so an object outside a user's scope is simply not found, and
  `X.objects.for_change(user, pk=…)` gives 404 or 403 in one call.
- **Named rules.** Every yes/no question ("may change this organisation's payment
  account?") is one predicate registered under a name with the `rules` package: the base
  rules below, each feature's in its own `rules.py`. Views ask `allows`/`require`,
  templates `{% test_rule "<rule>" user obj as … %}`, the menu names a rule per entry. Only
  the predicates here look at a user's role.
"""

from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scope:
    """What a user reaches, as data. The role is read here, once; the models' scopes and
    the forms ask the data (`everything`, `reads_municipality_id`, the sets of ids), so a
    queryset is a union of what applies and never a branch on a role."""

    role: str | None = None
    municipality_id: int | None = None
    # The förvaltningar a civil servant works in, and the nämnder those serve.
    administration_ids: frozenset = field(default_factory=frozenset)
    served_committee_ids: frozenset = field(default_factory=frozenset)
    # The nämnder an elected member sits on.
    committee_ids: frozenset = field(default_factory=frozenset)
    # The civil-society organisations a representative speaks for.
    organisation_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_authenticated(self):
        return self.role is not None

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_civil_servant(self):
        return self.role == "civil_servant"

    @property
    def is_elected(self):
        return self.role == "elected"

    @property
    def is_representative(self):
        return self.role == "representative"

    @property
    def is_auditor(self):
        return self.role == "auditor"

    @property
    def everything(self):
        """Administrators reach every record of every municipality."""
        return self.is_admin

    @property
    def reads_municipality_id(self):
        """Civil servants and auditors read every record of their municipality."""
        return self.municipality_id if self.is_civil_servant or self.is_auditor else None

    @property
    def keeps_municipality_id(self):
        """Civil servants keep their municipality's register of organisations."""
        return self.municipality_id if self.is_civil_servant else None

    @property
    def register_municipality_id(self):
        """Whose register of organisations and bodies the user reads whole: everyone's own
        municipality's, except a representative's (they see their own organisations)."""
        if not self.is_authenticated or self.is_representative:
            return None
        return self.municipality_id

    @property
    def staff_body_ids(self):
        """Bodies whose matters a civil servant keeps: their förvaltningar and its nämnder."""
        return self.administration_ids | self.served_committee_ids

    @property
    def own_body_ids(self):
        """The bodies whose meetings are "mine": kept by a civil servant, sat on by an
        elected member; None for those whose own meetings are all they see."""
        if self.is_civil_servant:
            return self.staff_body_ids
        if self.is_elected:
            return self.committee_ids
        return None

    SETS = ("administration_ids", "served_committee_ids", "committee_ids", "organisation_ids")

    def as_data(self):
        """The scope as JSON, to be kept with what was written under it (an export)."""
        data = {"role": self.role, "municipality_id": self.municipality_id}
        data.update({name: sorted(getattr(self, name)) for name in self.SETS})
        return data

    def covers(self, data):
        """This scope reaches at least what the scope kept as `data` reached."""
        if data.get("role") != self.role or data.get("municipality_id") != self.municipality_id:
            return False
        return all(set(data.get(name, ())) <= getattr(self, name) for name in self.SETS)


NOTHING = Q(pk__in=[])


def any_of(*conditions):
    """The union of the conditions that apply (a falsy entry is one that does not); if
    none applies, a condition nothing matches."""
    applying = [condition for condition in conditions if condition]
    if not applying:
        return NOTHING
    union = applying[0]
    for condition in applying[1:]:
        union |= condition
    return union


def reach(queryset, scope, *conditions):
    """`queryset` as far as the scope reaches: everything for an administrator, otherwise
    the union of those `conditions` (Q objects) that apply; the others are given falsy,
    typically as `scope.committee_ids and Q(…)`."""
    if scope.everything:
        return queryset
    return queryset.filter(any_of(*conditions))


ANONYMOUS = Scope()


def scope_for(user):
    """The user's scope, computed on first use and kept on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_access_scope", None)
    if cached is None:
        cached = _build_scope(user)
        user._access_scope = cached
    return cached


def _build_scope(user):
    from municipality.models import Body, Role

    if user.role == Role.ADMIN:
        return Scope(role=Role.ADMIN, municipality_id=user.municipality_id)
    bodies = list(user.memberships.values_list("body_id", "body__kind"))
    administration_ids = frozenset(
        body_id for body_id, kind in bodies if kind == Body.Kind.ADMINISTRATION
    )
    committee_ids = frozenset(body_id for body_id, kind in bodies if kind == Body.Kind.COMMITTEE)
    civil_servant = user.role == Role.CIVIL_SERVANT
    served = frozenset()
    if civil_servant and administration_ids:
        served = frozenset(
            Body.serves.through.objects.filter(from_body_id__in=administration_ids).values_list(
                "to_body_id", flat=True
            )
        )
    return Scope(
        role=user.role,
        municipality_id=user.municipality_id,
        administration_ids=administration_ids if civil_servant else frozenset(),
        served_committee_ids=served,
        committee_ids=committee_ids if user.role == Role.ELECTED else frozenset(),
        organisation_ids=represented_organisation_ids(user),
    )


def civil_servants_in(body):
    """The active civil servants working in a förvaltning: who is sent its reminders."""
    from municipality.models import Role, User

    return User.objects.filter(role=Role.CIVIL_SERVANT, is_active=True, memberships__body=body)


def keepers_of(body):
    """The active civil servants who keep a body's matters: those working in it, and for
    a nämnd those of the förvaltningar serving it."""
    from municipality.models import Role, User

    return User.objects.filter(
        Q(memberships__body=body) | Q(memberships__body__serves=body),
        role=Role.CIVIL_SERVANT,
        is_active=True,
    ).distinct()


def reaching_everything():
    """The users whose scope is everything (`Scope.everything`)."""
    from municipality.models import Role

    return Q(role=Role.ADMIN)


def speaking_for_organisations():
    """The users who may be linked to an organisation as its representatives."""
    from municipality.models import Role

    return Q(role=Role.REPRESENTATIVE)


def users_without_a_place():
    """Active users whose role needs a body or an organisation, and who have none."""
    from municipality.models import Role, User

    return User.objects.filter(
        Q(role__in=[Role.CIVIL_SERVANT, Role.ELECTED], memberships__isnull=True)
        | Q(role=Role.REPRESENTATIVE, representations__isnull=True),
        is_active=True,
    ).distinct()


def administrations_without_staff():
    """Förvaltningar where no active civil servant works."""
    from municipality.models import Body, Membership, Role

    staffed = Membership.objects.filter(user__role=Role.CIVIL_SERVANT, user__is_active=True).values(
        "body_id"
    )
    return Body.objects.filter(kind=Body.Kind.ADMINISTRATION).exclude(pk__in=staffed)


def represented_organisation_ids(user):
    """The organisations a representative speaks for (partners.Representative)."""
    if user.role != "representative":
        return frozenset()
    return frozenset(user.representations.values_list("organisation_id", flat=True))


# Roles, as predicates the rules compose ---------------------------------------------------


@rules.predicate
def is_signed_in(user):
    return scope_for(user).is_authenticated


@rules.predicate
def is_admin(user):
    return scope_for(user).is_admin


@rules.predicate
def is_civil_servant(user):
    return scope_for(user).is_civil_servant


@rules.predicate
def is_elected(user):
    return scope_for(user).is_elected


@rules.predicate
def is_representative(user):
    return scope_for(user).is_representative


@rules.predicate
def is_auditor(user):
    return scope_for(user).is_auditor


@rules.predicate
def serves_a_committee(user):
    """A civil servant whose förvaltning prepares matters for at least one nämnd."""
    return bool(scope_for(user).served_committee_ids)


def in_scope(manager_name, method="visible_to"):
    """A predicate on (user, obj): obj is in the user's scope of that model's queryset."""

    def test(user, obj):
        if obj is None:
            return False
        queryset = getattr(type(obj)._default_manager, method)(user)
        return queryset.filter(pk=obj.pk).exists()

    test.__name__ = f"{manager_name}_{method}"
    return rules.predicate(test)


# The rule registry -------------------------------------------------------------------------

# name -> one line on what it says (English; docs/access.md's table is made from these).
DESCRIPTIONS = {}


def add_rule(name, predicate, description):
    rules.add_rule(name, predicate)
    DESCRIPTIONS[name] = description


def allows(user, name, obj=None):
    """The answer of the named rule for this user (and object)."""
    if name not in DESCRIPTIONS:
        raise KeyError(f"No access rule named {name!r}")
    return rules.test_rule(name, user, obj)


def answers(user, *names, **asked):
    """The named rules' answers, as templates ask them (`can.change_grant`): each rule in
    `names` asked without an object, each in `asked` about its object."""
    found = {name: allows(user, name) for name in names}
    found.update((name, allows(user, name, obj)) for name, obj in asked.items())
    return found


class ReadOnly(PermissionDenied):
    """The user may see the object but not change it; the 403 page says so."""


class Refused(PermissionDenied):
    """A named rule said no; the 403 page says which right was needed."""

    def __init__(self, rule):
        super().__init__(rule)
        self.rule = rule
        self.description = DESCRIPTIONS[rule]


def require(user, name, obj=None):
    """Raise 403 (Refused, naming the rule) unless the named rule allows it."""
    if not allows(user, name, obj):
        raise Refused(name)


add_rule("read_register", is_signed_in, _("Read the register's lists, as far as their scope goes"))
add_rule(
    "read_history",
    is_civil_servant | is_auditor | is_admin,
    _("Read the change history of organisations, agreements, forums, grants and payment accounts"),
)
add_rule(
    "read_municipality_reports",
    is_signed_in & ~is_representative,
    _("Read the dialogue structures report and the delegation list"),
)
add_rule(
    "see_body_members",
    is_signed_in & ~is_representative,
    _(
        "See who sits on a nämnd or works in a förvaltning (the municipality's own people)",
    ),
)
add_rule("administer", is_admin, _("Use the administration site: users, roles, bodies"))
add_rule(
    "extract_user_data",
    is_admin,
    _("Make a register extract (GDPR art. 15) of everything stored about a user account"),
)
add_rule(
    "read_retention_log",
    is_civil_servant | is_admin,
    _("Read the log of the daily gallring: how many records of each kind it thinned out"),
)
add_rule(
    "read_processing_record",
    is_admin,
    _("Read the record of processing (GDPR art. 30): every field holding personal data"),
)
add_rule(
    "see_users_and_roles",
    is_admin,
    _("See every user's role, municipality, memberships and representations, and export them"),
)
add_rule(
    "invite_users_in_bulk",
    is_admin,
    _("Invite users in bulk from a CSV or .xlsx file, after a preview"),
)


class ScopedQuerySet(models.QuerySet):
    """Querysets whose model defines `visible_to(user)` and `editable_by(user)`."""

    def for_change(self, user, editable="editable_by", **lookup):
        """The object if the user may change it: 404 if they cannot even see it, 403 if
        they can see it but not change it. `editable` names another scope method."""
        obj = get_object_or_404(self.visible_to(user), **lookup)
        if not getattr(self.model._default_manager, editable)(user).filter(pk=obj.pk).exists():
            raise ReadOnly
        return obj


def visible_pks(user, objects):
    """The pks of those `objects` (of one model) the user may open, in one query: pages
    link only these."""
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return frozenset()
    scoped = type(objects[0])._default_manager.visible_to(user)
    return frozenset(scoped.filter(pk__in=[o.pk for o in objects]).values_list("pk", flat=True))
