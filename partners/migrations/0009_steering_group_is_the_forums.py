"""The steering-group link now lives on the forum (dialogues 0012 moved every link)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_protected_help_text"),
        ("dialogues", "0012_steering_groups_from_agreements"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalpartnership", name="steering_group"),
        migrations.RemoveField(model_name="partnership", name="steering_group"),
    ]
