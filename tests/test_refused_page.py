"""The 403 page names the right a refused request needed, in the user's language."""

import pytest
from django.urls import reverse

from municipality import access


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "sv",
            "Behörighet som krävs: Importera bidrag och deras utbetalningar från en fil, efter "
            "en förhandsgranskning (bidragsformer hos de nämnder ens förvaltning betjänar).",
        ),
        (
            "en",
            "The right it takes: Import grants and their payments from a file, after a preview "
            "(schemes of the nämnder one&#x27;s förvaltning serves).",
        ),
    ],
)
def test_a_refusal_names_the_rule_it_took(client, cast, language, said):
    client.force_login(cast.other_staff)
    client.cookies["django_language"] = language
    response = client.get(reverse("register_import", args=["grants"]))
    assert response.status_code == 403
    page = response.content.decode()
    assert said in page
    assert 'data-rule="import_grants"' in page


def test_a_refused_post_names_its_rule_and_writes_nothing(client, cast):
    from grants.models import Grant

    client.force_login(cast.auditor)
    before = Grant.objects.count()
    response = client.post(reverse("grant_create"), {"organisation": "1"})
    assert response.status_code == 403
    assert 'data-rule="create_grant"' in response.content.decode()
    assert Grant.objects.count() == before


def test_every_rule_has_a_swedish_description():
    from django.utils import translation

    for rule, description in access.DESCRIPTIONS.items():
        with translation.override("en"):
            english = str(description)
        with translation.override("sv"):
            assert str(description) != english, rule
