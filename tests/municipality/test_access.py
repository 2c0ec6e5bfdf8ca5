"""The access module: one derived scope per user, and querysets that start from it."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipality import access
from municipality.models import Body


def test_staff_scope_covers_their_administration_and_the_committees_it_serves(cast):
    scope = access.scope_for(cast.staff)
    assert scope.is_civil_servant
    assert scope.municipality_id == cast.malmo.pk
    assert scope.staff_body_ids == {cast.asf.pk, cast.asn.pk}
    assert scope.committee_ids == frozenset()


def test_elected_scope_is_their_committee(cast):
    scope = access.scope_for(cast.elected)
    assert scope.is_elected
    assert scope.committee_ids == {cast.asn.pk}
    assert scope.staff_body_ids == frozenset()


def test_representative_scope_is_their_organisation(cast):
    scope = access.scope_for(cast.representative)
    assert scope.is_representative
    assert scope.organisation_ids == {cast.org.pk}
    assert scope.staff_body_ids == scope.committee_ids == set()


def test_other_roles_have_no_bodies(cast):
    for user in (cast.auditor, cast.admin):
        scope = access.scope_for(user)
        assert scope.staff_body_ids == scope.committee_ids == scope.organisation_ids == set()
    assert access.scope_for(cast.auditor).is_auditor
    assert access.scope_for(cast.admin).is_admin


def test_anonymous_and_inactive_users_have_no_scope(cast):
    assert access.scope_for(AnonymousUser()) is access.ANONYMOUS
    cast.staff.is_active = False
    assert access.scope_for(cast.staff) is access.ANONYMOUS


def test_scope_is_computed_once_per_user_object(cast):
    access.scope_for(cast.staff)
    with CaptureQueriesContext(connection) as queries:
        access.scope_for(cast.staff)
    assert len(queries) == 0


def test_bodies_visible_within_own_municipality_only(cast):
    malmo = {cast.asn, cast.asf, cast.frn, cast.frf}
    for user in (cast.staff, cast.elected, cast.representative, cast.auditor):
        assert set(Body.objects.visible_to(user)) == malmo
    assert set(Body.objects.visible_to(cast.kalmar_staff)) == {cast.kalmar_sn, cast.kalmar_soc}
    assert Body.objects.visible_to(cast.admin).count() == 6
    assert not Body.objects.visible_to(AnonymousUser()).exists()


def test_only_administrators_edit_bodies(cast):
    assert Body.objects.editable_by(cast.admin).count() == 6
    for user in (cast.staff, cast.elected, cast.representative, cast.auditor):
        assert not Body.objects.editable_by(user).exists()
