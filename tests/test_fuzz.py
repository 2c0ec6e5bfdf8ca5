"""Property-based: random values into every query parameter of every page and every field
of every form, for each member of the cast. Whatever comes in, no response is a 500.

Hypothesis draws the values (text with control and full-width characters, huge and
negative numbers, far dates); the pages are those the access matrix says each person may
open, and the forms those the pages render, read from their HTML: every <input> (hidden
ones too), <select> and <textarea>, posted where the form posts. Besides the random draws,
`test_every_posted_field_takes_hostile_input` gives each field of each form every person
reaches one fixed hostile value in turn, and checks that a refused POST wrote nothing.
Found cases are replayed as ordinary tests in tests/test_hostile_input.py.

In `make test` the draws are derandomised, so the suite passes or fails the same way on
every run; `make fuzz` explores with fresh random draws and many more examples.
"""

import os
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cast import Cast
from tests.test_access_matrix import EXPECTED, PAGE
from tests.test_access_post import changed_tables, snapshot

# Parameters the lists, filters, calendar and exports read, beyond their forms' fields.
QUERY_NAMES = [
    "page", "per_page", "sort", "month", "from", "to", "committee", "forum", "owner",
    "organisation", "scheme", "year", "status", "kind", "body", "when", "q", "name",
    "changes_from", "changes_to", "seed", "sample_size", "start_after",
]  # fmt: skip
NOT_FUZZED = {"logout", "set_language", "calendar_feed", "password_reset_confirm"}

HOSTILE = [
    "abc",
    "-1",
    "99999999999999999999999",
    "9223372036854775808",
    "1e309",
    "9999-12-31",
    "0001-01-01 00:00",
    "2026-13-45",
    "Rad ett\r\nBcc: x@evil.example",
    "=cmd|' /C calc'!A0",
    "a\x00b",
    "x" * 5000,
    "",
    "１２３",
    "//evil.example",
]

values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        ["", "0", "-1", "9999-12-31", "0001-01-01", "2026-13-45", "abc", "=1+1", "\r\n",
         "１２３", "99999999999999999999999", "on", "true", "null", "../../etc", "%00"]
    ),
    st.sampled_from(HOSTILE),
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
    """Any fields of any form on the page, hidden ones included, the rest as rendered."""
    client.force_login(cast.user(person))
    url = data.draw(st.sampled_from(pages_for(cast, person)), label="url")
    forms = posted_forms(client, url)
    if not forms:
        return
    _name, action, fields = data.draw(st.sampled_from(forms), label="form")
    if not fields:
        return
    chosen = data.draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, unique=True))
    post = {
        **rendered_values(fields),
        **{field: data.draw(values, label=field) for field in chosen},
    }
    response = client.post(action, post)
    assert response.status_code < 500, (action, post)


# Every field a form posts, hidden ones included -------------------------------------------

# Logging out ends the session the rest is fuzzed in; its `next` is in test_hostile_input.
NOT_POSTED = {"logout"}
# Written by a refused POST on purpose: the failed login is counted, the session kept.
UNWATCHED_TABLES = re.compile(r'"?(axes_|django_session)')
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class FormParser(HTMLParser):
    """The POST forms of a page: where each posts, and the name and rendered value of every
    <input> (hidden ones too), <select> and <textarea> in it, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.form = {"action": attrs.get("action") or "", "fields": {}}
            if method == "post":
                self.forms.append(self.form)
        elif self.form is None or not name:
            if tag == "option" and self.select is not None:
                self._option(attrs)
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.form["fields"].setdefault(name, None)
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self.form["fields"][name] = attrs.get("value", "")
        elif tag == "select":
            self.select = name
            self.form["fields"].setdefault(name, None)
        elif tag == "textarea":
            self.textarea = name
            self.form["fields"][name] = ""
        elif tag == "button" and attrs.get("value") is not None:
            self.form["fields"].setdefault(name, attrs["value"])

    def _option(self, attrs):
        fields = self.form["fields"]
        if "selected" in attrs or fields.get(self.select) is None:
            fields[self.select] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form["fields"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def posted_forms(client, url):
    """(url name, action, {field: rendered value}) of every POST form on the page."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    parser = FormParser()
    parser.feed(response.content.decode())
    forms = []
    for form in parser.forms:
        action = urljoin(url, form["action"] or url)
        name = resolve(urlsplit(action).path).url_name
        if name not in NOT_POSTED:
            fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            forms.append((name, action, fields))
    return forms


def forms_for(client, cast, person):
    """Each kind of form the person reaches from the pages they may open, once (the same
    form on many pages, such as the language switch, is one), with the page it is on.
    Forms that remove or archive what others post about come last."""
    found = {}
    for page in pages_for(cast, person):
        for name, action, fields in posted_forms(client, page):
            found.setdefault((name, tuple(sorted(fields))), (page, action))
    last = ("delete", "archive", "reverse")
    return sorted(found.items(), key=lambda item: (item[0][0].endswith(last), item[0]))


def rendered_values(fields):
    """What a browser sends for the form as rendered (unchecked boxes send nothing)."""
    return {name: value for name, value in fields.items() if value is not None}


class Writes:
    """The write statements a request ran, beside sessions and failed-login records."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if WRITES.match(sql) and not UNWATCHED_TABLES.search(sql.split("(")[0]):
            self.statements.append(sql)
        return execute(sql, params, many, context)


def refused(response):
    """A POST turned down: an error status, or the page again with a form's errors."""
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or not response.context:
        return False
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [value for context in contexts for value in context.flatten().values()]
    forms = [value for value in values if hasattr(value, "is_bound")]
    return any(form.is_bound and not form.is_valid() for form in forms)


@pytest.mark.parametrize("person", Cast.USER_KEYS)
def test_every_posted_field_takes_hostile_input(client, cast, person):
    """Every field of every form the person reaches, one at a time, gets a hostile value
    (the others as rendered): never a 5xx, and a refused POST changes nothing."""
    client.force_login(cast.user(person))
    offset = Cast.USER_KEYS.index(person)
    problems = []
    state = snapshot()
    for number, ((name, field_names), (page, action)) in enumerate(forms_for(client, cast, person)):
        current = next((f for n, a, f in posted_forms(client, page) if n == name), None)
        if current is None:
            continue  # an earlier form removed what this one is about
        for index, field in enumerate(field_names):
            value = HOSTILE[(offset + number + index) % len(HOSTILE)]
            data = {**rendered_values(current), field: value}
            writes = Writes()
            with connection.execute_wrapper(writes):
                try:
                    response = client.post(action, data)
                except Exception as error:  # the test client re-raises what the view raised
                    problems.append(f"{action} {field}={value[:40]!r}: {error!r}")
                    continue
            if response.status_code >= 500:
                problems.append(f"{action} {field}={value[:40]!r}: {response.status_code}")
            elif refused(response):
                if writes.statements and changed_tables(state, snapshot()):
                    problems.append(f"{action} {field}={value[:40]!r}: refused, but wrote")
                    state = snapshot()
            elif writes.statements:
                state = snapshot()
                current = next((f for n, a, f in posted_forms(client, page) if n == name), None)
                if current is None:
                    break
    assert problems == []
