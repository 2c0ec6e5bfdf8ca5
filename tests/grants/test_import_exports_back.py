"""What the product exports imports back unchanged: the organisation list's and the grant
list's .xlsx, uploaded as they are, give a preview with nothing to create or change."""

from grants.lists_export import grants as grant_list
from grants.models import Grant
from partners.lists_export import organisations as organisation_list
from partners.models import Organisation
from tests.import_steps import upload_and_map
from tests.test_access_post import changed_tables, snapshot


def previewed(client, kind, data):
    response = upload_and_map(client, kind, data, name="uttag.xlsx")
    assert response.status_code == 302, response.context and response.context["form"].errors
    return client.get(response["Location"]).context["plan"]


def test_the_organisation_list_imports_back_unchanged(client, cast):
    cast.org.email, cast.org.phone, cast.org.postal_code = "info@rk.example", "040-1", "211 47"
    cast.org.street_address, cast.org.website = "Storgatan 1", "https://rk.example"
    cast.org.save()
    data = organisation_list(Organisation.objects.filter(municipality=cast.malmo))
    client.force_login(cast.staff)
    before = snapshot()
    plan = previewed(client, "organisations", data)
    assert plan.problems == []
    assert (plan.create, plan.update) == ([], [])
    assert len(plan.unchanged) == Organisation.objects.filter(municipality=cast.malmo).count()
    assert not plan.may_import
    # Only the upload and the mapping step's choice are written.
    assert set(changed_tables(before, snapshot())) == {
        "municipality.RegisterImport",
        "municipality.ImportMapping",
    }


def test_the_grant_list_imports_back_unchanged(client, cast, book):
    data = grant_list(Grant.objects.filter(scheme=book.scheme))
    client.force_login(cast.staff)
    plan = previewed(client, "grants", data)
    assert plan.problems == []
    assert (plan.create, plan.update) == ([], [])
    assert len(plan.unchanged) == Grant.objects.filter(scheme=book.scheme).count() > 0
