"""Stored text held to the input layer's rule: no control characters (Word's Shift+Enter
pasted into a payment reference made every workbook holding it fail)."""

from django.db import migrations

from municipality.inputs import clean_stored_text


def clean(apps, schema_editor):
    clean_stored_text(apps, "municipality")


class Migration(migrations.Migration):
    dependencies = [("municipality", "0011_export")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
