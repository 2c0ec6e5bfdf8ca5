"""The first administrator comes from `createsuperuser`; the role alone makes an admin."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
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


def test_a_superuser_flag_alone_gives_no_admin_scope(cast):
    """Even a flag set past save() (as a raw row could have it) is not an admin scope."""
    elected = User.objects.get(pk=cast.elected.pk)
    elected.is_superuser = elected.is_staff = True  # in memory only: the database refuses it
    assert access.scope_for(elected).role == Role.ELECTED
    assert not access.allows(elected, "administer")


@pytest.mark.parametrize(
    "update",
    [
        {"role": Role.ADMIN},
        {"is_superuser": True},
        {"is_staff": True},
        {"is_staff": True, "is_superuser": True},
    ],
    ids=["role-to-admin", "superuser-flag", "staff-flag", "both-flags"],
)
def test_a_bulk_update_cannot_part_the_flags_from_a_role(cast, update):
    """A queryset update skips save(); the database's check constraint holds instead."""
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.elected.pk).update(**update)
    cast.elected.refresh_from_db()
    assert (cast.elected.role, cast.elected.is_staff, cast.elected.is_superuser) == (
        Role.ELECTED,
        False,
        False,
    )


def test_a_bulk_update_cannot_take_the_flags_from_an_administrator(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.admin.pk).update(role=Role.AUDITOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.admin.pk).update(is_superuser=False)


def test_a_bulk_update_that_moves_role_and_flags_together_is_accepted(cast):
    User.objects.filter(pk=cast.auditor.pk).update(
        role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    assert User.objects.get(pk=cast.auditor.pk).role == Role.ADMIN


@pytest.mark.django_db(transaction=True)
def test_the_migration_aligns_existing_users_before_adding_the_constraint():
    """On a database from before the constraint, users whose flags had drifted (by a bulk
    update) are aligned first, so the constraint is added and nobody keeps stale flags."""
    executor = MigrationExecutor(connection)
    before, after = [("municipality", "0006_retention_run")], executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before[0]).apps
    OldUser, OldMunicipality = (
        old.get_model("municipality", "User"),
        old.get_model("municipality", "Municipality"),
    )
    town = OldMunicipality.objects.create(name="Ort", code="9999")
    drifted = {
        "flagged.elected": ("elected", True, True),
        "flagless.admin": ("admin", False, False),
        "half.auditor": ("auditor", True, False),
    }
    for username, (role, staff, superuser) in drifted.items():
        OldUser.objects.create(
            username=username,
            role=role,
            municipality=None if role == "admin" else town,
            is_staff=staff,
            is_superuser=superuser,
        )
    MigrationExecutor(connection).migrate(after)
    flags = {
        username: (staff, superuser)
        for username, staff, superuser in User.objects.filter(username__in=drifted).values_list(
            "username", "is_staff", "is_superuser"
        )
    }
    assert flags == {
        "flagged.elected": (False, False),
        "flagless.admin": (True, True),
        "half.auditor": (False, False),
    }


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


class TTY:
    """stdin as a terminal, as Django's own tests of createsuperuser give it."""

    def isatty(self):
        return True


@pytest.fixture
def terminal(monkeypatch):
    """Answers typed at the prompts, in order; records every prompt the command shows."""
    prompts, answers = [], []

    def answer(prompt=""):
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", answer)
    monkeypatch.setattr("builtins.input", answer)
    return prompts, answers


def create_interactively(terminal, *answers, **options):
    prompts, queue = terminal
    queue.extend(answers)
    out, err = io.StringIO(), io.StringIO()
    call_command("createsuperuser", stdin=TTY(), stdout=out, stderr=err, **options)
    assert queue == [], "every answer was asked for"
    return prompts, out.getvalue(), err.getvalue()


def test_createsuperuser_asks_in_swedish_and_makes_an_administrator(terminal):
    prompts, out, err = create_interactively(
        terminal, "forsta", "forsta@kommun.se", "ett-långt-lösenord-2026", "ett-långt-lösenord-2026"
    )
    assert prompts == [
        "Användarnamn: ",
        "E-postadress: ",
        "Lösenord: ",
        "Lösenord (igen): ",
    ]
    assert (out, err) == ("Superanvändaren har skapats.\n", "")
    user = User.objects.get(username="forsta")
    assert (user.role, user.email, user.is_superuser) == (Role.ADMIN, "forsta@kommun.se", True)
    assert user.check_password("ett-långt-lösenord-2026")


def test_createsuperuser_says_in_swedish_what_is_wrong_and_asks_again(cast, terminal):
    prompts, out, err = create_interactively(
        terminal,
        "admin",  # taken: the cast's administrator
        "forsta",
        "inte-en-adress",
        "forsta@kommun.se",
        "ett-långt-lösenord-2026",
        "ett-annat-lösenord-2026",  # not the same
        " ",
        " ",  # blank
        "forsta",
        "forsta",  # too short, too like the user name
        "n",  # so not created with it
        "ett-långt-lösenord-2026",
        "ett-långt-lösenord-2026",
    )
    assert prompts[-3:] == [
        "Hoppa över lösenordskontrollen och skapa användaren ändå? [j/N]: ",
        "Lösenord: ",
        "Lösenord (igen): ",
    ]
    assert err.splitlines() == [
        "Fel: det användarnamnet är redan taget.",
        "Fel: Fyll i en giltig e-postadress.",
        "Fel: lösenorden stämmer inte överens.",
        "Fel: lösenordet får inte vara tomt.",
        "Ditt lösenord är alltför likt användarnamn.",
        "Det här lösenordet är för kort. Det måste innehålla minst 8 tecken.",
    ]
    assert out == "Superanvändaren har skapats.\n"
    assert User.objects.get(username="forsta").check_password("ett-långt-lösenord-2026")


def test_createsuperuser_offers_to_skip_the_password_check_in_swedish(terminal):
    create_interactively(terminal, "forsta", "forsta@kommun.se", "forsta", "forsta", "j")
    assert User.objects.get(username="forsta").check_password("forsta")


def test_createsuperuser_without_a_terminal_says_so_in_swedish(db):
    out = io.StringIO()
    call_command("createsuperuser", stdin=io.StringIO(), stdout=out)
    assert out.getvalue().startswith("Ingen superanvändare skapades: kommandot körs inte i en")
    assert not User.objects.exists()


def test_createsuperuser_noinput_answers_in_swedish(cast, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_EMAIL", raising=False)
    out = io.StringIO()
    call_command(
        "createsuperuser", interactive=False, username="it", email="it@kommun.se", stdout=out
    )
    assert out.getvalue() == "Superanvändaren har skapats.\n"
    it = User.objects.get(username="it")
    assert (it.role, it.has_usable_password()) == (Role.ADMIN, False)  # chooses one by e-mail
    assert [
        refusal(username="it", email="it@kommun.se"),
        refusal(email="it@kommun.se"),
        refusal(username="ny"),
        refusal(username="ny", email="ingen adress"),
    ] == [
        "Fel: det användarnamnet är redan taget.",
        "Ange --username tillsammans med --noinput.",
        "Ange --email tillsammans med --noinput.",
        "Fyll i en giltig e-postadress.",
    ]


def refusal(**options):
    with pytest.raises(CommandError) as refused:
        call_command("createsuperuser", interactive=False, **options)
    return str(refused.value)
