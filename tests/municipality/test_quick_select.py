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

    value = getattr(cast, chosen).pk if chosen else None
    form = Form({"plain": value, "quick": value} if value else None)
    plain = str(form["plain"]).replace('name="plain"', 'name="x"').replace("id_plain", "id_x")
    quick = str(form["quick"]).replace('name="quick"', 'name="x"').replace("id_quick", "id_x")
    assert parse_html(quick) == parse_html(plain)
    assert "&lt;Hopp&gt;" in quick
