"""Who may see or change what: derived here, once per request, and nowhere else.

Every app's querysets (`visible_to`, `editable_by`) and the few yes/no questions views ask
start from `scope_for(user)`, so an object outside a user's scope is simply not found.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
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
    def is_staff(self):
        return self.role == "staff"

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
    def staff_body_ids(self):
        """Bodies whose matters a civil servant keeps: their förvaltningar and its nämnder."""
        return self.administration_ids | self.served_committee_ids


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

    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(role=Role.ADMIN, municipality_id=user.municipality_id)
    bodies = list(user.memberships.values_list("body_id", "body__kind"))
    administration_ids = frozenset(
        body_id for body_id, kind in bodies if kind == Body.Kind.ADMINISTRATION
    )
    committee_ids = frozenset(body_id for body_id, kind in bodies if kind == Body.Kind.COMMITTEE)
    served = frozenset()
    if user.role == Role.STAFF and administration_ids:
        served = frozenset(
            Body.serves.through.objects.filter(from_body_id__in=administration_ids).values_list(
                "to_body_id", flat=True
            )
        )
    return Scope(
        role=user.role,
        municipality_id=user.municipality_id,
        administration_ids=administration_ids if user.role == Role.STAFF else frozenset(),
        served_committee_ids=served,
        committee_ids=committee_ids if user.role == Role.ELECTED else frozenset(),
        organisation_ids=represented_organisation_ids(user),
    )


def represented_organisation_ids(user):
    """The organisations a representative speaks for (partners.Representative)."""
    if user.role != "representative":
        return frozenset()
    return frozenset(user.representations.values_list("organisation_id", flat=True))


def object_for_change(visible, editable, **lookup):
    """The object if the user may change it: 404 if they cannot even see it, 403 if they
    can see it but not change it."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    obj = get_object_or_404(visible, **lookup)
    if not editable.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def require(condition):
    """Views call this for the few yes/no questions ("may create an agreement?")."""
    from django.core.exceptions import PermissionDenied

    if not condition:
        raise PermissionDenied
