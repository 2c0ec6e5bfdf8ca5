import pytest
from django.core.exceptions import ValidationError

from partners import orgnr


@pytest.mark.parametrize(
    "value", ["802002-3431", "8020023431", " 802002 3431 ", "16802002-3431", "168020023431"]
)
def test_written_forms_normalise_to_one(value):
    assert orgnr.normalise(value) == "802002-3431"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("802002-3432", "checksum"),
        ("80200234", "format"),
        ("802002-343X", "format"),
        ("19802002-3431", "format"),
        ("811218-9876", "personnummer"),  # a personnummer passes Luhn but has month 12
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        orgnr.normalise(value)
    assert error.value.code == code


def test_personnummer_is_refused_even_with_a_valid_checksum():
    from stdnum.se import orgnr as stdnum_orgnr

    assert stdnum_orgnr.is_valid("8112189876")  # stdnum alone would take it
    with pytest.raises(ValidationError, match="personnummer"):
        orgnr.normalise("811218-9876")


def test_group_from_first_digit():
    assert str(orgnr.group_of("802002-3431")) == "ideella föreningar och stiftelser"
    assert str(orgnr.group_of("769605-4324")) == "ekonomiska föreningar och bostadsrättsföreningar"
    assert orgnr.group_of("") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("802002-3431", True), ("8020023431", True), ("Röda Korset", False), ("802002", False)],
)
def test_looks_like_orgnr(query, expected):
    assert orgnr.looks_like_orgnr(query) is expected
