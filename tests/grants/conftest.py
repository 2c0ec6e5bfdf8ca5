import datetime
from dataclasses import dataclass

import pytest

from grants.models import Grant, GrantLevel, GrantReport, GrantScheme, Payment, PaymentAccount

D = datetime.date


@dataclass
class Book:
    scheme: GrantScheme  # ASN's verksamhetsbidrag
    leisure: GrantScheme  # Fritidsnämnden's scheme
    kalmar: GrantScheme
    paid: Grant  # org 2025: granted 300 000, paid, reported back
    recovered: Grant  # other_org 2025: delegated, paid, recovery 20 000
    overdue: Grant  # other_org 2024: paid, report overdue
    applied: Grant  # org 2026: applied only
    leisure_grant: Grant  # other_org, Fritidsnämnden 2026
    kalmar_grant: Grant


def grant(organisation, scheme, year, applied, granted=None, **extra):
    decided = granted is not None
    defaults = {
        "purpose": "Stöd till verksamhet för personer i hemlöshet.",
        "decision": (
            Grant.Decision.APPLIED
            if not decided
            else Grant.Decision.GRANTED
            if granted >= applied
            else Grant.Decision.PARTLY
        ),
        "decided_by": "committee" if decided else "",
        "decision_date": D(year, 2, 1) if decided else None,
        "no_conflict_of_interest": decided,
    }
    return Grant.objects.create(
        organisation=organisation,
        scheme=scheme,
        year=year,
        applied_amount=applied,
        granted_amount=granted,
        **{**defaults, **extra},
    )


def pay(grant, amount, when, number="505-0109"):
    return Payment.objects.create(
        grant=grant, paid_on=when, amount=amount, account_kind="bankgiro", account_number=number
    )


@pytest.fixture
def book(cast):
    scheme = GrantScheme.objects.create(
        committee=cast.asn, name="Verksamhetsbidrag", kind="operating"
    )
    GrantLevel.objects.create(scheme=scheme, year=2025, amount=400_000, is_ceiling=True)
    GrantLevel.objects.create(scheme=scheme, year=2026, amount=500_000, is_ceiling=True)
    leisure = GrantScheme.objects.create(
        committee=cast.frn, name="Föreningsbidrag", kind="organisation"
    )
    kalmar = GrantScheme.objects.create(
        committee=cast.kalmar_sn, name="Verksamhetsbidrag", kind="operating"
    )
    PaymentAccount.objects.create(organisation=cast.org, kind="bankgiro", number="505-0109")
    paid = grant(cast.org, scheme, 2025, 350_000, 300_000)
    pay(paid, 300_000, D(2025, 3, 1))
    GrantReport.objects.create(
        grant=paid, due_on=D(2026, 3, 31), received_on=D(2026, 3, 1), approved=True
    )
    recovered = grant(cast.other_org, scheme, 2025, 100_000, 80_000, decided_by="delegate")
    pay(recovered, 80_000, D(2025, 3, 15), number="123-4566")
    GrantReport.objects.create(
        grant=recovered,
        due_on=D(2026, 3, 31),
        received_on=D(2026, 3, 20),
        approved=False,
        recovery_amount=20_000,
        recovery_reason="Projektet genomfördes inte i sin helhet.",
    )
    overdue = grant(cast.other_org, scheme, 2024, 50_000, 50_000)
    pay(overdue, 50_000, D(2024, 3, 1), number="123-4566")
    GrantReport.objects.create(grant=overdue, due_on=D(2025, 3, 31))
    applied = grant(cast.org, scheme, 2026, 120_000)
    leisure_grant = grant(cast.other_org, leisure, 2026, 30_000, 30_000)
    kalmar_grant = grant(cast.kalmar_org, kalmar, 2026, 70_000, 70_000)
    return Book(
        scheme, leisure, kalmar, paid, recovered, overdue, applied, leisure_grant, kalmar_grant
    )


@pytest.fixture
def cast_committed(transactional_db):
    """The cast and one granted grant, committed, for tests that use several connections."""
    from tests.cast import build_cast

    cast = build_cast()
    scheme = GrantScheme.objects.create(committee=cast.asn, name="Verksamhetsbidrag")
    PaymentAccount.objects.create(organisation=cast.org, kind="bankgiro", number="505-0109")
    return cast, grant(cast.org, scheme, 2026, 100_000, 100_000)
