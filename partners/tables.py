import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from municipality import archive
from municipality.money import format_kronor
from partners.models import Organisation, Partnership

STATUS_BADGES = {
    Partnership.Status.PLANNED: "text-bg-secondary",
    Partnership.Status.ACTIVE: "text-bg-success",
    Partnership.Status.EXPIRING: "text-bg-warning",
    Partnership.Status.ENDED: "text-bg-light border",
}


def status_badges(partnership):
    """The derived status, and a red flag when last year's follow-up is missing."""
    status = partnership.status
    badges = [format_html('<span class="badge {}">{}</span>', STATUS_BADGES[status], status.label)]
    if partnership.is_archived:
        badges.append(archive.badge(partnership))
    if partnership.follow_up_overdue:
        badges.append(
            format_html('<span class="badge text-bg-danger">{}</span>', _("follow-up overdue"))
        )
    return format_html_join(" ", "{}", ((badge,) for badge in badges))


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    org_number = tables.Column(verbose_name=_("Organisation number"))
    legal_form = tables.Column(verbose_name=_("Legal form"))
    target_groups = tables.ManyToManyColumn(verbose_name=_("Target groups"), orderable=False)
    areas = tables.ManyToManyColumn(verbose_name=_("Areas"), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))

    class Meta:
        model = Organisation
        fields = ["name", "org_number", "legal_form", "target_groups", "areas", "is_active"]
        empty_text = _("No organisations match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_name(self, record, value):
        return format_html("{} {}", value, archive.badge(record))

    def render_org_number(self, value):
        return value or format_html('<span class="badge text-bg-warning">{}</span>', _("none"))

    def render_legal_form(self, record):
        return record.get_legal_form_display()


class PartnershipTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    parties = tables.ManyToManyColumn(verbose_name=_("Parties"), orderable=False)
    run_by = tables.Column(verbose_name=_("Run by"))
    start_date = tables.DateColumn(verbose_name=_("Start"), attrs={"td": {"class": "text-nowrap"}})
    end_date = tables.DateColumn(verbose_name=_("End"), attrs={"td": {"class": "text-nowrap"}})
    yearly_compensation = tables.Column(
        verbose_name=_("Per year"),
        attrs={"td": {"class": "amount"}, "th": {"class": "amount"}},
    )
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta:
        model = Partnership
        fields = [
            "title",
            "parties",
            "run_by",
            "start_date",
            "end_date",
            "yearly_compensation",
            "status",
        ]
        empty_text = _("No agreements match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_yearly_compensation(self, value):
        return format_kronor(value)

    def render_status(self, record):
        return status_badges(record)
