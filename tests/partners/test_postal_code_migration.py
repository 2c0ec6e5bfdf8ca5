import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import Organisation


@pytest.mark.django_db(transaction=True)
def test_postal_codes_stored_before_are_rewritten_the_swedish_way():
    executor = MigrationExecutor(connection)
    before = [("partners", "0010_partnership_next_follow_up_on")]
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    town = old.get_model("municipality", "Municipality").objects.create(name="Ort", code="9997")
    OldOrganisation = old.get_model("partners", "Organisation")
    for name, code in (("A", "21147"), ("B", "211 47"), ("C", ""), ("D", "2114")):
        OldOrganisation.objects.create(municipality=town, name=name, postal_code=code)
    MigrationExecutor(connection).migrate(after)
    stored = dict(
        Organisation.objects.filter(municipality__code="9997").values_list("name", "postal_code")
    )
    assert stored == {"A": "211 47", "B": "211 47", "C": "", "D": "2114"}
