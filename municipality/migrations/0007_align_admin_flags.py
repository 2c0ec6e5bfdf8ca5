from django.db import migrations


def flags_from_role(apps, schema_editor):
    """Align every user with the role once more (a bulk update since 0003 may have left
    them apart), so the check constraint of 0008 can be added on any existing database."""
    User = apps.get_model("municipality", "User")
    User.objects.filter(role="admin").update(is_staff=True, is_superuser=True)
    User.objects.exclude(role="admin").update(is_staff=False, is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("municipality", "0006_retention_run"),
    ]

    operations = [
        migrations.RunPython(flags_from_role, migrations.RunPython.noop),
    ]
