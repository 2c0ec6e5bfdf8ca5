from django.core.management import call_command
from django.urls import reverse

from devdata.demo.municipality import DEMO_PASSWORD, USERS
from municipality.models import Body, Membership, Municipality, Role, User


def counts():
    return [m.objects.count() for m in (Municipality, Body, Membership, User)]


def test_demo_data_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    output = capsys.readouterr().out
    assert "roll" in output and "användarnamn" in output and "lösenord" in output
    for username, *_ in USERS:
        assert f"| {username} " in output


def test_demo_has_the_seed_bodies(db):
    call_command("load_demo", quiet_logins=True)
    asf = Body.objects.get(name="Arbetsmarknads- och socialförvaltningen")
    assert [b.name for b in asf.serves.all()] == ["Arbetsmarknads- och socialnämnden"]
    assert asf.municipality.code == "1280"
    soc = Body.objects.get(municipality__name="Kalmar kommun", name="Socialförvaltningen")
    assert [b.name for b in soc.serves.all()] == ["Socialnämnden"]
    assert Body.objects.filter(name="Fritidsnämnden", kind="committee").exists()


def test_demo_has_a_user_per_role_who_can_log_in(client, db):
    call_command("load_demo", quiet_logins=True)
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    for username, *_ in USERS:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.post(reverse("logout"))
