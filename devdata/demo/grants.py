"""Demo grants: ASN's schemes with levels raised from 2026 (seed 000), three years of
grants to the demo organisations, some paid and reported back, one recovery, one report
overdue. Fictional figures; names of organisations and committees from the seeds."""

import datetime

from django.db import transaction
from stdnum import luhn

from grants import giro
from grants.models import Grant, GrantLevel, GrantReport, GrantScheme, Payment, PaymentAccount
from municipality.models import Body, User
from partners.models import Organisation

ASN = "Arbetsmarknads- och socialnämnden"
D = datetime.date
COMMITTEE, DELEGATE = Grant.DecidedBy.COMMITTEE, Grant.DecidedBy.DELEGATE
BANKGIRO = PaymentAccount.Kind.BANKGIRO

# (name, kind, {year: (amount, is ceiling, decision)})
SCHEMES = [
    (
        "Verksamhetsbidrag socialt arbete",
        GrantScheme.Kind.OPERATING,
        {
            2024: (900_000, True, "ASN 2023-11-22 § 201"),
            2025: (900_000, True, "ASN 2024-11-20 § 198"),
            2026: (1_100_000, True, "ASN 2025-11-19 § 245"),
        },
    ),
    (
        "Organisationsbidrag brukarföreningar",
        GrantScheme.Kind.ORGANISATION,
        {
            2024: (150_000, True, "ASN 2023-11-22 § 202"),
            2025: (150_000, True, "ASN 2024-11-20 § 199"),
            2026: (180_000, True, "ASN 2025-11-19 § 246"),
        },
    ),
    (
        "Projektbidrag vinterinsatser",
        GrantScheme.Kind.PROJECT,
        {
            2025: (250_000, True, "ASN 2024-11-20 § 200"),
            2026: (300_000, True, "ASN 2025-11-19 § 247"),
        },
    ),
]

# (organisation, scheme, year, applied, granted, decided by, paid?, report)
# report: None, "approved", "recovery", "overdue", "pending"
GRANTS = [
    ("Stiftelsen Stadsmissionen i Malmö", 0, 2024, 850_000, 800_000, COMMITTEE, True, "approved"),
    ("Stiftelsen Stadsmissionen i Malmö", 0, 2025, 900_000, 900_000, COMMITTEE, True, "approved"),
    (
        "Stiftelsen Stadsmissionen i Malmö",
        0,
        2026,
        1_100_000,
        1_050_000,
        COMMITTEE,
        True,
        "pending",
    ),
    ("Röda Korset Malmö krets", 0, 2025, 400_000, 350_000, COMMITTEE, True, "approved"),
    ("Röda Korset Malmö krets", 0, 2026, 450_000, 450_000, COMMITTEE, True, "pending"),
    ("Röda Korset Malmö krets", 2, 2025, 120_000, 100_000, DELEGATE, True, "recovery"),
    ("Brukarföreningen Malmö", 1, 2024, 150_000, 150_000, DELEGATE, True, "approved"),
    ("Brukarföreningen Malmö", 1, 2025, 150_000, 150_000, DELEGATE, True, "overdue"),
    ("Brukarföreningen Malmö", 1, 2026, 180_000, None, "", False, None),
    ("Föreningen Gatans röst", 1, 2026, 90_000, 60_000, DELEGATE, True, "pending"),
    ("Svenska kyrkan i Malmö", 2, 2026, 200_000, 200_000, DELEGATE, False, None),
    ("Nätverket Varma händer", 2, 2026, 50_000, 0, DELEGATE, False, None),
]


def account_for(index):
    base = f"55{index:04d}"
    return giro.validate(BANKGIRO, base + luhn.calc_check_digit(base))


@transaction.atomic
def build():
    committee = Body.objects.filter(name=ASN, municipality__code="1280").first()
    if committee is None:
        return None
    officer = User.objects.filter(username="tjansteperson").first()
    schemes = []
    for name, kind, levels in SCHEMES:
        scheme, _ = GrantScheme.objects.get_or_create(
            committee=committee, name=name, defaults={"kind": kind}
        )
        for year, (amount, ceiling, decision) in levels.items():
            GrantLevel.objects.get_or_create(
                scheme=scheme,
                year=year,
                defaults={"amount": amount, "is_ceiling": ceiling, "decision": decision},
            )
        schemes.append(scheme)
    organisations = {
        o.name: o for o in Organisation.objects.filter(municipality=committee.municipality)
    }
    for index, name in enumerate(sorted(organisations)):
        PaymentAccount.objects.get_or_create(
            organisation=organisations[name],
            defaults={"kind": BANKGIRO, "number": account_for(index)},
        )
    for number, row in enumerate(GRANTS, start=1):
        name, scheme_index, year, applied, granted, decided_by, paid, report = row
        organisation = organisations.get(name)
        if organisation is None:
            continue
        scheme = schemes[scheme_index]
        if Grant.objects.filter(organisation=organisation, scheme=scheme, year=year).exists():
            continue
        decided = decided_by != ""
        decision = Grant.Decision.APPLIED
        if decided:
            decision = (
                Grant.Decision.REJECTED
                if not granted
                else Grant.Decision.GRANTED
                if granted >= applied
                else Grant.Decision.PARTLY
            )
        decision_date = D(year - 1, 12, 10) if decided_by == COMMITTEE else D(year, 2, 14)
        grant = Grant.objects.create(
            organisation=organisation,
            scheme=scheme,
            year=year,
            purpose=f"{scheme.get_kind_display()} för {year}: stöd till personer i utsatthet.",
            applied_amount=applied,
            granted_amount=granted if decided else None,
            decision=decision,
            decided_by=decided_by,
            decision_date=decision_date if decided else None,
            decision_reference=(
                (f"ASN {decision_date:%Y-%m-%d} § {200 + number}")
                if decided_by == COMMITTEE
                else f"Delegationsbeslut D-{year}-{number:03d}"
            )
            if decided
            else "",
            case_number=f"ASN-{year - 1 if decided_by == COMMITTEE else year}-{1000 + number}",
            decision_maker=(
                "Arbetsmarknads- och socialnämnden"
                if decided_by == COMMITTEE
                else "Elin Ström, enhetschef (delegat)"
            )
            if decided
            else "",
            no_conflict_of_interest=decided,
            created_by=officer,
        )
        if paid and granted:
            account = organisation.payment_account
            Payment.objects.create(
                grant=grant,
                paid_on=D(year, 3, 1) if decided_by == COMMITTEE else D(year, 3, 15),
                amount=granted,
                account_kind=account.kind,
                account_number=account.number,
                reference=f"Utbetalning {grant.case_number}",
                created_by=officer,
            )
        if report:
            due = D(year + 1, 3, 31)
            received = {
                "approved": due - datetime.timedelta(days=20),
                "recovery": D(year + 1, 3, 2),
            }
            recovery = 40_000 if report == "recovery" else 0
            GrantReport.objects.create(
                grant=grant,
                due_on=D(2026, 6, 30) if report == "overdue" else due,
                received_on=received.get(report),
                approved={"approved": True, "recovery": False}.get(report),
                comment={
                    "approved": "Verksamheten genomförd enligt ansökan.",
                    "recovery": "Delar av projektet genomfördes inte.",
                }.get(report, ""),
                recovery_amount=recovery,
                recovery_reason="Insatserna i februari ställdes in." if recovery else "",
            )
    # One organisation changed its account after being paid: auditors should see it.
    changed = PaymentAccount.objects.filter(organisation__name="Röda Korset Malmö krets").first()
    if changed is not None and changed.history.count() == 1:
        changed.number = account_for(99)
        changed.save()
    return None
