"""Reminders about IOP agreements: ending soon, last day to give notice near, follow-up
overdue. Each is sent once per agreement, kind and threshold, so a daily cron run is safe."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _

from municipality import access, mail
from partners.models import Partnership, ReminderSent


@dataclass
class Reminder:
    partnership: Partnership
    kind: str
    key: str
    subject: str
    body: str


def due(today, days):
    """The reminders due on `today` for a threshold of `days`, sent or not."""
    horizon = today + datetime.timedelta(days=days)
    running = Partnership.objects.current().filter(start_date__lte=today, end_date__gte=today)
    candidates = (
        running.filter(
            Q(end_date__lte=horizon)
            | Q(last_notice_date__gte=today, last_notice_date__lte=horizon)
            | Q(start_date__year__lt=today.year)
        )
        .select_related("run_by")
        .annotate(
            last_follow_up_year=Max("follow_ups__year"),
            is_renewed=Exists(Partnership.objects.filter(renews=OuterRef("pk"))),
        )
    )
    for p in candidates:
        # A renewed agreement needs no decision on ending or notice: a later one follows it.
        if p.end_date <= horizon and not p.is_renewed:
            yield Reminder(
                p,
                ReminderSent.Kind.ENDING,
                f"{days}:{p.end_date.isoformat()}",
                _("IOP agreement “%(title)s” ends %(date)s")
                % {"title": p.title, "date": p.end_date.isoformat()},
                _(
                    "The agreement “%(title)s” ends %(date)s. Decide in time whether it "
                    "should be extended, renewed or ended."
                )
                % {"title": p.title, "date": p.end_date.isoformat()},
            )
        if today <= p.last_notice_date <= horizon and not p.is_renewed:
            yield Reminder(
                p,
                ReminderSent.Kind.NOTICE,
                f"{days}:{p.last_notice_date.isoformat()}",
                _("Last day to give notice on “%(title)s”: %(date)s")
                % {"title": p.title, "date": p.last_notice_date.isoformat()},
                _(
                    "The last day to give notice on, or decide on extending, the agreement "
                    "“%(title)s” is %(date)s."
                )
                % {"title": p.title, "date": p.last_notice_date.isoformat()},
            )
        if p.follow_up_overdue_on(today, last_year_followed_up=p.last_follow_up_year or 0):
            year = today.year - 1
            yield Reminder(
                p,
                ReminderSent.Kind.FOLLOW_UP,
                str(year),
                _("Follow-up %(year)s missing for “%(title)s”") % {"year": year, "title": p.title},
                _("The agreement “%(title)s” has no quality follow-up for %(year)s yet.")
                % {"year": year, "title": p.title},
            )


def recipients_for(partnership):
    return list(
        access.civil_servants_in(partnership.run_by)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def send_due(today, days, base_url=""):
    """Send what is due and not yet sent; return (sent, skipped_without_recipients)."""
    sent, without = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in due(today, days):
            if ReminderSent.objects.filter(
                partnership=reminder.partnership, kind=reminder.kind, key=reminder.key
            ).exists():
                continue
            recipients = recipients_for(reminder.partnership)
            if not recipients:
                without.append(reminder)
                continue
            link = f"{base_url}{reminder.partnership.get_absolute_url()}"
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        partnership=reminder.partnership,
                        kind=reminder.kind,
                        key=reminder.key,
                        recipients=", ".join(recipients),
                    )
                    send_mail(
                        mail.one_line(reminder.subject),
                        f"{reminder.body}\n\n{link}\n\n– Samverkansregistret",
                        None,
                        recipients,
                    )
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent.append(reminder)
    return sent, without
