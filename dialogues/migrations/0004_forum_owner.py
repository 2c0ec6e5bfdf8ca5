# A forum's owner is one non-null foreign key to Body; its kind says nämnd or förvaltning.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Coalesce


def one_owner(apps, schema_editor):
    for name in ("Forum", "HistoricalForum"):
        model = apps.get_model("dialogues", name)
        model.objects.update(owner_id=Coalesce("owner_committee_id", "owner_administration_id"))


def two_owners(apps, schema_editor):
    Body = apps.get_model("municipality", "Body")
    committees = Body.objects.filter(kind="committee").values("pk")
    for name in ("Forum", "HistoricalForum"):
        model = apps.get_model("dialogues", name)
        model.objects.filter(owner_id__in=committees).update(owner_committee_id=models.F("owner_id"))
        model.objects.exclude(owner_id__in=committees).update(
            owner_administration_id=models.F("owner_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0003_meeting_history_without_timestamp"),
        ("municipality", "0002_civil_servant_role"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="forum", name="forum_owned_by_exactly_one_body"),
        migrations.AddField(
            model_name="forum",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="forums",
                to="municipality.body",
                verbose_name="owner",
                help_text="Exactly one committee (nämnd) or one administration (förvaltning).",
            ),
        ),
        migrations.AddField(
            model_name="historicalforum",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="municipality.body",
                verbose_name="owner",
                help_text="Exactly one committee (nämnd) or one administration (förvaltning).",
            ),
        ),
        migrations.RunPython(one_owner, two_owners),
        migrations.RemoveField(model_name="forum", name="owner_administration"),
        migrations.RemoveField(model_name="forum", name="owner_committee"),
        migrations.RemoveField(model_name="historicalforum", name="owner_administration"),
        migrations.RemoveField(model_name="historicalforum", name="owner_committee"),
        migrations.AlterField(
            model_name="forum",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="forums",
                to="municipality.body",
                verbose_name="owner",
                help_text="Exactly one committee (nämnd) or one administration (förvaltning).",
            ),
        ),
    ]
