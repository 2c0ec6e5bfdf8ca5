"""Money out, as the views (and any command) write it: a payment, its reversal, a new
payment account.

Each is one named function that holds what must hold while it writes. A payment and a
reversal are checked and written under a lock on the grant's row, with the grant read
inside the lock, so two people paying the same grant at once are checked one after the
other against what was paid. A new account is only proposed: it applies once a second
person confirms it (AccountChange.confirm), and one change waits at a time.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from grants.forms import PaymentForm
from grants.models import Grant, Payment


@dataclass(frozen=True)
class Paid:
    """What `pay` did: the form as checked, and the payment recorded (None if the form has
    errors, or if `again`: the form was posted before and its payment already recorded)."""

    form: PaymentForm
    payment: Payment | None = None
    again: bool = False


def _locked(grant_id):
    return Grant.objects.select_for_update().get(pk=grant_id)


@transaction.atomic
def pay(grant_id, data, *, user):
    """Record the payment the payment form's `data` describes, checked against the grant
    as it is inside the lock. The form's token makes a double click one payment."""
    form = PaymentForm(data, grant=_locked(grant_id))
    if not form.is_valid():
        return Paid(form)
    if Payment.objects.filter(token=form.cleaned_data["token"]).exists():
        return Paid(form, again=True)
    form.instance.created_by = user
    return Paid(form, form.save())


@transaction.atomic
def reverse_payment(payment, *, paid_on, reason, user):
    """Take a wrong payment back with a reversing entry (payments are never deleted); None
    if it is itself a reversal or was reversed already."""
    grant = _locked(payment.grant_id)
    if payment.reverses_id or Payment.objects.filter(reverses=payment).exists():
        return None
    return Payment.objects.create(
        grant=grant,
        reverses=payment,
        paid_on=paid_on,
        amount=payment.amount,
        account_kind=payment.account_kind,
        account_number=payment.account_number,
        reference=payment.reference,
        reversal_reason=reason,
        created_by=user,
    )


def propose_account_change(form, *, user):
    """Save the new account an AccountChangeForm holds as waiting for a colleague's
    confirmation; None if another change was entered at the same moment (the database
    holds one waiting change per organisation)."""
    form.instance.entered_by = user
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        return None
