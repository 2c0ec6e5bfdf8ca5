"""A keyboard user schedules a meeting: the day in the browser's date field, the time as a
Swede writes it, `13.30`. A time the service cannot read exactly is refused beside the
field, in Swedish, and nothing is saved; the corrected one is stored exactly."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.models import Forum, Meeting
from tests.browser.by_hand import Keyboard, log_in
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_keyboard_user_writes_the_day_and_time_of_a_new_meeting(page, cast):
    you = Keyboard(page)
    day = datetime.date(2027, 3, 4)
    log_in(page, you, cast.staff.username, PASSWORD)
    page.goto(f"/moten/nytt/?forum={cast.asf_forum.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt möte")
    start = page.get_by_role("group", name="Start")
    you.fill(page.get_by_label("Titel"), "Föreningsträff i mars")
    you.fill(start.get_by_label("Datum"), day.isoformat())
    you.fill(start.get_by_label("Tid"), "13.3")
    you.click(page.get_by_role("button", name="Spara", exact=True))

    start = page.get_by_role("group", name="Start")
    time = start.get_by_label("Tid")
    expect(time).to_have_attribute("aria-invalid", "true")
    expect(time).to_have_accessible_description("Skriv tiden som 13:30 eller 13.30.")
    expect(start).to_contain_text("Skriv tiden som 13:30 eller 13.30.")
    assert not Meeting.objects.filter(title="Föreningsträff i mars").exists()

    you.fill(time, "13.30")
    you.click(page.get_by_role("button", name="Spara", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Mötet är sparat")
    meeting = Meeting.objects.get(title="Föreningsträff i mars")
    assert meeting.forum == Forum.objects.get(pk=cast.asf_forum.pk)
    assert timezone.localtime(meeting.start) == timezone.make_aware(
        datetime.datetime(2027, 3, 4, 13, 30)
    )
    assert meeting.end is None
