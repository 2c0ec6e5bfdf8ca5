"""Every main list as .xlsx, following the list's filter and the user's scope: the
organisations, the IOP agreements, the meetings, their attendance, the raised issues and
the grants (municipality.list_exports)."""

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dialogues.models import Invitation, Meeting, Observation
from municipality import exports
from municipality.models import Export
from partners.models import Organisation
from tests.spreadsheets import HOSTILE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAST = timezone.make_aware(datetime.datetime(2026, 3, 20, 18, 30))


def download(client, name, query=None):
    response = client.get(reverse(name), query or {})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return response, load_workbook(io.BytesIO(response.content))


def rows(sheet):
    """The sheet's table as dicts by header."""
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def more_organisations(cast, count, start=0):
    Organisation.objects.bulk_create(
        Organisation(municipality=cast.malmo, name=f"Förening nr {n}", city="Malmö")
        for n in range(start, start + count)
    )


def more_meetings(cast, count):
    for n in range(count):
        meeting = Meeting.objects.create(
            forum=cast.asf_forum, title=f"Föreningsträff {n}", start=PAST, status="held"
        )
        Invitation.objects.create(meeting=meeting, organisation=cast.org, attended=True, people=3)
        Invitation.objects.create(meeting=meeting, organisation=cast.other_org)


# Organisations ----------------------------------------------------------------------------


def test_organisations_follow_the_filter_with_swedish_headers_and_dated_name(client, cast):
    client.force_login(cast.staff)
    response, book = download(client, "organisation_export", {"q": "röda"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="organisationer-{today}.xlsx"'
    listed = rows(book["Organisationer"])
    assert [row["Namn"] for row in listed] == ["Röda Korset Malmö krets"]
    assert listed[0]["Organisationsnummer"] == "802002-3431"
    assert listed[0]["Aktiv"] == "Ja"
    facts = {row[0]: row[1] for row in book["Om uttaget"].iter_rows(values_only=True)}
    assert facts["Filter: Sök"] == "röda"


def test_organisations_are_those_the_user_sees(client, cast):
    client.force_login(cast.kalmar_staff)
    _response, book = download(client, "organisation_export")
    assert [row["Namn"] for row in rows(book["Organisationer"])] == ["Kalmar Stadsmission"]


def test_organisation_export_asks_the_same_queries_for_few_and_many(client, cast):
    client.force_login(cast.staff)
    more_organisations(cast, 3)
    with CaptureQueriesContext(connection) as few:
        _response, book = download(client, "organisation_export")
    assert len(rows(book["Organisationer"])) == 5
    more_organisations(cast, 40, start=3)
    with CaptureQueriesContext(connection) as many:
        _response, book = download(client, "organisation_export")
    assert len(rows(book["Organisationer"])) == 45
    assert len(many) == len(few), [q["sql"] for q in many]


def test_hostile_names_stay_plain_text_in_the_file(client, cast):
    for text in HOSTILE:
        Organisation.objects.create(municipality=cast.malmo, name=text, city=text[:100])
    client.force_login(cast.staff)
    _response, book = download(client, "organisation_export")
    sheet = book["Organisationer"]
    names = {}
    for row in sheet.iter_rows(min_row=2):
        names[row[0].value] = row[0]
    for text in HOSTILE:
        cell = names[text]
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == text


def test_the_list_page_links_its_export_with_its_query(client, cast):
    client.force_login(cast.staff)
    page = client.get(reverse("organisation_list"), {"q": "röda", "legal_form": ""})
    assert 'href="/organisationer.xlsx?q=r%C3%B6da&amp;legal_form="' in page.content.decode()
    assert "Exportera till Excel" in page.content.decode()


# IOP agreements ---------------------------------------------------------------------------


def test_partnerships_have_dates_as_dates_and_kronor_as_numbers(client, cast):
    cast.partnership.yearly_compensation = 1_234_567
    cast.partnership.save()
    client.force_login(cast.staff)
    response, book = download(client, "partnership_export")
    assert "iop-avtal-" in response["Content-Disposition"]
    listed = {row["Titel"]: row for row in rows(book["IOP-avtal"])}
    row = listed[cast.partnership.title]
    assert row["Ersättning per år"] == 1_234_567
    assert isinstance(row["Startdatum"], datetime.datetime)
    assert row["Startdatum"].date() == cast.partnership.start_date
    assert cast.kalmar_partnership.title not in listed
    header = {cell.value: cell.column for cell in book["IOP-avtal"][1]}
    assert book["IOP-avtal"].cell(2, header["Ersättning per år"]).number_format == '#,##0 "kr"'


# Meetings and attendance ------------------------------------------------------------------


def test_meetings_follow_upcoming_or_past_and_count_their_organisations(client, cast):
    more_meetings(cast, 1)
    client.force_login(cast.staff)
    _response, upcoming = download(client, "meeting_export")
    assert rows(upcoming["Möten"]) == []
    response, book = download(client, "meeting_export", {"when": "past"})
    assert "moten-" in response["Content-Disposition"]
    listed = {row["Möte"]: row for row in rows(book["Möten"])}
    row = listed["Föreningsträff 0"]
    assert row["Start"] == datetime.datetime(2026, 3, 20, 18, 30)
    assert row["Vecka"] == 12
    assert (row["Inbjudna organisationer"], row["Närvarande organisationer"]) == (2, 1)
    assert row["Forum"] == cast.asf_forum.name


def test_an_organisation_filter_does_not_cut_the_counts(client, cast):
    more_meetings(cast, 1)
    client.force_login(cast.staff)
    _response, book = download(
        client, "meeting_export", {"when": "past", "organisation": cast.other_org.pk}
    )
    listed = rows(book["Möten"])
    assert [row["Möte"] for row in listed] == ["Föreningsträff 0"]
    assert (listed[0]["Inbjudna organisationer"], listed[0]["Närvarande organisationer"]) == (2, 1)


def test_meeting_export_asks_the_same_queries_for_few_and_many(client, cast):
    client.force_login(cast.staff)
    more_meetings(cast, 2)
    with CaptureQueriesContext(connection) as few:
        _response, book = download(client, "meeting_export", {"when": "past"})
    assert len(rows(book["Möten"])) == 3
    more_meetings(cast, 30)
    with CaptureQueriesContext(connection) as many:
        _response, book = download(client, "meeting_export", {"when": "past"})
    assert len(rows(book["Möten"])) == 33
    assert len(many) == len(few)


def test_attendance_is_one_row_per_meeting_and_attending_organisation(client, cast):
    more_meetings(cast, 2)
    client.force_login(cast.staff)
    response, book = download(client, "attendance_export", {"when": "past"})
    assert "narvaro-" in response["Content-Disposition"]
    listed = rows(book["Närvaro"])
    assert sorted((row["Möte"], row["Organisation"], row["Antal deltagare"]) for row in listed) == [
        ("Föreningsträff 0", cast.org.name, 3),
        ("Föreningsträff 1", cast.org.name, 3),
        (cast.meeting.title, cast.org.name, 2),
    ]


def test_attendance_export_asks_the_same_queries_for_few_and_many(client, cast):
    client.force_login(cast.staff)
    more_meetings(cast, 2)
    with CaptureQueriesContext(connection) as few:
        download(client, "attendance_export", {"when": "past"})
    more_meetings(cast, 30)
    with CaptureQueriesContext(connection) as many:
        _response, book = download(client, "attendance_export", {"when": "past"})
    assert len(rows(book["Närvaro"])) == 33
    assert len(many) == len(few)


def test_a_representative_gets_only_their_own_attendance(client, cast):
    """As on the meeting's page: their own organisation's attendance, no totals."""
    Invitation.objects.create(
        meeting=cast.meeting, organisation=cast.other_org, attended=True, people=4
    )
    client.force_login(cast.representative)
    _response, book = download(client, "attendance_export", {"when": "past"})
    assert {row["Organisation"] for row in rows(book["Närvaro"])} == {cast.org.name}
    _response, book = download(client, "meeting_export", {"when": "past"})
    headers = [cell.value for cell in book["Möten"][1]]
    assert "Deltagare från organisationer" not in headers
    assert "Närvarande organisationer" not in headers
    client.force_login(cast.staff)
    _response, book = download(client, "attendance_export", {"when": "past"})
    assert {row["Organisation"] for row in rows(book["Närvaro"])} == {
        cast.org.name,
        cast.other_org.name,
    }


def test_a_large_meeting_export_is_prepared_in_the_background(client, cast, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    more_meetings(cast, 3)
    client.force_login(cast.staff)
    offer = client.get(reverse("meeting_export"), {"when": "past"})
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert "Förbered filen" in offer.content.decode()
    assert not Export.objects.exists()
    response = client.post(reverse("meeting_export"), {"when": "past"})
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert export.kind == "meeting_list" and export.user == cast.staff
    exports.prepare.call(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.error
    assert export.file_name.startswith("moten-")
    book = load_workbook(io.BytesIO(bytes(export.data)))
    assert len(rows(book["Möten"])) == 4


# Raised issues ----------------------------------------------------------------------------


def raise_issue(cast, text, meeting=None):
    return Observation.objects.create(
        meeting=meeting or cast.meeting, organisation=cast.org, text=text, status="open"
    )


def test_issue_list_is_newest_first_and_a_new_issue_is_on_page_one(client, cast):
    for n in range(60):
        raise_issue(cast, f"Äldre fråga {n}")
    newest = raise_issue(cast, "Alldeles ny fråga om lokaler")
    client.force_login(cast.staff)
    page = client.get(reverse("observation_list")).content.decode()
    assert "Alldeles ny fråga om lokaler" in page
    assert page.index("Alldeles ny fråga") < page.index("Äldre fråga 59")
    assert newest.get_absolute_url() in page
    # The latest meeting's issues come first, whenever they were recorded.
    later = Meeting.objects.create(
        forum=cast.asn_forum, title="Senare temadag", start=PAST, status="held"
    )
    raise_issue(cast, "Fråga från det senare mötet", meeting=later)
    raise_issue(cast, "Sent inskriven fråga från det första mötet")
    page = client.get(reverse("observation_list")).content.decode()
    assert page.index("Fråga från det senare mötet") < page.index("Sent inskriven fråga")
    assert page.index("Sent inskriven fråga") < page.index("Alldeles ny fråga")
    # Still sortable by a column.
    ordered = client.get(reverse("observation_list"), {"sort": "text"}).content.decode()
    assert ordered.index("Alldeles ny fråga") < ordered.index("Äldre fråga 0")


def test_issues_export_follows_search_and_status(client, cast):
    raise_issue(cast, "Föreningen saknar lokal för läxhjälp")
    client.force_login(cast.staff)
    response, book = download(client, "observation_export", {"q": "lokal", "status": ""})
    assert "fragor-" in response["Content-Disposition"]
    listed = rows(book["Frågor"])
    assert [row["Vad som togs upp"] for row in listed] == ["Föreningen saknar lokal för läxhjälp"]
    assert listed[0]["Mötesdatum"].date() == datetime.date(2026, 3, 12)
    assert listed[0]["Status"] == "öppen"


def test_issues_export_is_what_the_user_sees(client, cast):
    client.force_login(cast.kalmar_staff)
    _response, book = download(client, "observation_export", {"status": ""})
    assert rows(book["Frågor"]) == []
