"""Layers that run one way (docs/architecture.md): the base knows no feature, the features
do not know each other, and what gathers across them lives above them: the pages in
`overview`, the demo and scale data in `devdata`. Neither of those two knows the other.

Also the steering-group link turned around: a forum names the agreement it steers."""

import ast
import pathlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dialogues.models import Forum
from municipality import navigation
from partners.models import Partnership
from tests.partners.test_partnerships import form_data

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Lower numbers lie lower; an app may import its own layer's modules only from itself.
LAYERS = {
    "municipality": 1,
    "partners": 2,
    "dialogues": 3,
    "grants": 3,
    "overview": 4,
    "devdata": 4,
}


def imported_apps(path):
    """(line, module) of every import of a project app in the file, at any depth (also
    inside functions) and by string (`import_module("dialogues.demo")`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.lineno, node.args[0].value


def wrong_way_imports():
    found = []
    for app, layer in LAYERS.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # migrations name other apps' migrations, not their code
            for line, module in imported_apps(path):
                other = module.split(".")[0]
                if other in LAYERS and other != app and LAYERS[other] >= layer:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_no_app_reaches_up_or_sideways():
    assert wrong_way_imports() == []


def test_the_check_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The test above would fail on an import from the base into a feature."""
    app = tmp_path / "municipality"
    app.mkdir()
    (app / "views.py").write_text(
        "def page():\n    from dialogues.models import Forum\n", encoding="utf-8"
    )
    (tmp_path / "grants").mkdir()
    (tmp_path / "grants" / "demo.py").write_text(
        'import importlib\nimportlib.import_module("dialogues.demo")\n', encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert wrong_way_imports() == [
        "municipality/views.py:2 imports dialogues.models",
        "grants/demo.py:2 imports dialogues.demo",
    ]


def test_the_composition_roots_live_at_the_top():
    commands = {p.stem for p in (ROOT / "devdata/management/commands").glob("*.py")}
    assert {"load_demo", "seed_scale"} <= commands
    assert [path for app in LAYERS for path in (ROOT / app).glob("demo.py")] == []


def test_the_check_sees_an_import_of_the_dev_data(tmp_path, monkeypatch):
    """No app, not even the pages at the top, builds on the demo and scale data."""
    (tmp_path / "overview").mkdir()
    (tmp_path / "overview" / "views.py").write_text(
        "from devdata.demo.municipality import USERS\n", encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert wrong_way_imports() == [
        "overview/views.py:1 imports devdata.demo.municipality",
    ]


def test_each_app_brings_its_own_menu_entries_in_the_old_order():
    names = [url_name for _place, url_name, _label, _rule in navigation.NAVIGATION]
    assert names == [
        "home",
        "meeting_list",
        "forum_list",
        "observation_list",
        "organisation_list",
        "partnership_list",
        "grant_list",
        "body_list",
        "structures_report",
        "calendar_subscriptions",
        "user_list",
        "admin:index",
    ]


# The steering group ------------------------------------------------------------------------


def steering_forum(cast, name="Styrgrupp IOP", owner=None, steers=None):
    forum = Forum(name=name, kind=Forum.Kind.STEERING_GROUP, steers=steers)
    forum.owner = owner or cast.asf
    forum.save()
    return forum


def test_the_agreement_page_shows_its_steering_group(client, cast):
    forum = steering_forum(cast, steers=cast.partnership)
    client.force_login(cast.staff)
    html = client.get(reverse("partnership_detail", args=[cast.partnership.pk])).content.decode()
    assert f'<a href="{forum.get_absolute_url()}">Styrgrupp IOP</a>' in html
    forum_page = client.get(forum.get_absolute_url()).content.decode()
    assert cast.partnership.title in forum_page


def test_the_agreement_form_sets_changes_and_clears_the_steering_group(client, cast):
    first, second = steering_forum(cast, "Styrgrupp A"), steering_forum(cast, "Styrgrupp B")
    client.force_login(cast.staff)
    response = client.post(reverse("partnership_create"), form_data(cast, steering_group=first.pk))
    partnership = Partnership.objects.get(title="IOP Crossroads")
    assert response.status_code == 302
    assert Forum.objects.get(steers=partnership) == first
    url = reverse("partnership_update", args=[partnership.pk])
    form = client.get(url).context["form"]
    assert form["steering_group"].value() == first.pk
    client.post(url, {**form_data(cast), "seen": form["seen"].value(), "steering_group": second.pk})
    assert list(Forum.objects.filter(steers=partnership)) == [second]
    assert first.history.latest().steers_id is None  # the forum's history tells the change
    form = client.get(url).context["form"]
    client.post(url, {**form_data(cast), "seen": form["seen"].value(), "steering_group": ""})
    assert not Forum.objects.filter(steers=partnership).exists()


def test_a_forum_steering_another_agreement_is_not_offered(client, cast):
    taken = steering_forum(cast, "Styrgrupp tagen", steers=cast.other_partnership)
    elsewhere = steering_forum(cast, "Styrgrupp Kalmar", owner=cast.kalmar_soc)
    free = steering_forum(cast, "Styrgrupp ledig")
    client.force_login(cast.staff)
    choices = client.get(reverse("partnership_create")).context["form"]["steering_group"]
    offered = {forum.pk for forum in choices.field.queryset}
    assert free.pk in offered and not {taken.pk, elsewhere.pk} & offered
    response = client.post(reverse("partnership_create"), form_data(cast, steering_group=taken.pk))
    assert "steering_group" in response.context["form"].errors
    assert not Partnership.objects.filter(title="IOP Crossroads").exists()
    assert Forum.objects.get(pk=taken.pk).steers == cast.other_partnership


def test_a_forum_taken_meanwhile_is_not_stolen_and_nothing_is_saved(client, cast):
    """Shown free, then linked to another agreement before the save: a clear message on
    the field, the agreement unchanged, the other agreement keeps its steering group."""
    forum = steering_forum(cast)
    client.force_login(cast.staff)
    url = reverse("partnership_update", args=[cast.partnership.pk])
    seen = client.get(url).context["form"]["seen"].value()
    Forum.objects.filter(pk=forum.pk).update(steers=cast.other_partnership)
    data = form_data(cast, title="Nytt namn", seen=seen, steering_group=forum.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["steering_group"]
    assert Partnership.objects.get(pk=cast.partnership.pk).title == cast.partnership.title
    assert Forum.objects.get(pk=forum.pk).steers == cast.other_partnership


def test_only_a_steering_group_steers_and_stays_one(client, cast):
    forum = steering_forum(cast, steers=cast.partnership)
    with pytest.raises(IntegrityError), transaction.atomic():
        Forum.objects.filter(pk=forum.pk).update(kind=Forum.Kind.THEME_DAY)
    client.force_login(cast.staff)
    url = reverse("forum_update", args=[forum.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["kind"] = Forum.Kind.THEME_DAY
    response = client.post(url, data)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert Forum.objects.get(pk=forum.pk).kind == Forum.Kind.STEERING_GROUP


def test_a_partnership_with_a_steering_group_has_one_at_most(cast):
    steering_forum(cast, steers=cast.partnership)
    with pytest.raises(IntegrityError), transaction.atomic():
        steering_forum(cast, "Andra styrgruppen", steers=cast.partnership)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_steering_link():
    """From before the turn: one forum steering two agreements and one steering one.
    Afterwards every agreement has a steering group with the same owner and members."""
    executor = MigrationExecutor(connection)
    before = [("dialogues", "0011_forum_steers"), ("partners", "0008_protected_help_text")]
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    Municipality = old.get_model("municipality", "Municipality")
    Body = old.get_model("municipality", "Body")
    Organisation = old.get_model("partners", "Organisation")
    OldForum = old.get_model("dialogues", "Forum")
    OldPartnership = old.get_model("partners", "Partnership")
    town = Municipality.objects.create(name="Ort", code="9998")
    committee = Body.objects.create(municipality=town, name="Nämnden", kind="committee")
    office = Body.objects.create(municipality=town, name="Förvaltningen", kind="administration")
    member = Organisation.objects.create(municipality=town, name="Föreningen")
    shared = OldForum.objects.create(name="Styrgrupp", kind="steering_group", owner=office)
    shared.members.add(member)
    alone = OldForum.objects.create(name="Egen styrgrupp", kind="steering_group", owner=office)

    def agreement(title, forum):
        return OldPartnership.objects.create(
            title=title,
            decided_by=committee,
            run_by=office,
            purpose="Stöd.",
            start_date="2026-01-01",
            end_date="2027-12-31",
            yearly_compensation=1000,
            notice_period_months=3,
            last_notice_date="2027-09-30",
            steering_group=forum,
        )

    first, second = agreement("IOP Ett", shared), agreement("IOP Två", shared)
    third = agreement("IOP Tre", alone)
    agreement("IOP utan", None)
    MigrationExecutor(connection).migrate(after)
    steering = {f.steers.title: f for f in Forum.objects.filter(steers__isnull=False)}
    assert set(steering) == {"IOP Ett", "IOP Två", "IOP Tre"}
    assert steering["IOP Ett"].pk == shared.pk and steering["IOP Tre"].pk == alone.pk
    copy = steering["IOP Två"]
    assert copy.name == "Styrgrupp – IOP Två"
    assert copy.owner_id == office.pk
    assert list(copy.members.values_list("name", flat=True)) == ["Föreningen"]
    assert {first.pk, second.pk, third.pk} == {f.steers_id for f in steering.values()}
