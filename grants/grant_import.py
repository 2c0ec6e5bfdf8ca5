"""Importing grants (historical applications, decisions and payments) from a file.

A grant is matched by organisation (its organisationsnummer, in the scheme's
municipality), scheme, year and decision reference; a payment by its grant, date and
amount. One row is one grant, and may carry one payment; a grant paid in several parts
takes one row per payment, the grant's columns the same on each. Only schemes of nämnder
the importing user's förvaltning serves are accepted (as for a grant entered by hand). An
empty cell, or a column the file lacks, leaves the register's value as it is. See
municipality.register_import for the preview, the confirmation and all or nothing.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from grants import giro
from grants.models import SIGNED_AMOUNT, Grant, GrantScheme, Payment, PaymentAccount
from municipality import register_import, tabular
from municipality.models import Body
from municipality.register_import import Item, Rows, every, folded, integer_of, shown, written
from partners import orgnr
from partners.models import Organisation

# An amount whose header carries the year, as "Bidrag 2025" or "Beviljat 2025": the year
# of the grant when the file has no year column.
YEAR_IN_HEADER = re.compile(r"\D*((?:19|20)\d\d)\D*")

# One column per field, with the headers people write for it (case, spaces, hyphens and
# dots forgiven; see municipality.tabular).
COLUMNS = (
    tabular.Column(
        "org_number",
        "organisationsnummer",
        ("orgnr", "org nr", "org.nr", "org-nr", "orgnummer", "organisationsnr",
         "föreningens organisationsnummer"),
        True,
        gettext_lazy("NNNNNN-NNNN of an organisation in the register."),
    ),
    tabular.Column(
        "organisation",
        "organisation",
        ("namn", "förening", "föreningsnamn", "organisationsnamn", "organisationens namn",
         "föreningens namn", "sökande", "mottagare"),
        False,
        gettext_lazy("For the reader only: the number decides."),
    ),
    tabular.Column(
        "scheme",
        "bidragsform",
        ("bidrag", "bidragstyp", "bidragsordning", "typ av bidrag", "stödform", "scheme"),
        True,
        gettext_lazy("The scheme's name, as under Grants › Schemes and levels."),
    ),
    tabular.Column(
        "committee",
        "nämnd",
        ("beslutande nämnd", "bidragsgivande nämnd", "ansvarig nämnd"),
        False,
        gettext_lazy("Only needed when two nämnder have schemes of the same name."),
    ),
    tabular.Column(
        "year",
        "år",
        ("bidragsår", "verksamhetsår", "budgetår", "year"),
        False,
        gettext_lazy(
            "E.g. 2025. Without this column, the year in an amount's header (“Bidrag 2025”)."
        ),
    ),
    tabular.Column(
        "purpose",
        "syfte",
        ("ändamål", "beskrivning", "användning"),
        False,
        gettext_lazy("Empty: the scheme's name for a new grant."),
    ),
    tabular.Column(
        "applied_amount",
        "sökt belopp",
        ("sökt", "ansökt belopp", "belopp sökt", "ansökt", "sökt bidrag", "ansökt bidrag"),
        False,
        gettext_lazy("Whole kronor, e.g. 1 234 567 kr. Empty: the amount granted."),
        patterns=(r"(sökt|ansökt|söktbelopp|söktbidrag)\d{4}",),
    ),
    tabular.Column(
        "granted_amount",
        "beviljat belopp",
        ("beviljat", "beviljat bidrag", "belopp beviljat", "beviljad summa", "belopp",
         "bidragsbelopp", "beslutat belopp"),
        False,
        gettext_lazy("Whole kronor; 0 or empty for a rejected application."),
        patterns=(r"(bidrag|beviljat|beviljatbidrag|beviljatbelopp|belopp)(19|20)\d\d",),
    ),
    tabular.Column(
        "decision",
        "beslut",
        ("beslutet",),
        False,
        gettext_lazy(
            "Beviljat, delvis beviljat, avslag or ansökt. Empty: follows from the amounts."
        ),
    ),
    tabular.Column(
        "decided_by",
        "beslutad av",
        ("beslutsnivå", "beslutsfattare typ"),
        False,
        gettext_lazy("Nämnden or delegat. Empty: nämnden."),
    ),
    tabular.Column(
        "decision_date",
        "beslutsdatum",
        ("beslutad", "datum för beslut", "beslutsdag", "beslutad den"),
        False,
        gettext_lazy("2026-02-27 or 27/2/2026; needed for a decided application."),
    ),
    tabular.Column(
        "decision_reference",
        "beslutsreferens",
        ("paragraf", "§", "beslutsnummer", "delegationsbeslut"),
        False,
        gettext_lazy("§ in the minutes, or the delegation decision's number; part of the match."),
    ),
    tabular.Column(
        "case_number", "diarienummer", ("dnr", "diarienr", "ärendenummer"), False, ""
    ),
    tabular.Column(
        "decision_maker", "beslutsfattare", ("beslutande",), False, gettext_lazy("Name, title.")
    ),
    tabular.Column(
        "paid_on",
        "utbetalningsdatum",
        ("utbet. datum", "utbet datum", "utbetald", "utbetalt den", "utbetalningsdag",
         "datum för utbetalning", "betaldatum"),
        False,
        gettext_lazy("A payment of the grant: its date …"),
    ),
    tabular.Column(
        "paid_amount",
        "utbetalt belopp",
        ("utbetalning", "betalt belopp", "belopp utbetalt", "utbet. belopp", "utbetalt kr"),
        False,
        gettext_lazy("… and its amount."),
    ),
    tabular.Column(
        "account",
        "konto",
        ("bankgiro", "plusgiro", "utbetalt till", "bankgiro/plusgiro", "bg/pg", "kontonummer"),
        False,
        gettext_lazy(
            "Where it was paid: the organisation's confirmed account, e.g. “BG 505-0109” "
            "or “PG 90 20 01-7”; another account is refused. Empty: the confirmed account."
        ),
    ),
)  # fmt: skip

DECISIONS = {
    "beviljat": Grant.Decision.GRANTED,
    "beviljad": Grant.Decision.GRANTED,
    "delvis beviljat": Grant.Decision.PARTLY,
    "delvis beviljad": Grant.Decision.PARTLY,
    "avslag": Grant.Decision.REJECTED,
    "avslaget": Grant.Decision.REJECTED,
    "avslagen": Grant.Decision.REJECTED,
    "ansökt": Grant.Decision.APPLIED,
    "ej beslutat": Grant.Decision.APPLIED,
}
DECIDERS = {
    "nämnden": Grant.DecidedBy.COMMITTEE,
    "nämnd": Grant.DecidedBy.COMMITTEE,
    "delegat": Grant.DecidedBy.DELEGATE,
    "delegation": Grant.DecidedBy.DELEGATE,
    "delegationsbeslut": Grant.DecidedBy.DELEGATE,
}
GRANT_FIELDS = (
    "purpose",
    "applied_amount",
    "granted_amount",
    "decision",
    "decided_by",
    "decision_date",
    "decision_reference",
    "case_number",
    "decision_maker",
)
COLUMN_OF = {name: name for name in GRANT_FIELDS} | {"year": "year"}


def choices(names, enum):
    """What a cell may say: the Swedish words above, the labels in both languages, codes."""
    found = {folded(word): value for word, value in names.items()}
    for value, label in enum.choices:
        found.setdefault(folded(value), value)
        found.setdefault(folded(str(label)), value)
    return found


class GrantPlanner(Rows):
    def __init__(self, kind, table, user):
        super().__init__(kind, table)
        self.user = user
        visible = GrantScheme.objects.visible_to(user).select_related("committee")
        self.editable = set(GrantScheme.objects.editable_by(user).values_list("pk", flat=True))
        self.schemes = {}
        for scheme in visible:
            self.schemes.setdefault(folded(scheme.name), []).append(scheme)
        municipalities = {scheme.committee.municipality_id for scheme in visible}
        # Every organisation of those municipalities: a few thousand, read at once, is
        # cheaper than a list of the file's numbers as query parameters.
        self.organisations = {
            (o.municipality_id, o.org_number): o
            for o in Organisation.objects.filter(municipality_id__in=municipalities).exclude(
                org_number=""
            )
        }
        self.header_year = self.year_in_headers()
        years = {self.header_year} - {None}
        for row in table.rows:
            try:
                years.add(integer_of(row.values.get("year")))
            except ValidationError:
                continue
        existing = Grant.objects.filter(
            scheme__in=[s.pk for s in visible if s.pk in self.editable],
            year__in=years,
        )
        self.grants = {}
        for grant in existing:
            key = (grant.organisation_id, grant.scheme_id, grant.year)
            self.grants.setdefault((*key, folded(grant.decision_reference)), []).append(grant)
            # A file without decision references matches on the rest of the key.
            self.grants.setdefault(key, []).append(grant)
        self.payments = {}
        for payment in Payment.objects.filter(grant__in=existing, reverses__isnull=True):
            self.payments.setdefault(payment.grant_id, []).append(payment)
        self.paid = dict(
            Payment.objects.filter(grant__in=existing)
            .values("grant")
            .annotate(total=Sum(SIGNED_AMOUNT))
            .values_list("grant", "total")
        )
        self.accounts = {
            account.organisation_id: account
            for account in PaymentAccount.objects.filter(
                organisation__municipality_id__in=municipalities
            )
        }
        self.decisions = choices(DECISIONS, Grant.Decision)
        self.deciders = choices(DECIDERS, Grant.DecidedBy)
        self.labels = {f.name: f.verbose_name for f in Grant._meta.fields}
        self.payment_labels = {f.name: f.verbose_name for f in Payment._meta.fields}
        self.seen = {}  # grant key -> (row number, the row's grant values)

    def plan(self, progress):
        create, update, unchanged = [], [], []
        new, changed, new_payments = [], {}, []
        for row in every(self.table.rows, progress):
            before = len(self.problems)
            found = self.row(row)
            if found is None or self.bad(row, before):
                continue
            grant, state, changes, payment = found
            name = f"{grant.scheme.name} {grant.year} – {grant.organisation.name}"
            what = _("Grant")
            if state == "new":
                new.append(grant)
                values = written(
                    grant,
                    ("year", *GRANT_FIELDS),
                    self.labels,
                    {key: self.display(key) for key in ("decision", "decided_by")},
                )
                create.append(Item(row.number, what, name, values=values, link=grant))
            elif state == "changed":
                changed[grant.pk] = grant
                update.append(Item(row.number, what, name, changes, link=grant))
            elif state == "unchanged":
                unchanged.append(Item(row.number, what, name))
            if payment is not None:
                payment_name = f"{payment.paid_on.isoformat()} {payment.amount} kr – {name}"
                if payment.pk is None:
                    new_payments.append(payment)
                    values = [
                        (str(self.payment_labels["paid_on"]), shown(payment.paid_on)),
                        (str(self.payment_labels["amount"]), f"{payment.amount} kr"),
                        (
                            str(self.payment_labels["account_number"]),
                            f"{payment.get_account_kind_display()} {payment.account_number}",
                        ),
                    ]
                    create.append(
                        Item(row.number, _("Payment"), payment_name, values=values, link=grant)
                    )
                else:
                    unchanged.append(Item(row.number, _("Payment"), payment_name))

        def write(*, user, reason):
            for grant in new:
                grant.created_by = user
            bulk_create_with_history(
                new, Grant, batch_size=1000, default_user=user, default_change_reason=reason
            )
            if changed:
                bulk_update_with_history(
                    list(changed.values()),
                    Grant,
                    list(GRANT_FIELDS),
                    batch_size=1000,
                    default_user=user,
                    default_change_reason=reason,
                )
            for payment in new_payments:
                payment.grant_id = payment.grant.pk
                payment.created_by = user
            bulk_create_with_history(
                new_payments,
                Payment,
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
            )

        return super().plan(create, update, unchanged, write)

    def year_in_headers(self):
        """The year an amount's header carries ("Bidrag 2025"), when no column is the
        year's; None otherwise."""
        if self.has("year"):
            return None
        for key in ("granted_amount", "applied_amount", "paid_amount"):
            match = YEAR_IN_HEADER.fullmatch(self.table.headers.get(key, ""))
            if match:
                return int(match.group(1))
        return None

    def matching(self, key):
        """The register's grants the key names; without the file's decision references,
        those of the organisation, scheme and year."""
        if self.has("decision_reference"):
            return self.grants.get(key, [])
        return self.grants.get(key[:3], [])

    def scheme(self, row):
        name = self.required(row, "scheme")
        if not name:
            return None
        candidates = self.schemes.get(folded(name), [])
        committee = self.text(row, "committee")
        if committee:
            candidates = [
                s
                for s in candidates
                if folded(committee) in (folded(s.committee.name), folded(s.committee.short_name))
            ]
        if not candidates:
            known = sorted({s.name for group in self.schemes.values() for s in group})
            self.problem(
                row,
                "scheme",
                _("Unknown scheme “%(name)s”. The register's schemes: %(names)s.")
                % {"name": name, "names": ", ".join(known) or "–"}
                if known
                else _("Unknown scheme “%(name)s”: create the scheme first.") % {"name": name},
            )
            return None
        if len(candidates) > 1:
            self.problem(
                row,
                "committee",
                _("Several nämnder have a scheme called “%(name)s”: fill in the nämnd.")
                % {"name": name},
            )
            return None
        (scheme,) = candidates
        if scheme.pk not in self.editable:
            self.problem(
                row,
                "scheme",
                _(
                    "You can record grants only of schemes of a nämnd your förvaltning "
                    "serves; “%(name)s” is %(committee)s’s."
                )
                % {"name": scheme.name, "committee": scheme.committee.name},
            )
            return None
        return scheme

    def organisation(self, row, scheme):
        number = self.required(row, "org_number")
        if not number:
            return None
        try:
            number = orgnr.normalise(number)
        except ValidationError as error:
            self.problem(row, "org_number", error.messages[0])
            return None
        organisation = self.organisations.get((scheme.committee.municipality_id, number))
        if organisation is None:
            self.problem(
                row,
                "org_number",
                _(
                    "No organisation with the number %(number)s in %(municipality)s: import "
                    "the organisations first."
                )
                % {"number": number, "municipality": scheme.committee.municipality.name},
            )
        return organisation

    def choice(self, row, key, known):
        written = self.text(row, key)
        if not written:
            return None
        value = known.get(folded(written))
        if value is None:
            words = DECISIONS if key == "decision" else DECIDERS
            self.problem(
                row,
                key,
                _("“%(value)s” is not understood. Write one of: %(words)s.")
                % {"value": written, "words": ", ".join(dict.fromkeys(words))},
            )
            return False
        return value

    def row(self, row):
        before = len(self.problems)
        texts = {
            key: self.text(row, key)
            for key in ("decision_reference", "case_number", "decision_maker")
        }
        scheme = self.scheme(row)
        year = self.parsed(row, "year", integer_of)
        if tabular.text(row.values.get("year")) == "" and "year" not in row.unreadable:
            year = self.header_year
            if year is None:
                self.problem(
                    row, "year", _("Fill in %(column)s.") % {"column": self.header("year")}
                )
        applied = self.parsed(row, "applied_amount", tabular.kronor_of)
        granted = self.parsed(row, "granted_amount", tabular.kronor_of)
        decided_on = self.parsed(row, "decision_date", tabular.date_of)
        decision = self.choice(row, "decision", self.decisions)
        decided_by = self.choice(row, "decided_by", self.deciders)
        purpose = self.text(row, "purpose", multiline=True)
        organisation = self.organisation(row, scheme) if scheme else None
        if None in texts.values() or None in (scheme, organisation, year):
            return None
        if self.bad(row, before):
            return None
        if False in (decision, decided_by):
            return None
        if not 2000 <= year <= 2100:
            self.problem(row, "year", _("Give a year between 2000 and 2100."))
            return None
        existing = self.matching(
            (organisation.pk, scheme.pk, year, folded(texts["decision_reference"]))
        )
        if not existing:
            # A new grant: applied for what was granted, for the scheme's purpose, unless
            # the file says otherwise.
            applied = granted if applied is None else applied
            purpose = purpose or scheme.name
            if applied is None:
                self.problem(
                    row,
                    "applied_amount",
                    _("Fill in %(column)s.") % {"column": self.header("applied_amount")},
                )
                return None
        compared = applied if applied is not None else existing[0].applied_amount
        if decision is None and granted is not None:
            decision = (
                Grant.Decision.REJECTED
                if granted == 0
                else Grant.Decision.GRANTED
                if granted >= compared
                else Grant.Decision.PARTLY
            )
        if decision == Grant.Decision.REJECTED and granted == 0:
            granted = None
        given = {
            "purpose": purpose,
            "applied_amount": applied,
            "granted_amount": granted,
            "decision": decision,
            "decided_by": decided_by,
            "decision_date": decided_on,
            "decision_reference": texts["decision_reference"],
            "case_number": texts["case_number"],
            "decision_maker": texts["decision_maker"],
        }
        given = {name: value for name, value in given.items() if value not in (None, "")}
        reference = folded(texts["decision_reference"])
        key = (organisation.pk, scheme.pk, year, reference)
        earlier = self.seen.get(key)
        if earlier is not None:
            number, grant, values = earlier
            if values != given:
                self.problem(
                    row,
                    "decision_reference",
                    _(
                        "The same grant (organisation, scheme, year and decision reference) "
                        "as on row %(row)d, with other details. A grant paid in parts takes "
                        "one row per payment with the same details."
                    )
                    % {"row": number},
                )
                return None
            state = "again"
        else:
            written = dict(given)  # as the row writes it, before defaults are added
            grant, state = self.grant(row, key, organisation, scheme, year, given)
            if grant is None:
                return None
            self.seen[key] = (row.number, grant, written)
        changes = state[1] if isinstance(state, tuple) else []
        state = state[0] if isinstance(state, tuple) else state
        payment = self.payment(row, grant, organisation)
        if payment is False:
            return None
        return grant, state, changes, payment

    def grant(self, row, key, organisation, scheme, year, given):
        """The grant the row is about and what becomes of it: "new", ("changed",
        changes) or "unchanged"; (None, None) with a problem if it cannot be."""
        existing = self.matching(key)
        if len(existing) > 1:
            self.problem(
                row,
                "decision_reference",
                _(
                    "The register has several such grants (organisation, scheme, year and "
                    "decision reference): give each its decision reference there first."
                ),
            )
            return None, None
        decided = given.get("decision", existing[0].decision if existing else "applied")
        if decided != Grant.Decision.APPLIED and not (
            given.get("decided_by") or (existing and existing[0].decided_by)
        ):
            given["decided_by"] = Grant.DecidedBy.COMMITTEE
        if existing:
            grant = existing[0]
            grant.organisation, grant.scheme = organisation, scheme  # the same, already read
            changes = []
            for name, value in given.items():
                old = getattr(grant, name)
                if old != value:
                    changes.append(
                        (str(self.labels[name]), self.shown(name, old), self.shown(name, value))
                    )
                    setattr(grant, name, value)
            state = ("changed", changes) if changes else "unchanged"
        else:
            grant = Grant(organisation=organisation, scheme=scheme, year=year, **given)
            state = "new"
        try:
            grant.full_clean(
                exclude=["organisation", "scheme", "created_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self.model_errors(row, error, COLUMN_OF)
            return None, None
        if grant.decision != Grant.Decision.APPLIED and grant.decision_date is None:
            self.problem(row, "decision_date", _("Give the date of the decision."))
            return None, None
        return grant, state

    def display(self, name):
        return lambda value: dict(Grant._meta.get_field(name).flatchoices)[value]

    def shown(self, name, value):
        if name in ("decision", "decided_by") and value:
            return str(dict(Grant._meta.get_field(name).flatchoices)[value])
        return shown(value)

    def payment(self, row, grant, organisation):
        """The row's payment: None without one, an existing one it matches, a new one, or
        False (with a problem)."""
        keys = ("paid_on", "paid_amount", "account")
        if not any(tabular.text(row.values.get(key)) for key in keys):
            return False if row.unreadable.intersection(keys) else None
        paid_on = self.parsed(row, "paid_on", tabular.date_of, required=True)
        amount = self.parsed(row, "paid_amount", tabular.kronor_of, required=True)
        if paid_on is None or amount is None:
            return False
        if amount == 0:
            self.problem(row, "paid_amount", _("A payment is more than 0 kr."))
            return False
        if grant.pk is not None:
            same = next(
                (
                    p
                    for p in self.payments.get(grant.pk, [])
                    if p.paid_on == paid_on and p.amount == amount
                ),
                None,
            )
            if same is not None:
                return same
        if grant.decision not in Grant.GRANTING:
            self.problem(row, "paid_amount", _("Only a granted grant can be paid."))
            return False
        kind, number = self.account(row, organisation)
        if kind is None:
            return False
        paid = self.paid.get(grant.pk, 0) if grant.pk else 0
        paid += sum(p.amount for p in getattr(grant, "_imported_payments", []))
        if paid + amount > (grant.granted_amount or 0):
            self.problem(
                row,
                "paid_amount",
                _(
                    "The payments would exceed the amount granted (%(granted)s kr); record "
                    "such a payment by hand, with its reason."
                )
                % {"granted": grant.granted_amount},
            )
            return False
        payment = Payment(
            grant=grant, paid_on=paid_on, amount=amount, account_kind=kind, account_number=number
        )
        grant._imported_payments = [*getattr(grant, "_imported_payments", []), payment]
        return payment

    def account(self, row, organisation):
        """The account the row's payment went to: the organisation's confirmed one. A
        cell naming another account is refused, as the payment form refuses it: a new
        account is entered on the organisation's page and confirmed by a colleague, so
        that no one person can send money to an account of their own choosing."""
        account = self.accounts.get(organisation.pk)
        written = self.text(row, "account")
        if written is None:
            return None, None
        if account is None:
            self.problem(
                row,
                "account",
                _(
                    "The organisation has no confirmed payment account. Enter it on the "
                    "organisation's page, have a colleague confirm it, and import again."
                ),
            )
            return None, None
        if not written:
            return account.kind, account.number
        lowered = folded(written)
        kind = "bankgiro"
        for prefix, named in (
            ("plusgiro", "plusgiro"),
            ("bankgiro", "bankgiro"),
            ("pg", "plusgiro"),
            ("bg", "bankgiro"),
        ):
            if lowered.startswith(prefix):
                kind, lowered = named, lowered[len(prefix) :].lstrip(" :")
                break
        try:
            number = giro.validate(kind, lowered)
        except ValidationError as error:
            self.problem(row, "account", error.messages[0])
            return None, None
        if (kind, number) != (account.kind, account.number):
            self.problem(
                row,
                "account",
                _(
                    "%(written)s is not the organisation's confirmed account (%(account)s). "
                    "Payments go to the confirmed account only: leave the cell empty, or "
                    "enter the new account on the organisation's page and have a colleague "
                    "confirm it first."
                )
                % {
                    "written": capfirst(f"{PaymentAccount.Kind(kind).label} {number}"),
                    "account": f"{PaymentAccount.Kind(account.kind).label} {account.number}",
                },
            )
            return None, None
        return kind, number


def plan(table, user, progress):
    return GrantPlanner(GRANTS, table, user).plan(progress)


def template(user):
    schemes = list(GrantScheme.objects.editable_by(user).filter(is_active=True))
    committees = list(
        Body.objects.filter(pk__in={s.committee_id for s in schemes}).values_list("name", flat=True)
    )
    scheme = schemes[0] if schemes else None
    examples = [
        [
            "802111-1110",
            "Föreningen Exempel",
            scheme.name if scheme else "Verksamhetsbidrag",
            "",
            2025,
            "Öppen verksamhet för unga.",
            "150 000",
            "120 000",
            "delvis beviljat",
            "nämnden",
            "2025-02-20",
            "§ 12",
            "ASN-2025-00017",
            "",
            "2025-03-01",
            "120 000",
            "BG 505-0109",
        ]
    ]
    return tabular.template(
        COLUMNS,
        examples,
        sheet=_("Grants"),
        about=_("About the columns"),
        choices={
            "scheme": sorted({s.name for s in schemes}),
            "committee": sorted(committees),
            "decision": ["beviljat", "delvis beviljat", "avslag", "ansökt"],
            "decided_by": ["nämnden", "delegat"],
        },
    )


GRANTS = register_import.Kind(
    name="grants",
    label=gettext_lazy("grants and payments"),
    rule="import_grants",
    columns=lambda: COLUMNS,
    planner=plan,
    template=template,
    list_url="grant_list",
    template_name="bidrag-mall.xlsx",
)
register_import.register(GRANTS)
