"""Property-based: every way a Swede writes a time or date reads to exactly that value,
and any other text either reads to a value whose digits are the ones written (and whose
canonical writing reads back the same), or is refused with ValidationError, never with
another exception. Derandomised in the suite, as tests/test_fuzz.py is."""

import datetime
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from municipality import date_fields, swedish_time
from tests.test_fuzz import FUZZ

times = st.times().map(lambda t: t.replace(microsecond=0))
dates = st.dates(min_value=datetime.date(1000, 1, 1))
PREFIXES = ["", "kl ", "kl. ", "kl.", "Kl ", "KL. ", "kl"]


def written_times(t):
    """Every form a Swede may write `t` in."""
    forms = []
    for hour in {f"{t.hour}", f"{t.hour:02d}"}:
        for sep in ":.":
            if t.second:
                forms.append(f"{hour}{sep}{t.minute:02d}{sep}{t.second:02d}")
            else:
                forms += [f"{hour}{sep}{t.minute:02d}", f"{hour}{sep}{t.minute:02d}{sep}00"]
        if not t.minute and not t.second:
            forms.append(hour)
    return [prefix + form for prefix in PREFIXES for form in forms]


def written_dates(d):
    return {
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
        f"{d.year:04d}-{d.month}-{d.day}",
        f"{d.year:04d}-{d.month:02d}-{d.day}",
    }


@FUZZ
@given(t=times, data=st.data())
def test_every_written_time_reads_to_exactly_that_time(t, data):
    written = data.draw(st.sampled_from(written_times(t)))
    assert swedish_time.read_time(written) == t
    assert swedish_time.read_time(swedish_time.write_time(t)) == t


@FUZZ
@given(d=dates, data=st.data())
def test_every_written_date_reads_to_exactly_that_date(d, data):
    written = data.draw(st.sampled_from(sorted(written_dates(d))))
    assert swedish_time.read_date(written) == d
    assert swedish_time.read_date(swedish_time.write_date(d)) == d


@FUZZ
@given(d=dates, t=times, data=st.data())
def test_every_written_date_and_time_reads_to_exactly_that(d, t, data):
    day = data.draw(st.sampled_from(sorted(written_dates(d))))
    time = data.draw(st.sampled_from(written_times(t)))
    between = data.draw(st.sampled_from([" ", "  ", "T"]))
    expected = datetime.datetime.combine(d, t)
    assert swedish_time.read_datetime(f"{day}{between}{time}") == expected
    assert swedish_time.read_datetime(swedish_time.write_datetime(expected)) == expected


# Text built from what times and dates are made of, so that many draws nearly read.
near_times = st.text(alphabet="0123456789:.,- kKlLT\t\n\u00a0０１２", max_size=12)
anything = st.one_of(near_times, st.text(max_size=20))


def numbers_in(text):
    return [int(n) for n in re.findall(r"[0-9]+", unicodedata.normalize("NFKC", text))]


@FUZZ
@given(text=anything)
def test_any_text_reads_to_the_time_its_numbers_say_or_is_refused(text):
    try:
        t = swedish_time.read_time(text)
    except ValidationError as refused:
        assert refused.messages == ["Skriv tiden som 13:30 eller 13.30."]
        return
    numbers = numbers_in(text)
    parts = [t.hour, t.minute, t.second]
    assert numbers == parts[: len(numbers)] and not any(parts[len(numbers) :])
    assert swedish_time.read_time(swedish_time.write_time(t)) == t


@FUZZ
@given(text=st.one_of(st.text(alphabet="0123456789-/. T:", max_size=18), st.text(max_size=20)))
def test_any_text_reads_to_the_date_its_numbers_say_or_is_refused(text):
    try:
        d = swedish_time.read_date(text)
    except ValidationError:
        return
    assert numbers_in(text) == [d.year, d.month, d.day]
    assert swedish_time.read_date(swedish_time.write_date(d)) == d


@FUZZ
@given(text=st.one_of(st.text(alphabet="0123456789-.: Tkl", max_size=22), st.text(max_size=24)))
def test_any_text_reads_to_the_date_and_time_its_numbers_say_or_is_refused(text):
    try:
        at = swedish_time.read_datetime(text)
    except ValidationError:
        return
    numbers = numbers_in(text)
    parts = [at.year, at.month, at.day, at.hour, at.minute, at.second]
    assert numbers == parts[: len(numbers)] and not any(parts[len(numbers) :])
    assert swedish_time.read_datetime(swedish_time.write_datetime(at)) == at


@FUZZ
@given(day=anything, time=anything)
def test_the_meeting_fields_refuse_or_read_exactly_never_anything_else(day, time):
    """The form field a meeting's start is read by: a ValidationError, or a local date and
    time whose parts are the numbers written (1900–2200 only)."""
    field = date_fields.SplitDateTimeField()
    try:
        at = field.clean([day, time])
    except ValidationError:
        return
    assert datetime.date(1900, 1, 1) <= at.date() <= datetime.date(2200, 12, 31)
    assert numbers_in(day) == [at.year, at.month, at.day]
    numbers = numbers_in(time)
    parts = [at.hour, at.minute, at.second]
    assert numbers == parts[: len(numbers)] and not any(parts[len(numbers) :])


@pytest.mark.parametrize(
    "written", ["11.3", "11:30.3", "11:30:00.3", "24:00", "13:60", "13:30:60", "-1", "1 3",
                "13:30.00", "13.30:00", "٣:٣٠", "kl  kl 13", "13h", "130", ""],
)  # fmt: skip
def test_what_is_not_read_exactly_is_refused(written):
    with pytest.raises(ValidationError):
        swedish_time.read_time(written)


@pytest.mark.parametrize(
    "written", ["05/10/2026", "10.05.2026", "26-12-07", "20261207", "2026-W50-1", "2026-12-07T",
                "2026–12–07", "2026-12-7 10:00"],
)  # fmt: skip
def test_a_date_in_any_other_form_is_refused(written):
    with pytest.raises(ValidationError):
        swedish_time.read_date(written)


def test_a_date_alone_is_not_a_date_and_time():
    with pytest.raises(ValidationError):
        swedish_time.read_datetime("2026-12-07")
