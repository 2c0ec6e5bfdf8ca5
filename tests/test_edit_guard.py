"""No lost updates: two people edit the same record; the second save over the first
one's change is refused in Swedish, naming the fields, and keeps the user's own input."""

import pytest
from django import forms
from django.urls import reverse

from partners.models import Organisation, Partnership


def shown(client, url):
    """The edit form's fields as the browser would send them back unchanged."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(field.widget, forms.MultiWidget):  # a date and a time
            parts = zip(field.widget.widgets, field.widget.decompress(value), strict=True)
            for index, (widget, part) in enumerate(parts):
                data[f"{name}_{index}"] = widget.format_value(part)
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    return data


def test_a_stale_save_of_an_organisation_is_refused_and_merges_on_the_second(client, cast):
    url = reverse("organisation_update", args=[cast.org.pk])
    client.force_login(cast.staff)
    mine = shown(client, url)
    client.force_login(cast.other_staff)
    theirs = shown(client, url)
    assert client.post(url, {**theirs, "name": "Röda Korset Malmö"}).status_code == 302
    client.force_login(cast.staff)
    response = client.post(url, {**mine, "phone": "040-12 34 56"})
    assert response.status_code == 200
    message = response.context["form"].non_field_errors()[0]
    assert "Namn" in message and "Ingenting sparades" in message
    cast.org.refresh_from_db()
    assert (cast.org.name, cast.org.phone) == ("Röda Korset Malmö", "")
    form = response.context["form"]
    assert form["phone"].value() == "040-12 34 56"  # my input stays
    assert form["name"].value() == "Röda Korset Malmö"  # their change is shown
    again = {**mine, "phone": "040-12 34 56", "name": "Röda Korset Malmö"}
    again["seen"] = form["seen"].value()
    assert client.post(url, again).status_code == 302
    cast.org.refresh_from_db()
    assert (cast.org.name, cast.org.phone) == ("Röda Korset Malmö", "040-12 34 56")


def test_saving_twice_without_anyone_else_goes_through(client, cast):
    url = reverse("partnership_update", args=[cast.partnership.pk])
    client.force_login(cast.staff)
    data = shown(client, url)
    assert client.post(url, {**data, "title": "IOP Värmestugor 2"}).status_code == 302
    data = shown(client, url)
    assert client.post(url, {**data, "title": "IOP Värmestugor 3"}).status_code == 302
    assert Partnership.objects.get(pk=cast.partnership.pk).title == "IOP Värmestugor 3"


@pytest.mark.parametrize(
    ("url_name", "key", "change"),
    [
        ("partnership_update", "partnership", {"yearly_compensation": "2000000"}),
        ("forum_update", "asn_forum", {"description": "Ny beskrivning"}),
        ("meeting_update", "meeting", {"place": "Rådhuset"}),
    ],
)
def test_lost_updates_are_refused_on_every_kind_of_record(client, cast, url_name, key, change):
    record = getattr(cast, key)
    url = reverse(url_name, args=[record.pk])
    client.force_login(cast.staff)
    mine = shown(client, url)
    theirs = dict(mine)
    assert client.post(url, {**theirs, **change}).status_code == 302
    response = client.post(url, {**mine, "title": "Min titel"} if "title" in mine else mine)
    if mine == {**mine, **change}:
        pytest.fail("the change must differ from what was shown")
    assert response.status_code == 200
    assert "Ingenting sparades" in response.context["form"].non_field_errors()[0]


def test_a_tampered_version_is_refused(client, cast):
    url = reverse("organisation_update", args=[cast.org.pk])
    client.force_login(cast.staff)
    data = {**shown(client, url), "seen": "forged", "name": "Förfalskat"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert Organisation.objects.get(pk=cast.org.pk).name == "Röda Korset Malmö krets"
