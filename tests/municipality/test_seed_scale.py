"""seed_scale: the sizes asked for, valid records, the same data from the same seed, and
no writing into a database that already holds data unless told to."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from dialogues.models import Forum, Invitation, Meeting, Observation
from grants.models import Grant, GrantReport, Payment
from municipality.models import Municipality, User
from partners.models import ContactPerson, FollowUp, Organisation, Partnership

TINY = {
    "municipalities": 2,
    "organisations": 24,
    "forums": 6,
    "meetings": 80,
    "observations": 20,
    "agreements": 8,
    "grants": 60,
    "years": 4,
    "today": datetime.date(2026, 3, 2),
}


def seed(**options):
    call_command("seed_scale", stdout=io.StringIO(), **{**TINY, **options})


def snapshot():
    """What was built, without primary keys (a sequence does not roll back)."""
    queries = {
        "organisations": Organisation.objects.values_list("name", "org_number", "is_active"),
        "meetings": Meeting.objects.values_list(
            "forum__name", "title", "start", "status", "participants_count"
        ),
        "invitations": Invitation.objects.values_list(
            "meeting__forum__name", "meeting__start", "organisation__name", "attended", "people"
        ),
        "observations": Observation.objects.values_list(
            "organisation__name", "meeting__start", "status", "text"
        ),
        "agreements": Partnership.objects.values_list(
            "title", "start_date", "end_date", "yearly_compensation", "renews__title"
        ),
        "grants": Grant.objects.values_list(
            "organisation__name", "scheme__name", "year", "granted_amount", "decision"
        ),
        "payments": Payment.objects.values_list("grant__case_number", "paid_on", "amount"),
        "history": Grant.history.values_list("case_number", "history_type", "history_date"),
    }
    return {name: sorted(map(repr, rows)) for name, rows in queries.items()}


def test_builds_the_sizes_asked_for_across_every_app(db):
    seed()
    assert Municipality.objects.count() == 2
    assert Organisation.objects.count() == 24
    assert Forum.objects.count() == 6
    assert Meeting.objects.count() == 80
    assert Observation.objects.count() == 20
    assert Partnership.objects.count() == 8
    assert Grant.objects.count() == 60
    # Each municipality gets its share, and the records around them.
    for municipality in Municipality.objects.all():
        assert municipality.organisations.count() == 12
        assert Grant.objects.filter(organisation__municipality=municipality).count() == 30
    assert Invitation.objects.filter(attended=True).exists()
    assert ContactPerson.objects.exists() and FollowUp.objects.exists()
    assert Payment.objects.exists() and GrantReport.objects.exists()
    assert Organisation.history.count() >= 24 and Meeting.history.count() == 80
    assert Grant.history.filter(history_type="~").exists()


def test_what_it_builds_is_valid(db):
    """Bulk writes skip the models' checks: every record must pass them anyway."""
    seed(municipalities=1)
    for model in (Organisation, Forum, Meeting, Observation, Partnership, Grant, Payment):
        for obj in model.objects.all():
            obj.full_clean()
    for partnership in Partnership.objects.all():
        before = partnership.last_notice_date
        partnership.save()
        assert partnership.last_notice_date == before


def test_the_same_seed_builds_the_same_data(db):
    class Undo(Exception):
        pass

    def build(**options):
        try:
            with transaction.atomic():
                seed(**options)
                taken = snapshot()
                raise Undo
        except Undo:
            return taken

    first, again, other = build(), build(), build(seed=2)
    assert first == again
    assert first != other


def test_it_refuses_a_database_with_data_unless_told(db):
    seed(municipalities=1)
    with pytest.raises(CommandError, match="already holds data"):
        seed(municipalities=1)
    call_command("seed_scale", "--force", stdout=io.StringIO(), **{**TINY, "municipalities": 1})
    assert Municipality.objects.count() == 2
    assert len(set(Municipality.objects.values_list("code", flat=True))) == 2


def test_its_users_log_in(client, db):
    seed(municipalities=1, password="skala-lösen-1")
    staff = User.objects.get(username="tjansteperson.9001")
    client.post(reverse("login"), {"username": staff.username, "password": "skala-lösen-1"})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("meeting_list")).status_code == 200
