"""The lists' text search (`q`: full text with Swedish stemming on PostgreSQL, a substring
everywhere) and what an empty list says (municipality.text_search, municipality.lists)."""

import datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Meeting, Observation
from partners.models import Organisation

ON_POSTGRESQL = connection.vendor == "postgresql"


def listed(client, name, query):
    return client.get(reverse(name), query).content.decode()


def test_organisations_are_found_by_part_of_a_word_and_by_city(client, cast):
    Organisation.objects.create(municipality=cast.malmo, name="Läxhjälpsföreningen", city="Lund")
    client.force_login(cast.staff)
    assert "Läxhjälpsföreningen" in listed(client, "organisation_list", {"q": "läxhjälp"})
    assert "Läxhjälpsföreningen" in listed(client, "organisation_list", {"q": "LUND"})
    assert "Läxhjälpsföreningen" not in listed(client, "organisation_list", {"q": "röda"})
    assert "Röda Korset" in listed(client, "organisation_list", {"q": "802002-3431"})


def test_an_inflected_word_finds_its_stem_on_postgresql(client, cast):
    """ "föreningar" (plural) is not a substring of "förening": only stemming finds it."""
    Organisation.objects.create(municipality=cast.malmo, name="Idrottsförening Väster")
    client.force_login(cast.staff)
    page = listed(client, "organisation_list", {"q": "idrottsföreningar"})
    if ON_POSTGRESQL:
        assert "Idrottsförening Väster" in page
    else:
        assert "Idrottsförening Väster" not in page  # SQLite: a plain substring match


def test_meetings_are_searched_by_title_place_agenda_and_forum(client, cast):
    start = timezone.make_aware(datetime.datetime(2026, 3, 20, 18, 0))
    Meeting.objects.create(
        forum=cast.asf_forum, title="Vårträff", start=start, place="Rosengårds bibliotek"
    )
    Meeting.objects.create(
        forum=cast.asf_forum, title="Höstträff", start=start, agenda="Vinterns härbärgen"
    )
    client.force_login(cast.staff)
    past = {"when": "past"}
    assert "Vårträff" in listed(client, "meeting_list", {**past, "q": "rosengård"})
    assert "Höstträff" not in listed(client, "meeting_list", {**past, "q": "rosengård"})
    assert "Höstträff" in listed(client, "meeting_list", {**past, "q": "härbärg"})
    by_forum = listed(client, "meeting_list", {**past, "q": "föreningsträff hemlöshet"})
    assert "Vårträff" in by_forum and "Höstträff" in by_forum
    assert cast.meeting.title not in by_forum  # another forum


def test_meetings_are_not_searched_by_their_minutes(client, cast):
    """A representative may not read the minutes, so may not search them either."""
    cast.meeting.minutes = "Hemligt-ord-i-minnesanteckningen"
    cast.meeting.save()
    client.force_login(cast.representative)
    page = listed(client, "meeting_list", {"when": "past", "q": "Hemligt-ord"})
    assert cast.meeting.title not in page


def test_issues_are_searched_by_text_theme_response_and_organisation(client, cast):
    Observation.objects.create(
        meeting=cast.meeting,
        organisation=cast.other_org,
        theme="Lokaler",
        text="Det saknas samlingslokal i Oxie.",
    )
    client.force_login(cast.staff)
    every = {"status": ""}
    assert "samlingslokal i Oxie" in listed(client, "observation_list", {**every, "q": "oxie"})
    assert "samlingslokal i Oxie" in listed(client, "observation_list", {**every, "q": "lokaler"})
    by_org = listed(client, "observation_list", {**every, "q": "brukarföreningen"})
    assert "samlingslokal i Oxie" in by_org and "härbärget" not in by_org
    none = listed(client, "observation_list", {**every, "q": "xyzzy"})
    assert "Inga frågor matchar filtret." in none


def test_hostile_search_text_is_harmless(client, cast):
    client.force_login(cast.staff)
    for text in ["'; DROP TABLE x; --", "a & b | !c", "\x00nul", "=1+1", "(", "x" * 5000]:
        for name in ("organisation_list", "meeting_list", "observation_list"):
            response = client.get(reverse(name), {"q": text})
            assert response.status_code == 200, (name, text)
        assert client.get(reverse("organisation_export"), {"q": text}).status_code == 200


# Empty lists ------------------------------------------------------------------------------


def test_an_empty_list_says_match_the_filter_only_when_one_is_chosen(client, cast):
    client.force_login(cast.kalmar_staff)
    Meeting.objects.filter(forum=cast.kalmar_forum).delete()
    page = listed(client, "meeting_list", {})
    assert "Inga kommande möten." in page and "matchar filtret" not in page
    page = listed(client, "meeting_list", {"when": "past"})
    assert "Inga tidigare möten ännu." in page and "matchar filtret" not in page
    page = listed(client, "meeting_list", {"q": "finns inte"})
    assert "Inga möten matchar filtret." in page
    page = listed(client, "organisation_list", {"q": "finns inte"})
    assert "Inga organisationer matchar filtret." in page


def test_every_list_without_rows_says_so_plainly(client, cast):
    """A new municipality's lists: nothing yet, no filter chosen."""
    from municipality.models import Municipality, User

    empty = Municipality.objects.create(name="Tomma kommun", code="9999")
    user = User.objects.create_user("tom", role="civil_servant", municipality=empty)
    client.force_login(user)
    expected = {
        "organisation_list": "Inga organisationer ännu.",
        "partnership_list": "Inga avtal ännu.",
        "forum_list": "Inga forum ännu.",
        "meeting_list": "Inga kommande möten.",
        "grant_list": "Inga bidrag ännu.",
        "observation_list": "Inga frågor väntar på att hanteras.",
    }
    for name, text in expected.items():
        page = listed(client, name, {})
        assert text in page, name
        assert "matchar filtret" not in page, name
    assert "Inga frågor ännu." in listed(client, "observation_list", {"status": ""})
    # A filter chosen but empty in the query ("Rensa" leaves such) is no filter.
    assert "Inga organisationer ännu." in listed(client, "organisation_list", {"q": ""})
