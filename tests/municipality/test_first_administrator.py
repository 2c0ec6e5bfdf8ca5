"""The first administrator comes from `createsuperuser`; the role alone makes an admin."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from municipality import access
from municipality.models import Role, User

pytestmark = pytest.mark.django_db


def test_createsuperuser_noinput_makes_an_administrator_who_opens_the_admin(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "ett-långt-lösenord-2026")
    call_command("createsuperuser", interactive=False, username="forsta", email="forsta@kommun.se")
    user = User.objects.get(username="forsta")
    assert (user.role, user.municipality, user.is_staff, user.is_superuser) == (
        Role.ADMIN,
        None,
        True,
        True,
    )
    response = client.post(
        reverse("admin:login"),
        {"username": "forsta", "password": "ett-långt-lösenord-2026", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:municipality_user_changelist")).status_code == 200
    assert access.allows(user, "administer")


def test_a_superuser_flag_does_not_make_another_role_an_administrator(cast, client):
    elected = cast.elected
    elected.is_superuser = elected.is_staff = True
    elected.save()
    elected.refresh_from_db()
    assert (elected.is_staff, elected.is_superuser) == (False, False)
    assert not access.allows(elected, "administer")
    client.force_login(elected)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_stale_superuser_flag_alone_gives_no_admin_scope(cast):
    User.objects.filter(pk=cast.elected.pk).update(is_superuser=True, is_staff=True)
    elected = User.objects.get(pk=cast.elected.pk)
    assert access.scope_for(elected).role == Role.ELECTED
    assert not access.allows(elected, "administer")


def test_changing_the_role_moves_the_flags(cast):
    user = cast.auditor
    user.role = Role.ADMIN
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)
    user.role = Role.AUDITOR
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
