import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRows

from grants.models import Grant
from municipality.money import format_kronor

STATUS_BADGES = {
    Grant.Status.APPLIED: "text-bg-secondary",
    Grant.Status.GRANTED: "text-bg-primary",
    Grant.Status.PARTLY: "text-bg-primary",
    Grant.Status.REJECTED: "text-bg-light border",
    Grant.Status.PAID: "text-bg-success",
    Grant.Status.REPORTED: "text-bg-success",
    Grant.Status.RECOVERY: "text-bg-danger",
}


# What GrantQuerySet.with_figures() adds to each grant.
FIGURES = ("paid_total", "recovery_total", "reported", "report_overdue", "status")


class KronorColumn(tables.Column):
    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_kronor(value)


class GrantTable(tables.Table):
    organisation = tables.Column(verbose_name=_("Organisation"), linkify=False)
    scheme = tables.Column(verbose_name=_("Scheme"))
    year = tables.Column(verbose_name=_("Year"))
    status = tables.Column(verbose_name=_("Status"))
    applied_amount = KronorColumn(verbose_name=_("Applied for"))
    granted_amount = KronorColumn(verbose_name=_("Granted"))
    paid_total = KronorColumn(verbose_name=_("Paid"))
    decision_date = tables.DateColumn(
        verbose_name=_("Decided"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}}
    )
    details = tables.LinkColumn(
        "grant_detail", args=[tables.A("pk")], text=_("Open"), orderable=False, verbose_name=""
    )

    class Meta:
        model = Grant
        fields = [
            "organisation",
            "scheme",
            "year",
            "status",
            "applied_amount",
            "granted_amount",
            "paid_total",
            "decision_date",
        ]
        empty_text = _("No grants match the filter.")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def paginate(self, *args, **kwargs):
        """Paid so far and the status, for the rows of the page only: computed for every
        grant, they would be computed for all before the page is cut."""
        super().paginate(*args, **kwargs)
        grants = list(self.page.object_list.data)
        figures = {
            grant.pk: grant
            for grant in Grant.objects.filter(pk__in=[g.pk for g in grants])
            .with_figures()
            .only("pk")
        }
        for grant in grants:
            for name in FIGURES:
                setattr(grant, name, getattr(figures[grant.pk], name))
        self.page.object_list = BoundRows(data=grants, table=self)
        return self

    def order_status(self, queryset, is_descending):
        return queryset.with_figures().order_by(("-" if is_descending else "") + "status"), True

    def order_paid_total(self, queryset, is_descending):
        ordered = ("-" if is_descending else "") + "paid_total"
        return queryset.with_figures().order_by(ordered), True

    def render_status(self, record):
        badges = [
            format_html(
                '<span class="badge {}">{}</span>',
                STATUS_BADGES[record.status],
                Grant.Status(record.status).label,
            )
        ]
        if record.report_overdue:
            badges.append(
                format_html(' <span class="badge text-bg-warning">{}</span>', _("report overdue"))
            )
        return format_html("{}{}", badges[0], badges[1] if len(badges) > 1 else "")
