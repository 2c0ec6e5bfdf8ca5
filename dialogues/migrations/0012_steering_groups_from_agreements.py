"""Turn the steering-group link around and keep every link.

Agreements named their steering group (`Partnership.steering_group`); now the forum names
the agreement it steers (`Forum.steers`), one to one. A forum that steered several
agreements keeps the first and is copied, members and all, for each of the others, so
every agreement still has its steering group.
"""

from django.db import migrations


def forums_steer(apps, schema_editor):
    Partnership = apps.get_model("partners", "Partnership")
    Forum = apps.get_model("dialogues", "Forum")
    steered = Partnership.objects.filter(steering_group__isnull=False).order_by(
        "steering_group_id", "pk"
    )
    seen = set()
    for partnership in steered.select_related("steering_group"):
        forum = partnership.steering_group
        if forum.pk not in seen:
            seen.add(forum.pk)
            Forum.objects.filter(pk=forum.pk).update(steers=partnership)
            continue
        copy = Forum.objects.create(
            name=f"{forum.name} – {partnership.title}"[:200],
            kind=forum.kind,
            owner_id=forum.owner_id,
            cadence=forum.cadence,
            description=forum.description,
            is_active=forum.is_active,
            steers=partnership,
        )
        copy.members.set(forum.members.all())
        copy.target_groups.set(forum.target_groups.all())
        copy.areas.set(forum.areas.all())


def agreements_name_their_steering_group(apps, schema_editor):
    Partnership = apps.get_model("partners", "Partnership")
    Forum = apps.get_model("dialogues", "Forum")
    for forum in Forum.objects.filter(steers__isnull=False):
        Partnership.objects.filter(pk=forum.steers_id).update(steering_group=forum)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0011_forum_steers"),
        ("partners", "0008_protected_help_text"),
    ]

    operations = [
        migrations.RunPython(forums_steer, agreements_name_their_steering_group),
    ]
