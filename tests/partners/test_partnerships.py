import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners.models import FollowUp, Organisation, Partnership, ReminderSent

D = datetime.date


def form_data(cast, **overrides):
    data = {
        "title": "IOP Crossroads",
        "case_number": "ASN-2022-04410",
        "parties": [cast.org.pk],
        "decided_by": cast.asn.pk,
        "run_by": cast.asf.pk,
        "purpose": "Rådgivning och stöd.",
        "activities": "Crossroads",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "yearly_compensation": "2100000",
        "notice_period_months": "6",
        "state_aid": "none",
    }
    return {**data, **overrides}


def test_staff_create_an_agreement(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("partnership_create"), form_data(cast))
    partnership = Partnership.objects.get(title="IOP Crossroads")
    assert response.headers["Location"] == reverse("partnership_detail", args=[partnership.pk])
    assert list(partnership.parties.all()) == [cast.org]
    assert partnership.last_notice_date == D(2028, 6, 30)
    html = client.get(response.headers["Location"]).content.decode()
    assert "2\xa0100\xa0000\xa0kr" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2025-12-31"}, "end_date", "Slutdatum kan inte vara före startdatum."),
        ({"yearly_compensation": "-5"}, "yearly_compensation", None),
        ({"yearly_compensation": "två miljoner"}, "yearly_compensation", "Fyll i ett heltal."),
        ({"parties": []}, "parties", "Välj minst en organisation som part."),
        ({"start_date": "01/02/2026"}, "start_date", "Skriv datumet som 2026-12-07."),
        ({"run_by": "FRF"}, "run_by", None),
    ],
)
def test_bad_input_saves_nothing(client, cast, overrides, field, message):
    client.force_login(cast.staff)
    before = Partnership.objects.count()
    data = form_data(cast, **overrides)
    if field == "run_by":
        data["run_by"] = cast.frf.pk  # another förvaltning's: not the user's to run
    response = client.post(reverse("partnership_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert Partnership.objects.count() == before


def test_database_refuses_end_before_start_and_negative_amounts(cast):
    for bad in ({"end_date": D(2023, 12, 31)}, {"yearly_compensation": -1}):
        fields = {
            "title": "Fel",
            "decided_by": cast.asn,
            "run_by": cast.asf,
            "purpose": "x",
            "start_date": D(2024, 1, 1),
            "end_date": D(2025, 1, 1),
            **bad,
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Partnership.objects.create(**fields)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2023, 12, 31), "planned"),
        (D(2024, 1, 1), "active"),
        (D(2027, 6, 30), "active"),  # the last day to give notice (6 months before the end)
        (D(2027, 7, 1), "expiring"),  # notice day passed
        (D(2027, 12, 31), "expiring"),
        (D(2028, 1, 1), "ended"),
    ],
)
def test_status_is_derived_from_dates_on_the_boundaries(cast, today, status):
    partnership = cast.partnership
    partnership.notice_period_months = 6
    partnership.save()
    assert partnership.last_notice_date == D(2027, 6, 30)
    assert partnership.status_on(today) == status
    matching = Partnership.objects.with_status(status, today=today)
    assert partnership in matching
    others = {"planned", "active", "expiring", "ended"} - {status}
    assert all(partnership not in Partnership.objects.with_status(s, today=today) for s in others)


def test_expiring_within_90_days_even_before_notice_day(cast):
    partnership = cast.partnership
    partnership.notice_period_months = 0
    partnership.save()
    assert partnership.status_on(D(2027, 10, 1)) == "active"  # 91 days left
    assert partnership.status_on(D(2027, 10, 2)) == "expiring"  # 90 days left
    assert partnership in Partnership.objects.with_status("expiring", today=D(2027, 10, 2))
    assert partnership in Partnership.objects.with_status("active", today=D(2027, 10, 1))


def test_status_filter_on_the_list(client, cast):
    cast.other_partnership.end_date = D(2025, 12, 31)
    cast.other_partnership.save()
    client.force_login(cast.staff)
    ended = client.get(reverse("partnership_list"), {"status": "ended"})
    assert [p.title for p in ended.context["table"].data] == ["IOP Fritid"]


def test_follow_up_overdue_and_recorded(client, cast, settings):
    partnership = cast.partnership
    assert partnership.follow_up_overdue_on(D(2026, 3, 1)) is True
    client.force_login(cast.staff)
    response = client.post(
        reverse("follow_up_create", args=[partnership.pk]),
        {"date": "2026-02-20", "year": "2025", "assessment": "good", "summary": "Bra år."},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(pk=partnership.pk)
    assert partnership.follow_up_overdue_on(D(2026, 3, 1)) is False
    again = client.post(
        reverse("follow_up_create", args=[partnership.pk]),
        {"date": "2026-02-21", "year": "2025", "assessment": "good", "summary": "Igen."},
    )
    assert again.context["form"].errors["year"] == [
        "Avtalet har redan en uppföljning för det året."
    ]
    assert FollowUp.objects.filter(partnership=partnership).count() == 1


def test_agreement_started_this_year_needs_no_follow_up_yet(cast):
    cast.partnership.start_date = D(2026, 1, 1)
    cast.partnership.save()
    assert cast.partnership.follow_up_overdue_on(D(2026, 6, 1)) is False


def test_renewal_chain_timeline(client, cast):
    later = Partnership.objects.create(
        title="IOP Värmestugor 2028–2030",
        decided_by=cast.asn,
        run_by=cast.asf,
        purpose="x",
        start_date=D(2028, 1, 1),
        end_date=D(2030, 12, 31),
        renews=cast.partnership,
    )
    later.parties.add(cast.org)
    assert cast.partnership.renewal_chain() == [cast.partnership, later]
    client.force_login(cast.auditor)
    response = client.get(reverse("partnership_detail", args=[later.pk]))
    assert response.context["chain"] == [cast.partnership, later]


def test_agreement_history_is_field_by_field(client, cast):
    client.force_login(cast.staff)
    client.post(
        reverse("partnership_update", args=[cast.partnership.pk]),
        form_data(
            cast,
            title="IOP Värmestugor",
            yearly_compensation="1250000",
            start_date="2024-01-01",
            end_date="2027-12-31",
            notice_period_months="3",
        ),
    )
    client.force_login(cast.auditor)
    newest = client.get(reverse("partnership_detail", args=[cast.partnership.pk])).context[
        "history"
    ][0]
    assert newest.who == cast.staff
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["ersättning per år (kr)"] == ("1\xa0000\xa0000\xa0kr", "1\xa0250\xa0000\xa0kr")
    assert changes["statsstödsbedömning"] == ("inte bedömd ännu", "ingen statsstödsfråga")


def test_elected_member_sees_only_their_committees_agreements(client, cast):
    client.force_login(cast.elected)
    listed = client.get(reverse("partnership_list")).context["table"].data
    assert [p.title for p in listed] == ["IOP Värmestugor"]
    assert (
        client.get(reverse("partnership_detail", args=[cast.other_partnership.pk])).status_code
        == 404
    )


def test_representative_sees_agreements_their_organisation_is_party_to(client, cast):
    client.force_login(cast.representative)
    listed = client.get(reverse("partnership_list")).context["table"].data
    assert [p.title for p in listed] == ["IOP Värmestugor"]


def test_auditor_reads_everything_in_the_municipality_and_changes_nothing(client, cast):
    client.force_login(cast.auditor)
    listed = client.get(reverse("partnership_list")).context["table"].data
    assert {p.title for p in listed} == {"IOP Värmestugor", "IOP Fritid"}
    response = client.post(
        reverse("partnership_update", args=[cast.partnership.pk]), form_data(cast, title="Ändrad")
    )
    assert response.status_code == 403
    assert Partnership.objects.get(pk=cast.partnership.pk).title == "IOP Värmestugor"


@pytest.mark.parametrize("path", ["organisation_list", "partnership_list"])
def test_list_pages_use_a_constant_number_of_queries(client, cast, path, django_assert_num_queries):
    client.force_login(cast.staff)
    client.get(reverse(path))

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(path))
        assert response.status_code == 200
        return len(queries)

    small = count()
    for i in range(30):
        organisation = Organisation.objects.create(municipality=cast.malmo, name=f"Förening {i}")
        partnership = Partnership.objects.create(
            title=f"IOP {i}",
            decided_by=cast.asn,
            run_by=cast.asf,
            purpose="x",
            start_date=D(2020, 1, 1),
            end_date=D(2030, 1, 1),
        )
        partnership.parties.add(organisation, cast.org)
        FollowUp.objects.create(
            partnership=partnership, year=2024, date=D(2025, 1, 1), assessment="good", summary="x"
        )
    assert count() == small


# Reminders ------------------------------------------------------------------------------


def test_reminders_go_once_per_agreement_and_threshold(cast, mailoutbox):
    partnership = cast.partnership  # ends 2027-12-31, notice 3 months: 2027-09-30
    FollowUp.objects.create(
        partnership=partnership, year=2026, date=D(2027, 2, 1), assessment="good", summary="x"
    )
    Partnership.objects.exclude(pk=partnership.pk).delete()
    call_command("remind_partnerships", "--days", "90", "--today", "2027-07-15")
    assert [m.subject for m in mailoutbox] == [
        "Sista dag för uppsägning av ”IOP Värmestugor”: 2027-09-30"
    ]
    assert mailoutbox[0].to == ["staff@example.se"]
    assert reverse("partnership_detail", args=[partnership.pk]) in mailoutbox[0].body
    call_command("remind_partnerships", "--days", "90", "--today", "2027-07-16")
    assert len(mailoutbox) == 1
    call_command("remind_partnerships", "--days", "90", "--today", "2027-10-15")
    assert mailoutbox[-1].subject == "IOP-avtalet ”IOP Värmestugor” löper ut 2027-12-31"
    call_command("remind_partnerships", "--days", "30", "--today", "2027-12-05")
    assert mailoutbox[-1].subject == "IOP-avtalet ”IOP Värmestugor” löper ut 2027-12-31"
    assert len(mailoutbox) == 3
    assert ReminderSent.objects.filter(partnership=partnership).count() == 3


def test_renewed_agreement_gets_no_ending_or_notice_reminders(cast, mailoutbox):
    renewal = Partnership.objects.create(
        title="IOP Värmestugor 2028–2030",
        decided_by=cast.asn,
        run_by=cast.asf,
        purpose="x",
        start_date=D(2028, 1, 1),
        end_date=D(2030, 12, 31),
        renews=cast.partnership,
    )
    renewal.parties.add(cast.org)
    for today in ("2027-07-15", "2027-10-15"):
        call_command("remind_partnerships", "--days", "90", "--today", today)
    reminded = {
        (r.partnership.title, r.kind) for r in ReminderSent.objects.select_related("partnership")
    }
    assert ("IOP Värmestugor", ReminderSent.Kind.ENDING) not in reminded
    assert ("IOP Värmestugor", ReminderSent.Kind.NOTICE) not in reminded
    assert ("IOP Värmestugor", ReminderSent.Kind.FOLLOW_UP) in reminded
    assert ("IOP Fritid", ReminderSent.Kind.ENDING) in reminded
    assert ("IOP Fritid", ReminderSent.Kind.NOTICE) in reminded


def test_overdue_follow_up_is_reminded_once(cast, mailoutbox):
    call_command("remind_partnerships", "--today", "2026-03-01")
    subjects = [m.subject for m in mailoutbox]
    assert "Uppföljning 2025 saknas för ”IOP Värmestugor”" in subjects
    call_command("remind_partnerships", "--today", "2026-03-02")
    assert [m.subject for m in mailoutbox] == subjects


def test_reminders_reach_only_the_running_administrations_staff(cast, mailoutbox):
    call_command("remind_partnerships", "--today", "2026-03-01")
    recipients = {tuple(m.to) for m in mailoutbox}
    assert recipients == {
        ("staff@example.se",),
        ("other_staff@example.se",),
        ("kalmar_staff@example.se",),
    }
    by_title = {m.subject.split("”")[1]: m.to for m in mailoutbox}
    assert by_title["IOP Värmestugor"] == ["staff@example.se"]
    assert by_title["IOP Fritid"] == ["other_staff@example.se"]


def test_reminder_command_refuses_bad_arguments(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_partnerships", "--today", "2026/03/01")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("remind_partnerships", "--days", "0")
    assert mail.outbox == []


def test_parties_are_searchable_checkboxes_with_their_script_and_save(client, cast):
    """No Ctrl-click: the parties are ticked, among a search box the page's script serves."""
    client.force_login(cast.staff)
    html = client.get(reverse("partnership_create")).content.decode()
    assert 'type="checkbox" name="parties"' in html
    assert 'data-filter-checkboxes="id_parties_list"' in html
    assert "js/checkbox-filter" in html and "Ctrl" not in html
    data = form_data(cast, parties=[cast.org.pk, cast.other_org.pk])
    client.post(reverse("partnership_create"), data)
    partnership = Partnership.objects.get(title="IOP Crossroads")
    assert set(partnership.parties.all()) == {cast.org, cast.other_org}


def test_forum_form_loads_the_checkbox_search_script(client, cast):
    client.force_login(cast.staff)
    html = client.get(reverse("forum_update", args=[cast.asf_forum.pk])).content.decode()
    assert "js/checkbox-filter" in html
