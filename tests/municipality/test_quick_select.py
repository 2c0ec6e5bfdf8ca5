"""QuickSelect writes the same <select> as Django's own, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from municipality.forms import QuickSelect
from partners.models import Organisation


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("chosen", [None, "other_org"])
def test_it_renders_what_djangos_select_renders(cast, required, chosen):
    Organisation.objects.create(municipality=cast.malmo, name='Föreningen "<Hopp>" & co')
    organisations = Organisation.objects.filter(municipality=cast.malmo)

    class Form(forms.Form):
        plain = forms.ModelChoiceField(organisations, required=required, empty_label="Alla")
        quick = forms.ModelChoiceField(
            organisations, required=required, empty_label="Alla", widget=QuickSelect
        )
        pairs = forms.ModelChoiceField(
            organisations,
            required=required,
            empty_label="Alla",
            widget=QuickSelect(label_field="name"),
        )

    value = getattr(cast, chosen).pk if chosen else None
    form = Form({"plain": value, "quick": value, "pairs": value} if value else None)

    def rendered(name):
        return parse_html(
            str(form[name]).replace(f'name="{name}"', 'name="x"').replace(f"id_{name}", "id_x")
        )

    assert rendered("quick") == rendered("plain")
    assert rendered("pairs") == rendered("plain")
    assert "&lt;Hopp&gt;" in str(form["pairs"])
