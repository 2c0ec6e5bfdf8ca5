"""The tillgänglighetsredogörelse: open to anyone, in Swedish unless English is chosen,
linked from every page's footer, with where to report a problem."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/tillganglighet/"


def test_the_statement_is_open_to_anyone_in_swedish(client):
    assert reverse("accessibility_statement") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    for stated in (
        "Tillgänglighetsredogörelse",
        "lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "WCAG) 2.1 på nivå AA",
        "axe-core",
        "375, 992, 1 280 och 1 366 pixlar",
        "tangentbordet",
        "Myndigheten för digital förvaltning (DIGG)",
        "Kända brister",
        "kommunen",
    ):
        assert stated in html, stated


def test_the_statement_follows_the_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL).content.decode()
    assert "Accessibility statement" in html and "Agency for Digital Government" in html


def test_problems_are_reported_to_the_configured_address_or_the_municipality(client, settings):
    settings.ACCESSIBILITY_CONTACT = ""
    html = client.get(URL).content.decode()
    assert "mailto:" not in html
    assert "Kontakta kommunen" in html
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@malmo.se"
    html = client.get(URL).content.decode()
    assert '<a href="mailto:tillganglighet@malmo.se">tillganglighet@malmo.se</a>' in html


def test_every_footer_links_to_the_statement_logged_in_or_not(client, cast):
    link = f'href="{URL}"'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(cast.representative)
    assert link in client.get(reverse("home")).content.decode()
    assert link in client.get(reverse("organisation_list")).content.decode()
