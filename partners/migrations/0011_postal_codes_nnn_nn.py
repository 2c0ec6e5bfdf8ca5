"""Postal codes stored before the model wrote them the Swedish way (211 47) are rewritten
so, as every page, export and calendar shows them as stored."""

from django.db import migrations


def swedish_postal_codes(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    for organisation in Organisation.objects.exclude(postal_code="").only("pk", "postal_code"):
        digits = "".join(c for c in organisation.postal_code if c.isdigit())
        written = f"{digits[:3]} {digits[3:]}" if len(digits) == 5 else organisation.postal_code
        if written != organisation.postal_code:
            Organisation.objects.filter(pk=organisation.pk).update(postal_code=written)


class Migration(migrations.Migration):
    dependencies = [("partners", "0010_partnership_next_follow_up_on")]

    operations = [migrations.RunPython(swedish_postal_codes, migrations.RunPython.noop)]
