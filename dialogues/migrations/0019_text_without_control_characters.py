"""Stored text held to the input layer's rule: no control characters (Word's Shift+Enter
pasted into a payment reference made every workbook holding it fail)."""

from django.db import migrations

from municipality.inputs import clean_stored_text


def clean(apps, schema_editor):
    clean_stored_text(apps, "dialogues")


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0018_meeting_index_without_the_feed_state")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
