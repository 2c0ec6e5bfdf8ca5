"""Property-based: random values into every query parameter of every page and every field
of every form, for each member of the cast. Whatever comes in, no response is a 500.

Hypothesis draws the values (text with control and full-width characters, huge and
negative numbers, far dates); the pages are those the access matrix says each person may
open. Found cases are replayed as ordinary tests in tests/test_hostile_input.py.

In `make test` the draws are derandomised, so the suite passes or fails the same way on
every run; `make fuzz` explores with fresh random draws and many more examples.
"""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cast import Cast
from tests.test_access_matrix import EXPECTED, PAGE

# Parameters the lists, filters, calendar and exports read, beyond their forms' fields.
QUERY_NAMES = [
    "page", "per_page", "sort", "month", "from", "to", "committee", "forum", "owner",
    "organisation", "scheme", "year", "status", "kind", "body", "when", "q", "name",
    "changes_from", "changes_to", "seed", "sample_size", "start_after",
]  # fmt: skip
NOT_FUZZED = {"logout", "set_language", "calendar_feed", "password_reset_confirm"}

values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["", "0", "-1", "9999-12-31", "0001-01-01", "2026-13-45", "abc", "=1+1", "\r\n",
         "１２３", "99999999999999999999999", "on", "true", "null", "../../etc", "%00"]
    ),
)  # fmt: skip

settings.register_profile(
    "suite",
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "suite"))


def pages_for(cast, person):
    """The URLs of every page the person may open (made once per test)."""
    if not hasattr(cast, "fuzz_pages"):
        cast.fuzz_pages = {}
    if person not in cast.fuzz_pages:
        urls = []
        for name, (kwargs_for, outcomes) in EXPECTED.items():
            if outcomes.get(person) == PAGE and name not in NOT_FUZZED:
                urls.append(reverse(name, kwargs=kwargs_for(cast) if kwargs_for else None))
        cast.fuzz_pages[person] = sorted(set(urls))
    return cast.fuzz_pages[person]


def form_fields(response):
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return list(getattr(form, "fields", {}) or {})


@pytest.mark.parametrize("person", Cast.USER_KEYS)
@FUZZ
@given(data=st.data())
def test_no_query_string_gives_a_500(client, cast, person, data):
    client.force_login(cast.user(person))
    url = data.draw(st.sampled_from(pages_for(cast, person)), label="url")
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=5, unique=True))
    params = {name: data.draw(values, label=name) for name in names}
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)


@pytest.mark.parametrize("person", Cast.USER_KEYS)
@FUZZ
@given(data=st.data())
def test_no_form_input_gives_a_500(client, cast, person, data):
    client.force_login(cast.user(person))
    url = data.draw(st.sampled_from(pages_for(cast, person)), label="url")
    fields = form_fields(client.get(url))
    if not fields:
        return
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True), label="fields")
    post = {name: data.draw(values, label=name) for name in chosen}
    response = client.post(url, post)
    assert response.status_code < 500, (url, post)
