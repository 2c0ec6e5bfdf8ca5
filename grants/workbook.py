"""The auditor's workbook (.xlsx): every krona from decision to payment to report back.

A plain function from a queryset of grants to a file. Sheets are written in openpyxl's
write-only mode from `values_list` rows, so memory stays flat however many grants are
selected. Sheet names and headers are Swedish whatever the UI language: the workbook is a
Swedish audit document, and formulas refer to the sheets by these names.
"""

import datetime
import io
import itertools
import random

from django.conf import settings
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from config import VERSION
from grants.models import (
    AccountChange,
    Grant,
    GrantLevel,
    GrantReport,
    GrantScheme,
    Payment,
    PaymentAccount,
)
from municipality import history

KRONOR = '#,##0 "kr"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)
WIDTH_SAMPLE = 200  # rows looked at to fit column widths before streaming the rest
YES, NO = "Ja", "Nej"

DECISION_SHEET = "Beslut"
PAYMENT_SHEET = "Utbetalningar"


class Column:
    def __init__(self, header, kind="text"):
        self.header, self.kind = header, kind


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
):
    """Write the workbook for `grants` to the binary file `output`; return what was
    written (rows per sheet, the sample's seed) for the caller to show or log."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    changes_to = changes_to or today
    changes_from = changes_from or datetime.date(changes_to.year, 1, 1)
    seed = random.SystemRandom().randrange(10**9) if seed is None else seed
    grants = grants.order_by()
    payments = Payment.objects.filter(grant__in=grants.values("pk"))

    book = Workbook(write_only=True)
    summary = book.create_sheet("Sammanställning")
    counts = {}
    counts[DECISION_SHEET] = _sheet(book, DECISION_SHEET, DECISIONS, _decision_rows(grants))
    counts[PAYMENT_SHEET] = _sheet(book, PAYMENT_SHEET, PAYMENTS, _payment_rows(payments))
    counts["Återrapportering"] = _sheet(
        book, "Återrapportering", REPORTS, _report_rows(grants, today)
    )
    sampled, population = _sample(grants, sample_size or 0, seed)
    counts["Stickprov"] = _sheet(
        book,
        "Stickprov",
        SAMPLE,
        _sample_rows(grants, sampled),
        title=(
            f"Stickprov: {len(sampled)} av {population} bidrag, dragna med frö {seed}. "
            "Ange samma frö och samma filter vid ett nytt uttag för att dra samma urval."
        ),
    )
    counts["Ändringshistorik"] = _sheet(
        book, "Ändringshistorik", CHANGES, _change_rows(grants, changes_from, changes_to)
    )
    counts["Sammanställning"] = _summary(summary, grants, payments)
    _about(
        book.create_sheet("Om uttaget"),
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


def _sheet(book, name, columns, rows, title=None):
    """A table: bold frozen header, autofilter, widths fitted to the first rows."""
    sheet = book.create_sheet(name)
    rows = iter(rows)
    head = list(itertools.islice(rows, WIDTH_SAMPLE))
    for index, column in enumerate(columns, start=1):
        longest = max(
            [len(column.header), *(len(_as_text(row[index - 1])) for row in head)], default=8
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    header_row = 1
    if title:
        sheet.append([_bold(sheet, title)])
        header_row = 2
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.append([_bold(sheet, column.header) for column in columns])
    formats = [_FORMATS.get(column.kind) for column in columns]
    count = 0
    for row in itertools.chain(head, rows):
        sheet.append(_styled(sheet, row, formats))
        count += 1
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return count


_FORMATS = {"kronor": KRONOR, "date": DATE, "datetime": DATETIME}


def _styled(sheet, row, formats):
    cells = []
    for value, number_format in zip(row, formats, strict=True):
        if number_format is None or value is None:
            cells.append(value)
        else:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
    return cells


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,} kr"
    return str(value)


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
    rows = payments.values_list(
        "grant_id",
        "grant__organisation__name",
        "grant__organisation__org_number",
        "grant__scheme__committee__name",
        "grant__scheme__name",
        "grant__year",
        "paid_on",
        "amount",
        "account_kind",
        "account_number",
        "grant__organisation_id",
        "reference",
        "excess_reason",
    ).order_by("grant__organisation_id", "paid_on", "pk")
    kinds = PaymentAccount.Kind.choices
    previous = {}
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        organisation_id = row[10]
        account = (row[8], row[9])
        earlier = previous.get(organisation_id)
        row[10] = YES if earlier is not None and earlier != account else NO
        previous[organisation_id] = account
        row[8] = _label(kinds, row[8])
        yield row


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
    schemes, levels and payment accounts: who, when, field, old → new."""
    grant_ids = grants.values("pk")
    scheme_ids = grants.values("scheme_id")
    organisation_ids = grants.values("organisation_id")
    until = timezone.make_aware(
        datetime.datetime.combine(changes_to + datetime.timedelta(days=1), datetime.time())
    )
    start = timezone.make_aware(datetime.datetime.combine(changes_from, datetime.time()))
    sources = [
        ("Bidrag", Grant.history.filter(id__in=grant_ids)),
        ("Utbetalning", Payment.history.filter(grant_id__in=grant_ids)),
        ("Återrapportering", GrantReport.history.filter(grant_id__in=grant_ids)),
        ("Bidragsform", GrantScheme.history.filter(id__in=scheme_ids)),
        ("Bidragsnivå", GrantLevel.history.filter(scheme_id__in=scheme_ids)),
        ("Betalkonto", PaymentAccount.history.filter(organisation_id__in=organisation_ids)),
    ]
    found = []
    for kind, records in sources:
        for entry in history.entries(records.filter(history_date__lt=until)):
            if entry.when < start:
                continue
            who = str(entry.who) if entry.who else "systemet"
            when = timezone.localtime(entry.when).replace(tzinfo=None)
            for change in entry.changes or [None]:
                found.append(
                    [
                        when,
                        who,
                        kind,
                        entry.title,
                        str(entry.action),
                        change.label if change else "",
                        (change.old or "") if change else "",
                        change.new if change else "",
                    ]
                )
    found.sort(key=lambda row: row[0])
    return found


def _summary(sheet, grants, payments):
    """Totals per scheme and per organisation: live SUMIFS over the detail sheets beside
    the database's own figures, and their difference (0 when all is well)."""
    by_scheme = list(
        grants.values("scheme__committee__name", "scheme__name")
        .annotate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        .order_by("scheme__committee__name", "scheme__name")
    )
    paid_by_scheme = {
        (row["grant__scheme__committee__name"], row["grant__scheme__name"]): row["paid"]
        for row in payments.values("grant__scheme__committee__name", "grant__scheme__name")
        .annotate(paid=Sum("amount"))
        .order_by()
    }
    by_organisation = list(
        grants.values("organisation__name")
        .annotate(applied=Sum("applied_amount"), granted=Sum("granted_amount"))
        .order_by("organisation__name")
    )
    paid_by_organisation = {
        row["grant__organisation__name"]: row["paid"]
        for row in payments.values("grant__organisation__name")
        .annotate(paid=Sum("amount"))
        .order_by()
    }
    for letter, width in zip(
        "ABCDEFGHIJK", (34, 34, 15, 15, 15, 15, 15, 15, 12, 12, 12), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    rows = 0

    def heading(text):
        sheet.append([_bold(sheet, text)])

    headers = [
        "Sökt (formel)",
        "Beviljat (formel)",
        "Utbetalt (formel)",
        "Sökt (databasen)",
        "Beviljat (databasen)",
        "Utbetalt (databasen)",
        "Diff sökt",
        "Diff beviljat",
        "Diff utbetalt",
    ]
    heading("Summor per bidragsform, formler över bladen Beslut och Utbetalningar")
    sheet.append([_bold(sheet, h) for h in ["Nämnd", "Bidragsform", *headers]])
    line = 3
    first = line
    d, p = f"'{DECISION_SHEET}'", f"'{PAYMENT_SHEET}'"
    for row in by_scheme:
        key = (row["scheme__committee__name"], row["scheme__name"])
        criteria = f"{d}!$D:$D,$A{line},{d}!$E:$E,$B{line}"
        pay_criteria = f"{p}!$D:$D,$A{line},{p}!$E:$E,$B{line}"
        sheet.append(
            _money_row(
                sheet,
                [*key],
                [
                    f"=SUMIFS({d}!$H:$H,{criteria})",
                    f"=SUMIFS({d}!$I:$I,{criteria})",
                    f"=SUMIFS({p}!$H:$H,{pay_criteria})",
                    row["applied"] or 0,
                    row["granted"] or 0,
                    paid_by_scheme.get(key, 0),
                ],
                line,
                offset=2,
            )
        )
        line += 1
        rows += 1
    sheet.append(_total_row(sheet, "Summa", first, line - 1, offset=2))
    line += 1
    sheet.append([])
    line += 1
    heading("Summor per organisation")
    line += 1
    sheet.append([_bold(sheet, h) for h in ["Organisation", "", *headers]])
    line += 1
    first = line
    for row in by_organisation:
        name = row["organisation__name"]
        sheet.append(
            _money_row(
                sheet,
                [name, ""],
                [
                    f"=SUMIFS({d}!$H:$H,{d}!$B:$B,$A{line})",
                    f"=SUMIFS({d}!$I:$I,{d}!$B:$B,$A{line})",
                    f"=SUMIFS({p}!$H:$H,{p}!$B:$B,$A{line})",
                    row["applied"] or 0,
                    row["granted"] or 0,
                    paid_by_organisation.get(name, 0),
                ],
                line,
                offset=2,
            )
        )
        line += 1
        rows += 1
    sheet.append(_total_row(sheet, "Summa", first, line - 1, offset=2))
    return rows


def _money_row(sheet, labels, values, line, offset):
    cells = list(labels)
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = KRONOR
        cells.append(cell)
    for n in range(3):
        formula_col = get_column_letter(offset + 1 + n)
        database_col = get_column_letter(offset + 4 + n)
        cell = WriteOnlyCell(sheet, value=f"={formula_col}{line}-{database_col}{line}")
        cell.number_format = KRONOR
        cells.append(cell)
    return cells


def _total_row(sheet, label, first, last, offset):
    cells = [_bold(sheet, label)] + [""] * (offset - 1)
    for n in range(9):
        column = get_column_letter(offset + 1 + n)
        value = f"=SUM({column}{first}:{column}{last})" if last >= first else 0
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = KRONOR
        cell.font = BOLD
        cells.append(cell)
    return cells


def _about(sheet, *, user, now, filters, counts, sample, period):
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    local = timezone.localtime(now).replace(tzinfo=None)
    when = WriteOnlyCell(sheet, value=local)
    when.number_format = DATETIME
    when.alignment = Alignment(horizontal="left")
    rows = [
        [_bold(sheet, "Uttag ur Samverkansregistret"), ""],
        ["Uttaget av", user.get_full_name() or user.get_username()],
        ["Roll", str(user.get_role_display())],
        ["Tidpunkt", when],
        *[[f"Filter: {label}", value] for label, value in filters],
        ["Stickprov", f"{sample[0]} av {sample[1]} bidrag"],
        ["Stickprovets frö", sample[2]],
        ["Ändringshistorik för perioden", f"{period[0]:%Y-%m-%d} – {period[1]:%Y-%m-%d}"],
        *[[f"Rader i bladet {name}", count] for name, count in counts.items()],
        ["Programversion", f"Samverkansregistret {software_version()}"],
        ["Tidszon", settings.TIME_ZONE],
    ]
    for row in rows:
        sheet.append(row)


def software_version():
    return VERSION
