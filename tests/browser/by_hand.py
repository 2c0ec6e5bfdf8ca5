"""The two ways a person works a page in the journeys: with the mouse, or with the
keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing).

A journey is written once against `Hands` and run with either. The keyboard hands reach
each control by tabbing to it, a bounded number of presses, and check on every stop what
WCAG 2.1 asks: on a freshly loaded page the first stop is the skip link, which moves focus
to the main content; every stop shows its focus (an outline or a box shadow) at 3:1
against the page; every stop is on screen; and the order follows the page, never leftwards
along a line.
"""

from playwright.sync_api import expect

from devdata.demo.municipality import DEMO_PASSWORD

TABS = 60  # the most presses of Tab one step may take before the test fails
# The orders a browser's date field shows its parts in (month first in US English).
DATE_ORDERS = (("month", "day", "year"), ("day", "month", "year"), ("year", "month", "day"))

# What the focused element looks like and where it sits: read in one round trip per stop.
# `contrast` is the best contrast ratio of its focus indicator (outline or box shadow,
# blended over what is behind the element) against that background, once its transitions
# have run: WCAG 1.4.11 asks 3:1.
FOCUSED = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  await Promise.all(el.getAnimations().map((animation) => animation.finished));
  const colours = (text) => [...text.matchAll(/rgba?\\(([^)]*)\\)/g)].map((m) => {
    const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  });
  const luminance = (rgb) => rgb.map((v) => v / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, n) => sum + v * [0.2126, 0.7152, 0.0722][n], 0);
  let background = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const [colour] = colours(getComputedStyle(node).backgroundColor);
    if (colour && colour[3] > 0) { background = colour.slice(0, 3); break; }
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const indicators = [
    ...(outline ? colours(style.outlineColor) : []),
    ...(shadow ? colours(style.boxShadow) : []),
  ];
  const contrast = Math.max(0, ...indicators.map(([r, g, b, a]) => {
    const shown = [r, g, b].map((v, n) => v * a + background[n] * (1 - a));
    const [light, dark] = [luminance(shown), luminance(background)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }));
  const box = el.getBoundingClientRect();
  return {
    description: el.outerHTML.slice(0, 160),
    outline,
    shadow,
    contrast,
    shown: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
    skipLink: el.classList.contains("skip-link"),
    main: el.id === "main",
    positiveTabindex: el.tabIndex > 0,
  };
}"""

# Where a Tab went from `a`: later in the page, and onward in reading order (on the same
# line, not leftwards; a line is boxes overlapping by half the smaller's height).
STEP = """(a) => {
  const b = document.activeElement;
  const later = !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const [ra, rb] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
  const overlap = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
  const sameLine = ra.height > 0 && rb.height > 0
    && overlap > 0.5 * Math.min(ra.height, rb.height);
  const [leftward, rightward] = [rb.left < ra.left - 1, rb.left > ra.left + 1];
  const onward = sameLine ? (later ? !leftward : rightward) : later;
  return [later, onward];
}"""


class Mouse:
    """Clicks and fills as Playwright's own actions do."""

    name = "mouse"

    def __init__(self, page):
        self.page = page

    def click(self, target):
        target.click()

    def fill(self, target, text):
        target.fill(text)

    def check(self, target):
        target.check()

    def select(self, target, label):
        target.select_option(label=label)


class Keyboard:
    """Tabs to each control and works it with the keys a keyboard user has."""

    name = "keyboard"

    def __init__(self, page):
        self.page = page

    def click(self, target):
        """Enter on a link or button, as a keyboard user activates it."""
        self.reach(target)
        target.press("Enter")  # waits, as a click does, for a navigation it starts

    def fill(self, target, text):
        self.reach(target)
        if target.get_attribute("type") == "date":
            self.fill_date(target, text)
            return
        self.page.keyboard.press("Control+a")
        if text:
            self.page.keyboard.type(text)
        else:
            self.page.keyboard.press("Backspace")
        expect(target).to_have_value(text)

    def fill_date(self, target, iso):
        """A date field shows its parts in the order of the browser's language, which the
        page cannot ask: type the digits part by part in each order browsers use, from
        the first part, until the field holds the date (a four-digit year is left with
        the arrow key, since a year may have more digits)."""
        year, month, day = iso.split("-")
        digits = {"year": year, "month": month, "day": day}
        for order in DATE_ORDERS:
            for place, part in enumerate(order):
                self.page.keyboard.type(digits[part])
                if part == "year" and place < len(order) - 1:
                    self.page.keyboard.press("ArrowRight")
            if target.input_value() == iso:
                return
            while self.focused(target):  # back to its first part
                self.page.keyboard.press("Shift+Tab")
            self.page.keyboard.press("Tab")
        raise AssertionError(f"typing did not give {iso}: the field holds {target.input_value()}")

    def check(self, target):
        self.reach(target)
        if not target.is_checked():
            self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def select(self, target, label):
        """Arrow keys on the closed list, from its first choice down to `label`."""
        self.reach(target)
        self.page.keyboard.press("Home")
        labels = target.locator("option").all_inner_texts()
        for _choice in labels:
            if target.evaluate("el => el.selectedOptions[0]?.label") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{label!r} is not among the choices {labels}")

    def reach(self, target):
        """Tab (or Shift+Tab, when the target comes earlier) until `target` has focus."""
        page = self.page
        expect(target).to_have_count(1)
        page.wait_for_load_state("domcontentloaded")
        if page.evaluate(FOCUSED) is None:
            self.skip_link(into_main=target.evaluate("el => el.closest('main') !== null"))
        if self.focused(target):
            return
        backwards = target.evaluate(
            "el => !!(el.compareDocumentPosition(document.activeElement)"
            " & Node.DOCUMENT_POSITION_FOLLOWING)"
        )
        key = "Shift+Tab" if backwards else "Tab"
        stops = []
        for _press in range(TABS):
            before = page.evaluate_handle("() => document.activeElement")
            page.keyboard.press(key)
            stop = self.stop()
            stops.append(stop["description"])
            if page.evaluate("(a) => a === document.activeElement", before):
                continue  # from one part of a date field to the next
            later, onward = page.evaluate(STEP, before)
            assert later != backwards, f"{key} went against the page's order, to {stop}"
            assert onward != backwards, f"{key} went against the reading order, to {stop}"
            if self.focused(target):
                return
        raise AssertionError(f"{TABS} presses of {key} did not reach {target}: {stops[-5:]}")

    def skip_link(self, into_main):
        """On a freshly loaded page the first Tab stop is the skip link; Enter on it moves
        focus to the main content, where the person goes on tabbing."""
        self.page.keyboard.press("Tab")
        assert self.stop()["skipLink"], "the first Tab stop is not the skip link"
        if into_main:
            self.page.keyboard.press("Enter")
            assert self.page.evaluate(FOCUSED)["main"], "the skip link did not focus <main>"

    def stop(self):
        """The focused element, checked: its focus shows, at 3:1 against the page, it is
        on screen, and no tabindex above 0 reorders the page."""
        stop = self.page.evaluate(FOCUSED)
        assert stop is not None, "focus left the page"
        assert stop["outline"] or stop["shadow"], f"no visible focus on {stop['description']}"
        assert stop["contrast"] >= 3, f"focus at {stop['contrast']:.1f}:1 on {stop['description']}"
        assert stop["shown"], f"focus on something not shown: {stop['description']}"
        assert not stop["positiveTabindex"], f"tabindex above 0: {stop['description']}"
        return stop

    def focused(self, target):
        return target.evaluate("el => el === document.activeElement")


HANDS = {"mouse": Mouse, "keyboard": Keyboard}


def log_in(page, hands, username, password=DEMO_PASSWORD):
    """From the login page, as journey 1 and 2 begin; the login form puts focus in the
    user name field already."""
    page.goto("/")
    hands.fill(page.get_by_label("Användarnamn"), username)
    hands.fill(page.get_by_label("Lösenord"), password)
    hands.click(page.get_by_role("button", name="Logga in"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
