"""The auditor's workbook (.xlsx): every krona from decision to payment to report back.

A plain function from a queryset of grants to a file, written by the service's one
spreadsheet writer (`municipality.spreadsheet`) from `values_list` rows, streamed, so memory
stays flat however many grants are selected. Sheet names and headers are Swedish whatever
the UI language: the workbook is a Swedish audit document, and formulas refer to the sheets
by these names. The summary's formulas pick rows by the organisation's and the scheme's id,
never by a name, which could hold the wildcards and operators of a SUMIFS criterion.
"""

import datetime
import io
import random

from django.conf import settings
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from config import VERSION
from grants.models import (
    SIGNED_AMOUNT,
    AccountChange,
    Grant,
    GrantLevel,
    GrantReport,
    GrantScheme,
    Payment,
    PaymentAccount,
)
from municipality import history
from municipality.spreadsheet import Book, Column, Formula, letter

YES, NO = "Ja", "Nej"

DECISION_SHEET = "Beslut"
PAYMENT_SHEET = "Utbetalningar"
ORGANISATION_ID = "Organisations-id"
SCHEME_ID = "Bidragsforms-id"


def kr(header):
    return Column(header, "kronor")


def day(header):
    return Column(header, "date")


DECISIONS = [
    Column("Bidrags-id"),
    Column("Organisation"),
    Column("Organisationsnummer"),
    Column("Nämnd"),
    Column("Bidragsform"),
    Column("År"),
    Column("Ändamål"),
    kr("Sökt belopp"),
    kr("Beviljat belopp"),
    kr("Utbetalt"),
    Column("Status"),
    Column("Beslut"),
    Column("Beslutsinstans"),
    day("Beslutsdatum"),
    Column("Beslutsreferens"),
    Column("Diarienummer"),
    Column("Beslutsfattare"),
    Column("Inget jäv noterat"),
    Column("Anteckning om jäv"),
    Column("Skäl trots försenad återrapportering"),
    Column("Nytt betalkonto väntar på bekräftelse"),
    Column(ORGANISATION_ID),
    Column(SCHEME_ID),
]
PAYMENTS = [
    Column("Bidrags-id"),
    Column("Organisation"),
    Column("Organisationsnummer"),
    Column("Nämnd"),
    Column("Bidragsform"),
    Column("År"),
    day("Utbetalningsdatum"),
    kr("Belopp"),
    Column("Kontoslag"),
    Column("Kontonummer"),
    Column("Annat konto än förra utbetalningen"),
    Column("Referens"),
    Column("Skäl till utbetalning över beviljat"),
    Column(ORGANISATION_ID),
    Column(SCHEME_ID),
    day("Återför utbetalningen den"),
    Column("Skäl till återföringen"),
]
REPORTS = [
    Column("Bidrags-id"),
    Column("Organisation"),
    Column("Nämnd"),
    Column("Bidragsform"),
    Column("År"),
    day("Ska in senast"),
    day("Inkom"),
    Column("Godkänd"),
    Column("Försenad"),
    Column("Kommentar"),
    kr("Återkrav"),
    Column("Skäl till återkrav"),
]
SAMPLE = [Column("Urval nr"), *DECISIONS[:11]]
CHANGES = [
    Column("Tidpunkt", "datetime"),
    Column("Användare"),
    Column("Slag"),
    Column("Avser"),
    Column("Händelse"),
    Column("Fält"),
    Column("Före"),
    Column("Efter"),
]


def write(
    grants,
    output,
    *,
    user,
    filters=(),
    sample_size=10,
    seed=None,
    changes_from=None,
    changes_to=None,
    now=None,
    progress=None,
):
    """Write the workbook for `grants` to the binary file `output`; return what was
    written (rows per sheet, the sample's seed) for the caller to show or log.

    `progress` (municipality.exports.Progress), when the workbook is prepared in the
    background, is told each sheet with its rows to write, and each row written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    changes_to = changes_to or today
    changes_from = changes_from or datetime.date(changes_to.year, 1, 1)
    seed = random.SystemRandom().randrange(10**9) if seed is None else seed
    grants = grants.order_by()
    payments = Payment.objects.filter(grant__in=grants.values("pk"))

    def told(sheet, rows, total):
        if progress is None:
            return rows
        progress.sheet(sheet, total() if callable(total) else total)
        return progress.rows(rows)

    book = Book()
    summary = book.sheet("Sammanställning", widths=SUMMARY_WIDTHS, freeze="A3")
    counts = {}
    counts[DECISION_SHEET] = book.table(
        DECISION_SHEET, DECISIONS, told(DECISION_SHEET, _decision_rows(grants), grants.count)
    )
    counts[PAYMENT_SHEET] = book.table(
        PAYMENT_SHEET, PAYMENTS, told(PAYMENT_SHEET, _payment_rows(payments), payments.count)
    )
    reports = GrantReport.objects.filter(grant__in=grants.values("pk"))
    counts["Återrapportering"] = book.table(
        "Återrapportering",
        REPORTS,
        told("Återrapportering", _report_rows(grants, today), reports.count),
    )
    sampled, population = _sample(grants, sample_size or 0, seed)
    counts["Stickprov"] = book.table(
        "Stickprov",
        SAMPLE,
        told("Stickprov", _sample_rows(grants, sampled), len(sampled)),
        title=(
            f"Stickprov: {len(sampled)} av {population} bidrag, dragna med startvärde {seed}. "
            "Ange samma startvärde och samma filter vid ett nytt uttag för att dra samma urval."
        ),
    )
    changes, records = _change_rows(grants, changes_from, changes_to)
    counts["Ändringshistorik"] = book.table(
        "Ändringshistorik", CHANGES, told("Ändringshistorik", changes, records)
    )
    counts["Sammanställning"] = _summary(summary, grants, payments)
    _about(
        book,
        user=user,
        now=now,
        filters=filters,
        counts=counts,
        sample=(len(sampled), population, seed),
        period=(changes_from, changes_to),
    )
    book.save(output)
    return {"rows": counts, "seed": seed}


def as_bytes(grants, **options):
    buffer = io.BytesIO()
    write(grants, buffer, **options)
    return buffer.getvalue()


# Sheets ---------------------------------------------------------------------------------


def _label(choices, value):
    return str(dict(choices).get(value, value or ""))


def _decision_rows(grants):
    pending = AccountChange.objects.pending().filter(organisation=OuterRef("organisation_id"))
    rows = (
        grants.with_figures()
        .annotate(account_pending=Exists(pending))
        .values_list(
            "pk",
            "organisation__name",
            "organisation__org_number",
            "scheme__committee__name",
            "scheme__name",
            "year",
            "purpose",
            "applied_amount",
            "granted_amount",
            "paid_total",
            "status",
            "decision",
            "decided_by",
            "decision_date",
            "decision_reference",
            "case_number",
            "decision_maker",
            "no_conflict_of_interest",
            "conflict_note",
            "overdue_report_reason",
            "account_pending",
            "organisation_id",
            "scheme_id",
        )
    )
    statuses, decisions, deciders = (
        Grant.Status.choices,
        Grant.Decision.choices,
        Grant.DecidedBy.choices,
    )
    for row in rows.order_by("year", "scheme__name", "organisation__name", "pk").iterator(
        chunk_size=2000
    ):
        row = list(row)
        row[10] = _label(statuses, row[10])
        row[11] = _label(decisions, row[11])
        row[12] = _label(deciders, row[12])
        row[17] = YES if row[17] else NO
        row[20] = YES if row[20] else NO
        yield row


def _payment_rows(payments):
    """One row per entry; a reversal's amount is negative, so the column sums to what
    was paid."""
    rows = (
        payments.annotate(signed=SIGNED_AMOUNT)
        .values_list(
            "grant_id",
            "grant__organisation__name",
            "grant__organisation__org_number",
            "grant__scheme__committee__name",
            "grant__scheme__name",
            "grant__year",
            "paid_on",
            "signed",
            "account_kind",
            "account_number",
            "reference",
            "excess_reason",
            "grant__organisation_id",
            "grant__scheme_id",
            "reverses__paid_on",
            "reversal_reason",
        )
        .order_by("grant__organisation_id", "paid_on", "pk")
    )
    kinds = PaymentAccount.Kind.choices
    previous = {}
    for row in rows.iterator(chunk_size=2000):
        *payment, kind, number, reference, reason, organisation_id, scheme_id = row[:-2]
        reversed_on, reversal_reason = row[-2:]
        earlier = previous.get(organisation_id)
        changed = earlier is not None and earlier != (kind, number)
        previous[organisation_id] = (kind, number)
        yield [
            *payment,
            _label(kinds, kind),
            number,
            YES if changed else NO,
            reference,
            reason,
            organisation_id,
            scheme_id,
            reversed_on,
            reversal_reason,
        ]


def _report_rows(grants, today):
    rows = (
        GrantReport.objects.filter(grant__in=grants.values("pk"))
        .values_list(
            "grant_id",
            "grant__organisation__name",
            "grant__scheme__committee__name",
            "grant__scheme__name",
            "grant__year",
            "due_on",
            "received_on",
            "approved",
            "comment",
            "recovery_amount",
            "recovery_reason",
        )
        .order_by("due_on", "pk")
    )
    for row in rows.iterator(chunk_size=2000):
        (grant, name, committee, scheme, year, due, received, approved, comment, rec, why) = row
        overdue = received is None and due < today
        judged = "" if approved is None else (YES if approved else NO)
        yield [
            grant,
            name,
            committee,
            scheme,
            year,
            due,
            received,
            judged,
            YES if overdue else NO,
            comment,
            rec,
            why,
        ]


def _sample(grants, size, seed):
    """`size` grant ids drawn from the selection with `seed`: the same seed and the same
    selection give the same sample."""
    population = sorted(grants.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(population, min(size, len(population)))
    return chosen, len(population)


def _sample_rows(grants, sampled):
    order = {pk: n for n, pk in enumerate(sampled, start=1)}
    rows = sorted(_decision_rows(grants.filter(pk__in=sampled)), key=lambda row: order[row[0]])
    for row in rows:
        yield [order[row[0]], *row[:11]]


def _change_rows(grants, changes_from, changes_to):
    """Every change within the period to the selection's grants, payments, reports back,
    schemes, levels and payment accounts: who, when, field, old → new. One kind after
    another, each record's changes together and in time order, read as a stream, so the
    sheet's memory stays flat however long the history (sort by Tidpunkt in the
    spreadsheet for one time line).

    Returns (rows, how many history records they come from, for the progress)."""
    grant_ids = grants.values("pk")
    scheme_ids = grants.values("scheme_id")
    organisation_ids = grants.values("organisation_id")
    until = timezone.make_aware(
        datetime.datetime.combine(changes_to + datetime.timedelta(days=1), datetime.time())
    )
    start = timezone.make_aware(datetime.datetime.combine(changes_from, datetime.time()))
    # (kind, records, what their names are made of): each source is read in chunks, its
    # records in the period and the one before each object's first change in it.
    named_by_grant = ("grant__scheme", "grant__organisation")
    sources = [
        ("Bidrag", Grant.history.filter(id__in=grant_ids), ()),
        ("Utbetalning", Payment.history.filter(grant_id__in=grant_ids), named_by_grant),
        ("Återrapportering", GrantReport.history.filter(grant_id__in=grant_ids), named_by_grant),
        ("Bidragsform", GrantScheme.history.filter(id__in=scheme_ids), ()),
        ("Bidragsnivå", GrantLevel.history.filter(scheme_id__in=scheme_ids), ()),
        (
            "Betalkonto",
            PaymentAccount.history.filter(organisation_id__in=organisation_ids),
            (),
        ),
    ]
    sources = [
        (kind, records.filter(history_date__lt=until), select) for kind, records, select in sources
    ]

    def rows():
        for kind, records, select in sources:
            for entry in history.stream(records, since=start, select=select):
                who = str(entry.who) if entry.who else "systemet"
                when = timezone.localtime(entry.when).replace(tzinfo=None)
                for change in entry.changes or [None]:
                    yield [
                        when,
                        who,
                        kind,
                        entry.title,
                        str(entry.action),
                        change.label if change else "",
                        (change.old or "") if change else "",
                        change.new if change else "",
                    ]

    def total():
        return sum(records.filter(history_date__gte=start).count() for _k, records, _s in sources)

    return rows(), total


SUMMARY_WIDTHS = (34, 34, 17, 15, 15, 15, 15, 15, 15, 18, 18, 18)
MONEY = ["kronor"] * 9


def _summary(sheet, grants, payments):
    """Totals per scheme and per organisation: live SUMIFS over the detail sheets beside
    the database's own figures, and their difference (0 when all is well). The SUMIFS
    pick rows by id (column C): names are for people."""
    by_scheme = list(
        grants.values("scheme_id", "scheme__committee__name", "scheme__name")
        .annotate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        .order_by("scheme__committee__name", "scheme__name", "scheme_id")
    )
    paid_by_scheme = dict(
        payments.values("grant__scheme_id")
        .annotate(paid=Sum(SIGNED_AMOUNT))
        .order_by()
        .values_list("grant__scheme_id", "paid")
    )
    by_organisation = list(
        grants.values("organisation_id", "organisation__name", "organisation__org_number")
        .annotate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        .order_by("organisation__name", "organisation_id")
    )
    paid_by_organisation = dict(
        payments.values("grant__organisation_id")
        .annotate(paid=Sum(SIGNED_AMOUNT))
        .order_by()
        .values_list("grant__organisation_id", "paid")
    )
    headers = [
        "Sökt (formel)",
        "Beviljat (formel)",
        "Utbetalt (formel)",
        "Sökt (databasen)",
        "Beviljat (databasen)",
        "Utbetalt (databasen)",
        "Avvikelse sökt",
        "Avvikelse beviljat",
        "Avvikelse utbetalt",
    ]
    d, p = f"'{DECISION_SHEET}'", f"'{PAYMENT_SHEET}'"
    applied, granted = letter(DECISIONS, "Sökt belopp"), letter(DECISIONS, "Beviljat belopp")
    paid = letter(PAYMENTS, "Belopp")

    def sums(line, key):
        """SUMIFS of applied, granted and paid over the rows whose `key` column holds
        this line's id."""
        by_decision = f"{d}!${letter(DECISIONS, key)}:${letter(DECISIONS, key)},$C{line}"
        by_payment = f"{p}!${letter(PAYMENTS, key)}:${letter(PAYMENTS, key)},$C{line}"
        return [
            Formula(f"=SUMIFS({d}!${applied}:${applied},{by_decision})"),
            Formula(f"=SUMIFS({d}!${granted}:${granted},{by_decision})"),
            Formula(f"=SUMIFS({p}!${paid}:${paid},{by_payment})"),
        ]

    rows = 0
    sheet.append(
        ["Summor per bidragsform, formler över bladen Beslut och Utbetalningar"], bold=True
    )
    sheet.append(["Nämnd", "Bidragsform", SCHEME_ID, *headers], bold=True)
    line = first = 3
    for row in by_scheme:
        figures = [
            row["applied"] or 0,
            row["granted"] or 0,
            paid_by_scheme.get(row["scheme_id"], 0),
        ]
        sheet.append(
            [
                row["scheme__committee__name"],
                row["scheme__name"],
                row["scheme_id"],
                *_money(sums(line, SCHEME_ID), figures, line),
            ],
            ["text", "text", "text", *MONEY],
        )
        line += 1
        rows += 1
    _total(sheet, first, line - 1)
    sheet.append([])
    sheet.append(["Summor per organisation"], bold=True)
    sheet.append(["Organisation", "Organisationsnummer", ORGANISATION_ID, *headers], bold=True)
    line += 4
    first = line
    for row in by_organisation:
        organisation = row["organisation_id"]
        figures = [
            row["applied"] or 0,
            row["granted"] or 0,
            paid_by_organisation.get(organisation, 0),
        ]
        sheet.append(
            [
                row["organisation__name"],
                row["organisation__org_number"],
                organisation,
                *_money(sums(line, ORGANISATION_ID), figures, line),
            ],
            ["text", "text", "text", *MONEY],
        )
        line += 1
        rows += 1
    _total(sheet, first, line - 1)
    return rows


def _money(formulas, figures, line):
    """The three SUMIFS (columns D–F), the database's figures (G–I) and their
    differences (J–L)."""
    differences = [Formula(f"={f}{line}-{g}{line}") for f, g in zip("DEF", "GHI", strict=True)]
    return [*formulas, *figures, *differences]


def _total(sheet, first, last):
    totals = [
        Formula(f"=SUM({column}{first}:{column}{last})") if last >= first else 0
        for column in "DEFGHIJKL"
    ]
    sheet.append(["Summa", "", "", *totals], ["text", "text", "text", *MONEY], bold=True)


def _about(book, *, user, now, filters, counts, sample, period):
    book.facts(
        "Om uttaget",
        [
            ("Uttaget av", user.get_full_name() or user.get_username()),
            ("Roll", str(user.get_role_display())),
            ("Tidpunkt", timezone.localtime(now).replace(tzinfo=None)),
            *[(f"Filter: {label}", value) for label, value in filters],
            ("Stickprov", f"{sample[0]} av {sample[1]} bidrag"),
            ("Stickprovets startvärde", sample[2]),
            ("Ändringshistorik för perioden", f"{period[0]:%Y-%m-%d} – {period[1]:%Y-%m-%d}"),
            *[(f"Rader i bladet {name}", count) for name, count in counts.items()],
            ("Programversion", f"Samverkansregistret {software_version()}"),
            ("Tidszon", settings.TIME_ZONE),
        ],
        title="Uttag ur Samverkansregistret",
    )


def software_version():
    return VERSION
