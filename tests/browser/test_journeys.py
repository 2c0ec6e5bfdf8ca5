"""Issue 14's journeys 1 and 2, each from the login page, clicking and typing as a person
would, then checking what the database holds.

Each journey saves screenshots of its key pages under $JOURNEY_SHOTS (by default
var/journeys/), one folder per journey: journey-1-meeting-log/, journey-2-temadag/.
"""

import datetime
import io
import os
import re
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import expect

from dialogues.models import Forum, Invitation, Meeting, Observation
from dialogues.scheduling import holiday_name
from grants.models import Grant, GrantScheme
from municipality.models import Body, User
from partners.models import Organisation
from tests.browser.by_hand import HANDS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("JOURNEY_SHOTS", "var/journeys"))


@pytest.fixture(params=HANDS)
def you(page, request):
    """The person on the journey: with the mouse, then again with the keyboard alone."""
    return HANDS[request.param](page)


@pytest.fixture
def shoot(page, request, you):
    """shoot(name) saves a full-page screenshot as <SHOTS>/<journey>/<nn>-<name>.png, the
    keyboard run's under <journey>-keyboard/ (its focus rings show)."""
    folder = SHOTS / request.function.__doc__.split(":", 1)[0].strip()
    if you.name != "mouse":
        folder = folder.with_name(f"{folder.name}-{you.name}")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    taken = []

    def shot(name):
        taken.append(name)
        page.screenshot(path=folder / f"{len(taken):02d}-{name}.png", full_page=True)

    return shot


def on_a_phone(page, shoot, name):
    """The page as a 375 px phone shows it: nothing wider than the screen."""
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(f"{name}-375px")
    page.set_viewport_size(size)


ATTENDING = {  # organisation: people who came
    "Stiftelsen Stadsmissionen i Malmö": 3,
    "Röda Korset Malmö krets": 2,
    "Brukarföreningen Malmö": 4,
}


def held_yesterday():
    """The föreningsträff that took place yesterday and waits to be logged: its forum's
    six members invited, as scheduling it would have done."""
    forum = Forum.objects.get(name="Föreningsträff hemlöshet och utsatthet")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(13)))
    meeting = Meeting.objects.create(
        forum=forum,
        title="Föreningsträff om vinterberedskap",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Stadshuset, sal 3",
        agenda="Läget inför vintern.",
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, organisation=organisation)
        for organisation in forum.members.all()
    )
    return meeting


def test_staff_log_a_foreningstraff_follow_up_its_issues_and_print_the_minutes(
    page, you, shoot, mailoutbox
):
    """journey-1-meeting-log: a tjänsteperson logs a held föreningsträff with three
    attending organisations, records two issues, forwards one, later marks it handled and
    sends the answer, and prints the minutes."""
    call_command("load_demo", quiet_logins=True)
    meeting = held_yesterday()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, you, "tjansteperson")
    to_log = page.locator("section", has_text="Genomförda möten som inte dokumenterats")
    you.click(to_log.get_by_role("link", name=re.compile("^Dokumentera.*vinterberedskap")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumentera genomfört möte")

    total = page.locator("[data-attendance-total]")
    expect(total).to_have_text("0")
    for organisation, people in ATTENDING.items():
        you.check(page.get_by_label(f"{organisation} deltog", exact=True))
        you.fill(page.get_by_label(f"Personer från {organisation}", exact=True), str(people))
    expect(total).to_have_text("9")
    you.fill(page.get_by_label("Interna deltagare"), "Elin Ström, Ahmed Karimi")
    you.fill(
        page.get_by_label("Minnesanteckningar"), "Organisationerna beskrev läget inför vintern."
    )
    first, second = (
        page.locator("[name=raised-0-organisation]"),
        page.locator("[name=raised-1-organisation]"),
    )
    you.select(first, "Röda Korset Malmö krets")
    you.fill(page.locator("[name=raised-0-theme]"), "härbärgen")
    you.fill(page.locator("[name=raised-0-text]"), "Härbärgena är fulla redan i december.")
    you.select(second, "Brukarföreningen Malmö")
    you.fill(page.locator("[name=raised-1-text]"), "Värmestugan behöver öppet på helger.")
    shoot("meeting-log-form")
    on_a_phone(page, shoot, "meeting-log-form")
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Mötet är dokumenterat")
    expect(page.get_by_text("Deltagare från organisationer totalt: 9")).to_be_visible()
    shoot("meeting-logged")

    # Forward the first issue from its own page: one save makes it forwarded.
    you.click(page.get_by_role("link", name="Härbärgena är fulla redan i december."))
    you.select(page.get_by_label("Vidarebefordrad till"), "Arbetsmarknads- och socialnämnden")
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Frågan är sparad")
    summary = page.locator("dl")
    expect(summary).to_contain_text("vidarebefordrad")
    expect(page.get_by_role("button", name="Mejla svaret till organisationen")).to_have_count(0)

    # Later: marked handled without typing a date, which is today, and the answer sent.
    you.select(page.get_by_label("Status"), "hanterad")
    you.fill(page.get_by_label("Svar"), "Fler platser öppnas i Mobilia från 1 december.")
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(summary).to_contain_text(f"({timezone.localdate().isoformat()})")
    shoot("issue-handled")
    you.click(page.get_by_role("button", name="Mejla svaret till organisationen"))
    expect(page.get_by_role("status")).to_contain_text("Återkopplingen skickades till")
    shoot("answer-sent")

    # The minutes: a print button, the answers and the attendance total.
    you.click(page.get_by_role("link", name="Föreningsträff om vinterberedskap"))
    you.click(page.get_by_role("link", name="Minnesanteckningar"))
    minutes = page.locator("article.minutes")
    expect(minutes).to_contain_text("Malmö stad")
    expect(minutes).to_contain_text("Fler platser öppnas i Mobilia från 1 december.")
    expect(minutes).to_contain_text("3 organisationer, 9 personer")
    page.evaluate("window.print = () => { window.printed = true; }")
    you.click(page.get_by_role("button", name="Skriv ut"))
    assert page.evaluate("window.printed") is True
    shoot("minutes-screen")
    on_a_phone(page, shoot, "minutes-screen")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Skriv ut")).to_be_hidden()
    expect(page.locator("header")).to_be_hidden()
    expect(minutes.get_by_text("Malmö stad")).to_be_visible()
    shoot("minutes-print")
    page.emulate_media(media="screen")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.participants_count) == ("held", 9)
    attended = Invitation.objects.filter(meeting=meeting, attended=True)
    assert {i.organisation.name: i.people for i in attended} == ATTENDING
    issues = {o.text: o for o in Observation.objects.filter(meeting=meeting)}
    assert set(issues) == {
        "Härbärgena är fulla redan i december.",
        "Värmestugan behöver öppet på helger.",
    }
    answered = issues["Härbärgena är fulla redan i december."]
    assert answered.status == "handled"
    assert answered.forwarded_to == Body.objects.get(name="Arbetsmarknads- och socialnämnden")
    assert answered.handled_on == timezone.localdate()
    assert answered.feedback_sent_at is not None
    assert issues["Värmestugan behöver öppet på helger."].status == "open"
    answers = [m for m in mailoutbox if "Fler platser öppnas i Mobilia" in m.body]
    # One e-mail to each contact person, addressed by name.
    assert [len(m.to) for m in answers] == [1] * len(answers)
    addresses = sorted(parseaddr(m.to[0])[1] for m in answers)
    assert addresses == sorted(answered.feedback_sent_to.split(", "))
    assert mail.outbox is mailoutbox


def next_weekday_holiday(after):
    """The first public holiday on a weekday after `after` (not an eve such as julafton,
    which is a day off but no public holiday), and the working day after it."""
    day = after
    while not (holiday_name(day) and not holiday_name(day).endswith("afton") and day.weekday() < 5):
        day += datetime.timedelta(days=1)
    working = day + datetime.timedelta(days=1)
    while holiday_name(working) or working.weekday() >= 5:
        working += datetime.timedelta(days=1)
    return day, working


SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def show_month(page, you, day):
    """Step with "Nästa månad" to the month of `day`, as a person would."""
    heading = f"{SWEDISH_MONTHS[day.month - 1].capitalize()} {day.year}"
    for _month in range(14):
        if page.get_by_role("heading", level=1).inner_text() == heading:
            break
        you.click(page.get_by_role("link", name="Nästa månad"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_elected_member_moves_a_temadag_off_a_holiday_and_finds_it_in_its_week(page, you, shoot):
    """journey-2-temadag: a förtroendevald schedules a temadag on a public holiday, sees
    the warning before saving, moves it to the next working day, and finds it in the
    month view with its ISO week."""
    call_command("load_demo", quiet_logins=True)
    holiday, working_day = next_weekday_holiday(timezone.localdate() + datetime.timedelta(days=7))
    title = "Temadag om unga vuxna i hemlöshet"
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, you, "fortroendevald")
    you.click(page.get_by_role("link", name="Möten", exact=True).first)
    you.click(page.get_by_role("link", name="Månadsvy"))
    expect(page.locator('td[aria-current="date"]')).to_have_count(1)
    show_month(page, you, holiday)
    you.click(page.get_by_role("link", name=f"Nytt möte {holiday.isoformat()}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt möte")
    expect(page.get_by_label("Forum")).to_have_value(
        str(Forum.objects.get(name="ASN:s temadagar").pk)
    )
    start, end = (page.get_by_role("group", name=name) for name in ("Start", "Slut"))
    expect(start.get_by_label("Datum")).to_have_value(holiday.isoformat())
    expect(start.get_by_label("Tid")).to_have_value("09:00")
    you.fill(page.get_by_label("Titel"), title)
    you.fill(start.get_by_label("Tid"), "10.00")
    you.fill(end.get_by_label("Datum"), holiday.isoformat())
    you.fill(end.get_by_label("Tid"), "kl 15")
    you.fill(page.get_by_label("Plats"), "Stadshuset, sal 3")
    invitees = page.get_by_role("group", name="Inbjudna organisationer")
    you.fill(invitees.get_by_role("searchbox"), "brukar")
    expect(invitees.get_by_label("Röda Korset Malmö krets")).to_be_hidden()
    you.check(invitees.get_by_label("Brukarföreningen Malmö"))
    you.fill(invitees.get_by_role("searchbox"), "")
    you.check(invitees.get_by_label("Röda Korset Malmö krets"))
    you.click(page.get_by_role("button", name="Spara", exact=True))

    warning = page.get_by_test_id("scheduling-warnings")
    expect(warning).to_contain_text(
        f"{holiday.isoformat()} är en helgdag i Sverige ({holiday_name(holiday)})"
    )
    expect(page.get_by_role("button", name="Spara ändå")).to_be_visible()
    shoot("holiday-warning")
    on_a_phone(page, shoot, "holiday-warning")
    assert not Meeting.objects.filter(title=title).exists()

    start, end = (page.get_by_role("group", name=name) for name in ("Start", "Slut"))
    expect(start.get_by_label("Tid")).to_have_value("10.00")  # as written, not rewritten
    you.fill(start.get_by_label("Datum"), working_day.isoformat())
    you.fill(end.get_by_label("Datum"), working_day.isoformat())
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Mötet är sparat")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    week = working_day.isocalendar().week
    expect(page.get_by_text(f"vecka {week}")).to_be_visible()
    shoot("meeting-saved")

    you.click(page.get_by_role("link", name="Möten", exact=True).first)
    you.click(page.get_by_role("link", name="Månadsvy"))
    show_month(page, you, working_day)
    row = page.locator("table.calendar tbody tr", has=page.get_by_role("link", name=title))
    expect(row.get_by_role("rowheader")).to_have_text(re.compile(rf"\b{week}$"))
    cell = page.locator(f'td[data-date="{working_day.isoformat()}"]')
    expect(cell.get_by_role("link", name=re.compile(title))).to_be_visible()
    shoot("month-view")
    on_a_phone(page, shoot, "month-view")
    you.click(page.get_by_role("link", name="Idag"))
    expect(page.locator('td[aria-current="date"]')).to_have_count(1)

    meeting = Meeting.objects.get(title=title)
    assert timezone.localtime(meeting.start) == timezone.make_aware(
        datetime.datetime.combine(working_day, datetime.time(10))
    )
    assert timezone.localtime(meeting.end).time() == datetime.time(15)
    assert meeting.iso_week == week
    assert meeting.forum.name == "ASN:s temadagar"
    assert meeting.created_by.username == "fortroendevald"
    assert sorted(meeting.invitations.values_list("organisation__name", flat=True)) == [
        "Brukarföreningen Malmö",
        "Röda Korset Malmö krets",
    ]
    assert not Meeting.objects.filter(start__date=holiday, title=title).exists()


STOCKHOLM = ZoneInfo("Europe/Stockholm")


def invited_tomorrow_evening(organisation):
    """A meeting tomorrow at 17:30 the organisation is invited to: an evening hour, an hour
    or two from UTC, is where a calendar file's time zone shows."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(17, 30)))
    meeting = Meeting.objects.create(
        forum=Forum.objects.get(name="Löpande dialog hemlöshet"),
        title="Kvällsdialog om vinternätter",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Stadshuset, sal 3",
    )
    Invitation.objects.create(meeting=meeting, organisation=organisation)
    return meeting


def the_event(calendar, meeting):
    """The VEVENT of `meeting` in a parsed calendar, by its title and start."""
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["summary"]) == meeting.title]
    return event


def test_representative_takes_the_next_meeting_into_their_calendar_and_updates_contacts(
    page, you, shoot
):
    """journey-3-representative: an organisationsföreträdare finds the next meeting they
    are invited to, downloads its .ics (it parses and has the right local time), makes a
    subscription link and fetches it without logging in, and updates their organisation's
    contact details."""
    call_command("load_demo", quiet_logins=True)
    organisation = Organisation.objects.get(name="Röda Korset Malmö krets")
    invited_tomorrow_evening(organisation)
    upcoming = Meeting.objects.filter(
        invitations__organisation=organisation, start__gte=timezone.now()
    ).exclude(status=Meeting.Status.CANCELLED)
    meeting = upcoming.order_by("start").first()
    local_start = timezone.localtime(meeting.start)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, you, "foretradare")

    coming = page.locator("section", has_text="Organisationens nästa möten")
    first = coming.get_by_role("listitem").first
    expect(first).to_contain_text(f"{local_start:%Y-%m-%d %H:%M} {meeting.title}")
    shoot("start-page")
    you.click(first.get_by_role("link", name=meeting.title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title)
    expect(page.get_by_text(f"{local_start:%H:%M}").first).to_be_visible()
    shoot("next-meeting")
    on_a_phone(page, shoot, "next-meeting")
    with page.expect_download() as download:
        you.click(page.get_by_role("link", name="Lägg till i kalender"))
    assert download.value.suggested_filename.endswith(".ics")
    single = Calendar.from_ical(download.value.path().read_bytes())
    start = the_event(single, meeting).decoded("dtstart")
    assert start.astimezone(STOCKHOLM).replace(tzinfo=None) == local_start.replace(tzinfo=None)
    assert start == meeting.start

    you.click(page.get_by_role("link", name="Kalender", exact=True))
    panel = page.locator("section", has_text=f"Möten: {organisation.name}")
    you.click(panel.get_by_role("button", name="Skapa prenumerationslänk"))
    expect(page.get_by_role("status")).to_contain_text("Kalenderlänken är skapad")
    panel = page.locator("section", has_text=f"Möten: {organisation.name}")
    link = panel.get_by_label("Länk (https)").input_value()
    shoot("subscription-link")
    on_a_phone(page, shoot, "subscription-link")
    stranger = page.context.browser.new_context()  # no session: as a calendar app polls
    try:
        feed = stranger.request.get(link)
        assert feed.status == 200
        assert stranger.cookies() == []
        subscribed = Calendar.from_ical(feed.body())
    finally:
        stranger.close()
    assert the_event(subscribed, meeting).decoded("dtstart") == meeting.start
    assert {str(e["summary"]) for e in subscribed.walk("VEVENT")} >= {m.title for m in upcoming}

    you.click(page.get_by_role("link", name="Organisationer", exact=True))
    you.click(page.get_by_role("link", name=organisation.name, exact=True))
    you.click(page.get_by_role("link", name="Ändra", exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ändra {organisation.name}")
    you.fill(page.get_by_label("Telefon"), "040-12 34 56")
    you.fill(page.get_by_label("E-post"), "kansli@rodakorset-malmo.example.se")
    shoot("contact-form")
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Organisationen är sparad")
    details = page.locator("dl").first
    expect(details).to_contain_text("040-12 34 56")
    expect(details).to_contain_text("kansli@rodakorset-malmo.example.se")
    shoot("contacts-updated")

    organisation.refresh_from_db()
    assert organisation.phone == "040-12 34 56"
    assert organisation.email == "kansli@rodakorset-malmo.example.se"


def another_nämnds_grant_and_a_change():
    """A 2025 grant from Fritidsnämnden, which the filter on one nämnd must leave out, and
    a change a tjänsteperson made to one of the year's grants, for the history to show."""
    scheme = GrantScheme.objects.create(
        committee=Body.objects.get(name="Fritidsnämnden"),
        name="Föreningsbidrag fritid",
        kind="organisation",
    )
    scheme.grants.create(
        organisation=Organisation.objects.get(name="Föreningen Gatans röst"),
        year=2025,
        purpose="Sommaraktiviteter för unga.",
        applied_amount=80_000,
        granted_amount=75_000,
        decision=Grant.Decision.PARTLY,
        decided_by=Grant.DecidedBy.DELEGATE,
        decision_date=datetime.date(2025, 2, 20),
    )
    changed = Grant.objects.get(year=2025, scheme__name="Projektbidrag vinterinsatser")
    changed._history_user = User.objects.get(username="tjansteperson")
    changed.decision_reference = "Delegationsbeslut D-2025-031"
    changed.save()
    return changed


def kronor(text):
    """1 500 000 kr → 1500000."""
    return int(re.sub(r"\D", "", text))


def column_sums(sheet, *headers):
    """The sums of a table sheet's columns, by header (blank cells count as 0)."""
    rows = sheet.iter_rows(values_only=True)
    names = next(rows)
    indexes = [names.index(header) for header in headers]
    sums = [0] * len(headers)
    for row in rows:
        for n, index in enumerate(indexes):
            sums[n] += row[index] or 0
    return sums


def test_auditor_filters_grants_downloads_the_workbook_and_reads_a_history(page, you, shoot):
    """journey-4-auditor: a revisor filters grants to one year and one nämnd, downloads
    the workbook (its totals match the page and the database), and opens a grant's change
    history."""
    call_command("load_demo", quiet_logins=True)
    changed = another_nämnds_grant_and_a_change()
    committee = Body.objects.get(name="Arbetsmarknads- och socialnämnden")
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, you, "revisor")
    you.click(page.get_by_role("link", name="Bidrag", exact=True))
    you.fill(page.get_by_label("År"), "2025")
    you.select(page.get_by_label("Nämnd"), committee.name)
    you.click(page.get_by_role("button", name="Filtrera"))

    grants = Grant.objects.filter(year=2025, scheme__committee=committee).with_figures()
    expect(page.get_by_text(f"{grants.count()} bidrag", exact=True)).to_be_visible()
    on_page = [
        kronor(page.get_by_test_id(f"total-{figure}").inner_text())
        for figure in ("applied", "granted", "paid")
    ]
    in_database = [
        sum(grant.applied_amount for grant in grants),
        sum(grant.granted_amount or 0 for grant in grants),
        sum(grant.paid_total for grant in grants),
    ]
    assert on_page == in_database
    assert Grant.objects.filter(year=2025).count() > grants.count()
    shoot("grants-filtered")

    with page.expect_download() as download:
        you.click(page.get_by_role("button", name="Ladda ner arbetsboken"))
    assert download.value.suggested_filename.startswith(
        "bidrag-2025-arbetsmarknads-och-socialnamnden-"
    )
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    decisions = column_sums(book["Beslut"], "Sökt belopp", "Beviljat belopp")
    (paid,) = column_sums(book["Utbetalningar"], "Belopp")
    assert [*decisions, paid] == on_page
    rows = list(book["Beslut"].iter_rows(min_row=2, values_only=True))
    assert {(row[3], row[5]) for row in rows} == {(committee.name, 2025)}
    assert sorted(row[0] for row in rows) == sorted(grant.pk for grant in grants)
    summary = list(book["Sammanställning"].iter_rows(min_row=3, max_col=9, values_only=True))
    per_scheme = summary[: [row[0] for row in summary].index("Summa")]
    assert [sum(row[n] for row in per_scheme) for n in (6, 7, 8)] == in_database

    row = page.get_by_role("row").filter(has_text=changed.scheme.name)
    you.click(row.get_by_role("link", name="Öppna"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(changed.scheme.name)
    history = page.locator("section", has=page.get_by_role("heading", name="Historik"))
    entry = history.get_by_role("row").filter(has_text="Elin Ström").first
    expect(entry).to_contain_text("Beslutsreferens")
    expect(entry).to_contain_text("→ Delegationsbeslut D-2025-031")
    shoot("grant-history")
