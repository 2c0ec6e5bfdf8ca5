"""The access module: one derived scope per user, and querysets that start from it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues.models import Forum, Meeting, Observation
from grants.models import Grant, GrantScheme
from municipality import access
from municipality.models import Body, User
from partners.models import Organisation, Partnership


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


def _without_bodies(username, role, municipality):
    return User.objects.create_user(username, role=role, municipality=municipality)


def test_a_civil_servant_without_a_forvaltning_reads_but_keeps_nothing(cast):
    """The scopes are unions of what the scope's data reaches: with no body, a civil
    servant still reads the municipality, and keeps no forum, agreement or grant."""

    newcomer = _without_bodies("ny.tjansteperson", "civil_servant", cast.malmo)
    assert set(Forum.objects.visible_to(newcomer)) == set(
        Forum.objects.filter(owner__municipality=cast.malmo)
    )
    assert cast.observation in Observation.objects.visible_to(newcomer)
    assert not Forum.objects.editable_by(newcomer).exists()
    assert not Meeting.objects.editable_by(newcomer).exists()
    assert not Meeting.objects.mine(newcomer).exists()
    assert not Partnership.objects.editable_by(newcomer).exists()
    assert not Grant.objects.editable_by(newcomer).exists()
    assert not Body.objects.kept_by(newcomer).exists()
    # The register of organisations is kept by every civil servant of the municipality.
    assert cast.org in Organisation.objects.editable_by(newcomer)
    assert cast.kalmar_org not in Organisation.objects.editable_by(newcomer)


def test_an_elected_member_without_a_nämnd_and_a_representative_without_an_organisation_see_nothing(
    cast,
):

    for user in (
        _without_bodies("ny.fortroendevald", "elected", cast.malmo),
        _without_bodies("ny.foretradare", "representative", cast.malmo),
    ):
        for model in (Forum, Meeting, Observation, Partnership, GrantScheme):
            assert not model.objects.visible_to(user).exists(), (user, model)
        assert not Forum.objects.schedulable_by(user).exists()
    # Elected members still read the municipality's register of organisations.
    assert cast.org in Organisation.objects.visible_to(user_named("ny.fortroendevald"))
    assert not Organisation.objects.visible_to(user_named("ny.foretradare")).exists()


def user_named(username):
    return User.objects.get(username=username)


def test_an_administrator_reaches_every_municipality(cast):

    assert cast.kalmar_forum in Forum.objects.editable_by(cast.admin)
    assert cast.kalmar_org in Organisation.objects.contact_editable_by(cast.admin)
    assert set(Body.objects.kept_by(cast.admin)) == set(Body.objects.all())


def test_no_condition_applying_matches_nothing():
    assert access.any_of(None, frozenset(), 0) == access.NOTHING
    assert not Body.objects.filter(access.NOTHING).exists()


def test_templates_get_the_rules_answers_by_name(cast):
    """`can.<rule>`: each rule asked about its own object, or about none."""
    answers = access.answers(
        cast.staff, "create_organisation", change_forum=cast.asf_forum, change_grant=None
    )
    assert answers == {
        "create_organisation": True,
        "change_forum": True,
        "change_grant": False,
    }
    assert access.answers(cast.representative, "create_organisation") == {
        "create_organisation": False
    }
    with pytest.raises(KeyError):
        access.answers(cast.staff, "no_such_rule")
