import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dialogues.models import Forum, Meeting, Observation
from municipality import archive

STATUS_CLASSES = {
    Meeting.Status.PLANNED: "text-bg-info",
    Meeting.Status.HELD: "text-bg-success",
    Meeting.Status.CANCELLED: "text-bg-secondary",
    Observation.Status.OPEN: "text-bg-warning",
    Observation.Status.FORWARDED: "text-bg-info",
    Observation.Status.HANDLED: "text-bg-success",
}


def badge(value, label):
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASSES[value], label)


class ForumTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    owner = tables.Column(
        verbose_name=_("Owner"),
        accessor="owner",
        order_by=("owner__name",),
    )
    cadence = tables.Column(verbose_name=_("Cadence"))
    member_count = tables.Column(
        verbose_name=_("Member organisations"), attrs={"td": {"class": "amount"}}
    )

    class Meta:
        model = Forum
        fields = ["name", "kind", "owner", "cadence", "member_count"]
        empty_text = _("No forums match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}


class MeetingTable(tables.Table):
    start = tables.Column(verbose_name=_("When"), attrs={"td": {"class": "text-nowrap"}})
    week = tables.Column(verbose_name=_("Week"), accessor="iso_week", orderable=False)
    title = tables.Column(linkify=True, verbose_name=_("Meeting"))
    forum = tables.Column(verbose_name=_("Forum"), linkify=True)
    owner = tables.Column(verbose_name=_("Owner"), accessor="forum__owner", orderable=False)
    place = tables.Column(verbose_name=_("Place"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Meeting
        fields = ["start", "week", "title", "forum", "owner", "place", "status"]
        empty_text = _("No meetings match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_start(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_status(self, record):
        return format_html(
            "{} {}", badge(record.status, record.get_status_display()), archive.badge(record)
        )


class ObservationTable(tables.Table):
    text = tables.Column(
        verbose_name=_("What was raised"), linkify=lambda record: record.get_absolute_url()
    )
    organisation = tables.Column(verbose_name=_("Raised by"))
    meeting = tables.Column(verbose_name=_("Meeting"))
    forwarded_to = tables.Column(verbose_name=_("Forwarded to"))
    feedback_due = tables.DateColumn(verbose_name=_("Feedback due"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Observation
        fields = ["text", "organisation", "meeting", "forwarded_to", "feedback_due", "status"]
        empty_text = _("No issues match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_text(self, value):
        return value if len(value) <= 90 else value[:88] + "…"

    def render_meeting(self, record, value):
        if getattr(record, "meeting_visible", False):
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
        return value

    def render_status(self, record):
        label = badge(record.status, record.get_status_display())
        if record.is_overdue:
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', label, _("overdue")
            )
        return label
