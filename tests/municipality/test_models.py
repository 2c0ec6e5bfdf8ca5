import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from municipality.models import Body, Membership, Municipality, Role, User


def test_municipality_code_is_four_digits(db):
    with pytest.raises(ValidationError) as error:
        Municipality(name="Lund", code="128").full_clean()
    assert error.value.message_dict["code"] == ["En kommunkod består av fyra siffror."]


def test_body_names_are_unique_within_a_municipality(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(municipality=cast.malmo, name="Fritidsnämnden", kind="committee")
    other = Body.objects.create(municipality=cast.kalmar, name="Fritidsnämnden", kind="committee")
    assert other.pk


def test_body_kind_is_enforced_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(municipality=cast.malmo, name="Oklart", kind="utskott")


def test_only_an_administration_serves_and_only_committees_of_its_municipality(cast):
    with pytest.raises(ValidationError, match="Bara en förvaltning"):
        cast.asn.clean_served([cast.frn])
    with pytest.raises(ValidationError, match="är inte en nämnd"):
        cast.asf.clean_served([cast.frf])
    with pytest.raises(ValidationError, match="hör till en annan kommun"):
        cast.asf.clean_served([cast.kalmar_sn])
    cast.asf.clean_served([cast.asn, cast.frn])


def test_a_user_without_municipality_must_be_an_administrator(cast):
    with pytest.raises(ValidationError) as error:
        User(username="x", role=Role.CIVIL_SERVANT, password="x").full_clean()
    assert error.value.message_dict["municipality"] == ["Välj användarens kommun."]
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=Role.CIVIL_SERVANT)


@pytest.mark.parametrize(
    ("user", "body", "message"),
    [
        ("staff", "asn", "En tjänsteperson hör till en förvaltning."),
        ("elected", "asf", "En förtroendevald sitter i en nämnd."),
        ("staff", "kalmar_soc", "Nämnden eller förvaltningen hör till en annan kommun."),
        ("auditor", "asn", "Bara tjänstepersoner och förtroendevalda"),
    ],
)
def test_membership_fits_the_role(cast, user, body, message):
    membership = Membership(user=getattr(cast, user), body=getattr(cast, body))
    with pytest.raises(ValidationError, match=message):
        membership.full_clean()


def test_one_membership_per_user_and_body(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.staff, body=cast.asf)
