"""A refused form says what is wrong in words, beside the field, and tells assistive
technology which field: aria-invalid on the field, aria-describedby pointing to the
error's text (WCAG 3.3.1, 1.3.1, and 1.4.1: colour is never the only sign)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from dialogues.models import Meeting
from partners.models import Organisation

pytestmark = pytest.mark.django_db

FIELDS = ("input", "select", "textarea")


class Page(HTMLParser):
    """The page's fields marked invalid, and the text of every element with an id."""

    def __init__(self):
        super().__init__()
        self.invalid = []  # (name, ids in aria-describedby)
        self.open_ids = []  # (tag, id) of elements whose text is being collected
        self.text = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FIELDS and attrs.get("aria-invalid") == "true":
            self.invalid.append((attrs["name"], (attrs.get("aria-describedby") or "").split()))
        if attrs.get("id") and tag not in FIELDS:
            self.open_ids.append((tag, attrs["id"]))
            self.text.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        for index in range(len(self.open_ids) - 1, -1, -1):
            if self.open_ids[index][0] == tag:
                del self.open_ids[index]
                break

    def handle_data(self, data):
        for _tag, element_id in self.open_ids:
            self.text[element_id] += data


def refused_fields(response):
    assert response.status_code == 200
    page = Page()
    page.feed(response.content.decode())
    described = {}
    for name, ids in page.invalid:
        assert ids, f"{name} is marked invalid but says nowhere why"
        assert all(element_id in page.text for element_id in ids), (name, ids)
        described[name] = " ".join(" ".join(page.text[i].split()) for i in ids)
    return described


def test_a_refused_organisation_names_each_error_beside_its_field(client, cast):
    client.force_login(cast.staff)
    before = Organisation.objects.count()
    response = client.post(reverse("organisation_create"), {"name": "", "org_number": "123"})
    described = refused_fields(response)
    assert set(described) >= {"name", "legal_form", "org_number"}
    assert "Detta fält måste fyllas i." in described["name"]
    # The field's help text stays tied to it beside the error.
    assert "tio siffror" in described["org_number"] and "NNNNNN-NNNN" in described["org_number"]
    assert Organisation.objects.count() == before


def test_a_refused_meeting_names_each_error_beside_its_field(client, cast):
    client.force_login(cast.staff)
    before = Meeting.objects.count()
    response = client.post(reverse("meeting_create"), {"title": ""})
    described = refused_fields(response)
    # The start is a date and a time: each part says why, beside the pair.
    assert {"forum", "title", "start_0", "start_1"} <= set(described)
    assert all("Detta fält måste fyllas i." in text for text in described.values())
    assert Meeting.objects.count() == before
