"""The organisation list and the IOP list as .xlsx (municipality.list_exports): the rows
of the list's filter, one per organisation or agreement, with Swedish headers, dates as
dates and kronor as numbers. Everything a row shows is read up front (the sets by one
prefetch each), so the queries are a fixed few however many rows."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from municipality import access, list_exports
from municipality.spreadsheet import Column
from partners.filters import OrganisationFilter, PartnershipFilter
from partners.models import Area, Organisation, Partnership, TargetGroup

YES, NO = "Ja", "Nej"

ORGANISATION_COLUMNS = [
    Column("Namn"),
    Column("Organisationsnummer"),
    Column("Juridisk form"),
    Column("Gatuadress"),
    Column("Postnummer"),
    Column("Ort"),
    Column("E-post"),
    Column("Telefon"),
    Column("Webbplats"),
    Column("Målgrupper"),
    Column("Områden"),
    Column("Aktiv"),
    Column("Arkiverad", "date"),
]

PARTNERSHIP_COLUMNS = [
    Column("Titel"),
    Column("Diarienummer"),
    Column("Parter"),
    Column("Beslutad av"),
    Column("Drivs av"),
    Column("Startdatum", "date"),
    Column("Slutdatum", "date"),
    Column("Ersättning per år", "kronor"),
    Column("Uppsägningstid (månader)"),
    Column("Sista dag för uppsägning", "date"),
    Column("Status"),
    Column("Senaste uppföljning (år)"),
    Column("Uppföljning försenad"),
    Column("Arkiverad", "date"),
]


def organisation_filter(user, data):
    """The organisation list's filter over what the user may see (the page's own)."""
    return OrganisationFilter(
        data,
        queryset=Organisation.objects.visible_to(user).prefetch_related("target_groups", "areas"),
        municipality_id=access.scope_for(user).municipality_id,
    )


def partnership_filter(user, data):
    """The IOP list's filter over what the user may see (the page's own)."""
    return PartnershipFilter(
        data,
        queryset=Partnership.objects.visible_to(user).for_table(),
        user=user,
        municipality_id=access.scope_for(user).municipality_id,
    )


def names(objects):
    return "; ".join(sorted(str(o) for o in objects))


def archived_on(record):
    return record.archived_at.date() if record.archived_at else None


def organisations(queryset, user=None, filters=(), progress=None):
    """The organisations of `queryset` as .xlsx bytes."""
    queryset = (
        queryset.prefetch_related(None)
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
        )
        .order_by("name", "pk")
    )
    rows = (
        [
            organisation.name,
            organisation.org_number,
            organisation.get_legal_form_display(),
            organisation.street_address,
            organisation.postal_code,
            organisation.city,
            organisation.email,
            organisation.phone,
            organisation.website,
            names(organisation.target_groups.all()),
            names(organisation.areas.all()),
            YES if organisation.is_active else NO,
            archived_on(organisation),
        ]
        for organisation in queryset.iterator(chunk_size=2000)
    )
    return list_exports.single_table(
        "Organisationer", ORGANISATION_COLUMNS, rows, progress, queryset.count, filters
    )


def partnerships(queryset, user=None, filters=(), progress=None):
    """The IOP agreements of `queryset` as .xlsx bytes."""
    queryset = queryset.select_related("decided_by", "run_by").order_by("-start_date", "pk")
    rows = (
        [
            partnership.title,
            partnership.case_number,
            names(partnership.parties.all()),
            str(partnership.decided_by),
            str(partnership.run_by),
            partnership.start_date,
            partnership.end_date,
            partnership.yearly_compensation,
            partnership.notice_period_months,
            partnership.last_notice_date,
            str(partnership.status.label),
            partnership.last_follow_up_year,
            YES if partnership.follow_up_overdue else NO,
            archived_on(partnership),
        ]
        for partnership in queryset.iterator(chunk_size=2000)
    )
    return list_exports.single_table(
        "IOP-avtal", PARTNERSHIP_COLUMNS, rows, progress, queryset.count, filters
    )


ORGANISATIONS = list_exports.register(
    list_exports.ListExport(
        kind="organisation_list",
        title=_("Organisations (.xlsx)"),
        stem="organisationer",
        list_url="organisation_list",
        filtered=organisation_filter,
        write=organisations,
    )
)
PARTNERSHIPS = list_exports.register(
    list_exports.ListExport(
        kind="partnership_list",
        title=_("IOP agreements (.xlsx)"),
        stem="iop-avtal",
        list_url="partnership_list",
        filtered=partnership_filter,
        write=partnerships,
    )
)
