"""Scale data for grants: each committee's schemes with yearly levels, a bankgiro account
per organisation, grants decided by the committee or a delegate, payments (some in two
parts, a few reversed) and reports back, some with a recovery."""

import datetime

from django.utils import timezone
from stdnum import luhn

from devdata.scale.words import THEMES
from grants import giro
from grants.models import Grant, GrantLevel, GrantReport, GrantScheme, Payment, PaymentAccount

SCHEME_KINDS = [
    (GrantScheme.Kind.ORGANISATION, "Organisationsbidrag"),
    (GrantScheme.Kind.OPERATING, "Verksamhetsbidrag"),
    (GrantScheme.Kind.PROJECT, "Projektbidrag"),
    (GrantScheme.Kind.PREMISES, "Lokalbidrag"),
    (GrantScheme.Kind.DEVELOPMENT, "Utvecklingsbidrag"),
]
Decision = Grant.Decision
DECIDED_BY = (Grant.DecidedBy.COMMITTEE, Grant.DecidedBy.DELEGATE)
DECIDED_BY_WEIGHTS = (35, 65)
DECISIONS = (Decision.GRANTED, Decision.PARTLY, Decision.REJECTED)
DECISION_WEIGHTS = (70, 18, 12)


def bankgiro(serial):
    """A valid bankgiro number, written the usual way: 5, a serial and the check digit."""
    base = f"5{serial % 1_000_000:06d}"
    return giro.validate(PaymentAccount.Kind.BANKGIRO, base + luhn.calc_check_digit(base))


def schemes_and_levels(run, city):
    rng, bodies = run.rng, city.bodies
    schemes, levels = [], []
    for committee in bodies.committees:
        for kind, label in rng.sample(SCHEME_KINDS, rng.randint(2, 4)):
            schemes.append(
                GrantScheme(
                    committee=committee,
                    name=f"{label} {committee.short_name}",
                    kind=kind,
                    description=f"{label} som {committee.name} beslutar om.",
                )
            )
    schemes = run.bulk(GrantScheme, schemes)
    run.history(
        GrantScheme,
        schemes,
        lambda s: run.moment(run.first_day),
        lambda s: bodies.keeper[s.committee_id],
    )
    for scheme in schemes:
        amount = rng.randint(5, 50) * 10_000
        for year in range(run.first_day.year, run.today.year + 2):
            amount += rng.choice((0, 0, 10_000, 20_000))
            levels.append(
                GrantLevel(
                    scheme=scheme,
                    year=year,
                    amount=amount,
                    is_ceiling=True,
                    decision=f"{year - 1}-11-20 § {rng.randint(100, 300)}",
                )
            )
    run.bulk(GrantLevel, levels)
    return schemes


def accounts(run, city):
    """Each organisation's confirmed account, as it stands from the first day."""
    rows = [
        PaymentAccount(
            organisation=org,
            kind=PaymentAccount.Kind.BANKGIRO,
            number=bankgiro(city.index * 100_000 + index),
        )
        for index, org in enumerate(city.orgs.rows)
    ]
    rows = run.bulk(PaymentAccount, rows)
    staff = city.bodies.staff
    run.history(PaymentAccount, rows, lambda a: run.moment(run.first_day), lambda a: staff)
    return {a.organisation_id: a for a in rows}


def grants(run, city, count):
    rng, orgs = run.rng, city.orgs
    schemes = schemes_and_levels(run, city)
    label_of = {s.pk: dict(SCHEME_KINDS)[s.kind] for s in schemes}
    account_of = accounts(run, city)
    committee_short = {c.pk: c.short_name for c in city.bodies.committees}
    rows = []
    years = list(range(max(run.first_day.year, 2000), run.today.year + 1))
    org_for = orgs.busy(rng, count)
    for number in range(count):
        scheme = rng.choice(schemes)
        year = rng.choice(years)
        applied = rng.randint(1, 100) * 5_000
        decision_date = datetime.date(year, 1, 15) + datetime.timedelta(days=rng.randint(0, 300))
        decided_by = rng.choices(DECIDED_BY, DECIDED_BY_WEIGHTS)[0]
        if decision_date > run.today:
            decision, granted, decision_date, decided_by = Decision.APPLIED, None, None, ""
        else:
            decision = rng.choices(DECISIONS, DECISION_WEIGHTS)[0]
            granted = {
                Decision.GRANTED: applied,
                Decision.PARTLY: applied * rng.randint(4, 9) // 10,
                Decision.REJECTED: 0,
            }[decision]
        delegated = decided_by == Grant.DecidedBy.DELEGATE
        short = committee_short[scheme.committee_id]
        rows.append(
            Grant(
                organisation=orgs.rows[org_for[number]],
                scheme=scheme,
                year=year,
                purpose=f"{label_of[scheme.pk]} {year}: {rng.choice(THEMES)}.",
                applied_amount=applied,
                granted_amount=granted,
                decision=decision,
                decided_by=decided_by,
                decision_date=decision_date,
                decision_reference=(
                    f"{short} {decision_date:%Y-%m-%d} § {rng.randint(1, 300)}"
                    if decided_by == Grant.DecidedBy.COMMITTEE
                    else f"D-{short}-{year}-{number:05d}"
                )
                if decision_date
                else "",
                case_number=f"{short}-{year}-{number:05d}",
                decision_maker=(
                    ""
                    if not decision_date
                    else run.person() + (", enhetschef" if delegated else "")
                ),
                no_conflict_of_interest=decision != Decision.APPLIED,
                created_by=city.bodies.keeper[scheme.committee_id],
            )
        )
    grants = run.bulk(Grant, rows)
    applied_on = {g.pk: run.moment(datetime.date(g.year, 1, 10)) for g in grants}
    run.history(
        Grant, grants, lambda g: min(applied_on[g.pk], timezone.now()), lambda g: g.created_by
    )
    decided = [g for g in grants if g.decision_date]
    run.history(
        Grant,
        decided,
        lambda g: run.moment(g.decision_date, 15),
        lambda g: g.created_by,
        update=True,
    )
    payments, reports = payments_and_reports(run, city, decided, account_of)
    run.say(f"{len(grants)} grants, {len(payments)} payments, {len(reports)} reports back")


def payments_and_reports(run, city, decided, account_of):
    """What was granted is paid to the organisation's account from a few days after the
    decision (some in two parts), a few payments are reversed, and a report back is due
    the next spring."""
    rng = run.rng
    payments, reports = [], []
    for grant in decided:
        if not grant.granted_amount:
            continue
        account = account_of[grant.organisation_id]
        first = grant.decision_date + datetime.timedelta(days=rng.randint(5, 30))
        if first > run.today:
            continue
        split = rng.random() < 0.15
        parts = (
            [grant.granted_amount // 2, grant.granted_amount - grant.granted_amount // 2]
            if split
            else [grant.granted_amount]
        )
        for part_number, amount in enumerate(parts):
            paid_on = first + datetime.timedelta(days=120 * part_number)
            if paid_on > run.today:
                break
            payments.append(
                Payment(
                    grant=grant,
                    paid_on=paid_on,
                    amount=amount,
                    account_kind=account.kind,
                    account_number=account.number,
                    reference=f"Utbetalning {grant.case_number}",
                    created_by=grant.created_by,
                )
            )
        due = datetime.date(grant.year + 1, 3, 31)
        received = None
        if due < run.today + datetime.timedelta(days=90):
            received = (
                due - datetime.timedelta(days=rng.randint(-30, 60)) if rng.random() < 0.93 else None
            )
            if received is not None and received > run.today:
                received = None
        recovery = 0
        if received is not None and rng.random() < 0.02:
            recovery = min(grant.granted_amount, rng.randint(1, 10) * 5_000)
        reports.append(
            GrantReport(
                grant=grant,
                due_on=due,
                received_on=received,
                approved=(recovery == 0) if received else None,
                comment="Verksamheten genomförd enligt ansökan." if received else "",
                recovery_amount=recovery,
                recovery_reason="Delar av verksamheten genomfördes inte." if recovery else "",
            )
        )
    payments = run.bulk(Payment, payments)
    # A few wrong payments, taken back by reversing entries.
    reversals = [
        Payment(
            grant_id=p.grant_id,
            paid_on=p.paid_on + datetime.timedelta(days=3),
            amount=p.amount,
            account_kind=p.account_kind,
            account_number=p.account_number,
            reference=p.reference,
            reverses=p,
            reversal_reason="Fel belopp; nytt beslut om utbetalning.",
            created_by=p.created_by,
        )
        for p in payments
        if rng.random() < 0.003 and p.paid_on + datetime.timedelta(days=3) <= run.today
    ]
    payments += run.bulk(Payment, reversals)
    run.history(Payment, payments, lambda p: run.moment(p.paid_on, 9), lambda p: p.created_by)
    # Reports with a recovery exceed nothing paid: drop those whose payment did not happen.
    paid = {p.grant_id for p in payments}
    reports = [r for r in reports if r.grant_id in paid or r.recovery_amount == 0]
    reports = run.bulk(GrantReport, reports)
    staff = city.bodies.staff
    run.history(
        GrantReport,
        reports,
        lambda r: run.moment(r.received_on or r.due_on - datetime.timedelta(days=60), 13),
        lambda r: staff,
    )
    return payments, reports
