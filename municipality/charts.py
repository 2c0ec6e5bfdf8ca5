"""Bar charts drawn on the server as SVG: no JavaScript chart library, nothing from a CDN.

A chart is data first: the same categories and series are shown as a table for screen
readers and for anyone who would rather read the figures (`rows`), and the SVG carries
a title and a description naming what it shows.
"""

from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from municipality.money import format_kronor, format_number

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by pattern
# too: every series also has its own label in the legend and in the table.
COLOURS = ("#1f5f99", "#b34700", "#2d7a3a", "#6a3d9a", "#8c2d04", "#3f3f3f")
WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 72, 28, 12


@dataclass
class Chart:
    title: str
    categories: list  # along the x axis, e.g. months
    series: list  # [(label, [value per category])]
    unit: str = ""  # "kr" shows values as money
    slug: str = "chart"
    table_url: str = ""
    empty_text: str = ""
    _max: int = field(init=False, default=0)

    def __post_init__(self):
        self._max = max((v for _, values in self.series for v in values), default=0)

    @property
    def is_empty(self):
        return self._max == 0

    def format(self, value):
        return format_kronor(value) if self.unit == "kr" else format_number(value)

    @property
    def description(self):
        """The text alternative: what the chart compares, over which span; the table
        below it gives every figure."""
        labels = ", ".join(str(label) for label, _ in self.series)
        if not self.categories:
            return str(self.title)
        return f"{self.title}: {labels}, {self.categories[0]}–{self.categories[-1]}."

    @property
    def legend(self):
        """(label, swatch) per series: the legend is HTML beside the drawing, so long body
        names wrap instead of being cut."""
        return [
            (
                label,
                format_html(
                    '<svg width="12" height="12" aria-hidden="true" focusable="false">'
                    '<rect width="12" height="12" fill="{}"/></svg>',
                    COLOURS[s % len(COLOURS)],
                ),
            )
            for s, (label, _) in enumerate(self.series)
        ]

    @property
    def rows(self):
        """The table behind the chart: one row per category, a column per series."""
        return [
            (category, [self.format(values[i]) for _, values in self.series])
            for i, category in enumerate(self.categories)
        ]

    def svg(self):
        if self.is_empty:
            return ""
        plot_width = WIDTH - MARGIN_LEFT - 8
        plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
        slot = plot_width / max(len(self.categories), 1)
        bar = max(min(slot * 0.8 / max(len(self.series), 1), 28), 2)
        top = nice_ceiling(self._max)
        parts = []
        for fraction in (0, 0.5, 1) if top % 2 == 0 else (0, 1):
            y = MARGIN_TOP + plot_height * (1 - fraction)
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c8c8c8"/>'
                    '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                    MARGIN_LEFT,
                    WIDTH - 8,
                    round(y, 1),
                    round(y, 1),
                    MARGIN_LEFT - 6,
                    round(y + 4, 1),
                    format_number(round(top * fraction)),
                )
            )
        every = max(1, len(self.categories) // 12)
        for i, category in enumerate(self.categories):
            left = MARGIN_LEFT + slot * i + (slot - bar * len(self.series)) / 2
            for s, (label, values) in enumerate(self.series):
                height = plot_height * values[i] / top if top else 0
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{} – {}: {}</title></rect>",
                        round(left + bar * s, 1),
                        round(MARGIN_TOP + plot_height - height, 1),
                        round(bar - 1, 1),
                        round(height, 1),
                        COLOURS[s % len(COLOURS)],
                        label,
                        category,
                        self.format(values[i]),
                    )
                )
            if i % every == 0:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                        round(MARGIN_LEFT + slot * (i + 0.5), 1),
                        HEIGHT - MARGIN_BOTTOM + 16,
                        truncate(category, max(int(slot / 6), 4)),
                    )
                )
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title {}-desc" class="chart">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
            WIDTH,
            HEIGHT,
            self.slug,
            self.slug,
            self.slug,
            self.title,
            self.slug,
            self.description,
            mark_safe("".join(str(part) for part in parts)),  # each part escaped above
        )


def nice_ceiling(value):
    """The axis top: 1, 2 or 5 times a power of ten, at or above the largest value."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def truncate(text, length):
    text = str(text)
    return escape(text if len(text) <= length else text[: length - 1] + "…")
