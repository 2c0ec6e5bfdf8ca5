"""Importing organisations (with a contact person each) and IOP agreements from a file.

Organisations are matched within the importing civil servant's municipality by their
organisationsnummer (normalised, so 8020023431 and 802002-3431 are one); a row without a
number matches the organisation of that name (case and spaces forgiven), or creates one. A
contact person is matched within their organisation by e-mail address, else by name.
Agreements are matched by diarienummer within the municipality, else by title and start
date. An empty cell, or a column the file lacks, leaves the register's value as it is.

Whose e-mail and phone: a row's contact person, with their e-mail address and phone,
is one ContactPerson. Columns headed just "E-post" or "Telefon" (or "Mejl", "Tel" …) are
the contact person's when the file has a contact-person column ("Kontaktperson"), and
the organisation's when it has none (as the organisation list's own export writes them).
The organisation's own address and phone beside a contact person come only from columns
that say so ("Föreningens e-post", "Organisationens telefon") or that the mapping step
maps to them, so a file never writes a person's address over the organisation's.

See municipality.register_import for the preview, the confirmation and all or nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from municipality import bulk_writes, register_import, tabular
from municipality.access import scope_for
from municipality.models import Body
from municipality.register_import import (
    Item,
    Rows,
    assign,
    differences,
    every,
    folded,
    written,
)
from partners import orgnr
from partners.models import PROTECTED_LABEL, ContactPerson, Organisation, Partnership

# The legal forms as a Swedish file names them (and the template's drop-down list).
LEGAL_FORM_NAMES = {
    Organisation.LegalForm.NON_PROFIT: "ideell förening",
    Organisation.LegalForm.FOUNDATION: "stiftelse",
    Organisation.LegalForm.RELIGIOUS: "registrerat trossamfund",
    Organisation.LegalForm.ECONOMIC: "ekonomisk förening",
    Organisation.LegalForm.USER_ASSOCIATION: "brukarförening",
    Organisation.LegalForm.OTHER: "annan",
}

# Headers a Swedish file writes for an e-mail address or a phone number without saying
# whose: the contact person's beside a contact-person column, the organisation's otherwise.
BARE_EMAIL = ("e-post", "epost", "e-postadress", "mejl", "mejladress", "mail", "email", "e-mail")
BARE_PHONE = ("telefon", "telefonnummer", "tel", "tfn", "mobil", "mobilnummer", "mobiltelefon")

# One column per field, with the headers people write for it (case, spaces, hyphens and
# dots forgiven; see municipality.tabular).
ORGANISATION_COLUMNS = (
    tabular.Column(
        "org_number",
        "organisationsnummer",
        ("orgnr", "org nr", "org.nr", "org-nr", "orgnummer", "organisationsnr",
         "föreningens organisationsnummer", "organisation number"),
        False,
        gettext_lazy(
            "NNNNNN-NNNN. Matches the organisation in the register; leave empty only for a "
            "network without one (then the name matches)."
        ),
    ),
    tabular.Column(
        "name",
        "namn",
        ("organisation", "organisationsnamn", "organisationens namn", "förening",
         "föreningsnamn", "föreningens namn", "namn på föreningen", "name"),
        True,
        gettext_lazy("The organisation's name."),
    ),
    tabular.Column(
        "legal_form",
        "juridisk form",
        ("organisationsform", "associationsform", "föreningsform", "form", "legal form"),
        False,
        gettext_lazy(
            "Ideell förening, stiftelse, registrerat trossamfund, ekonomisk förening, "
            "brukarförening or annan. Empty: ideell förening for a new organisation."
        ),
    ),
    tabular.Column(
        "street_address",
        "gatuadress",
        ("adress", "utdelningsadress", "postadress", "besöksadress", "gata"),
        False,
        "",
    ),
    tabular.Column(
        "postal_code", "postnummer", ("postnr", "post nr"), False, gettext_lazy("E.g. 211 20.")
    ),
    tabular.Column("city", "ort", ("postort", "stad"), False, ""),
    tabular.Column(
        "email",
        "organisationens e-post",
        ("organisationens epost", "organisationens e-postadress", "föreningens e-post",
         "föreningens epost", "föreningens e-postadress", "föreningens mejl"),
        False,
        gettext_lazy(
            "The organisation's own address. A column headed just “E-post” is the contact "
            "person's when the file has a contact-person column, else the organisation's."
        ),
        shared=BARE_EMAIL,
    ),
    tabular.Column(
        "phone",
        "organisationens telefon",
        ("organisationens telefonnummer", "föreningens telefon", "föreningens telefonnummer"),
        False,
        gettext_lazy(
            "A column headed just “Telefon” is the contact person's when the file has a "
            "contact-person column, else the organisation's."
        ),
        shared=BARE_PHONE,
    ),
    tabular.Column(
        "website", "webbplats", ("hemsida", "webb", "webbadress", "webbsida", "url"), False, ""
    ),
    tabular.Column(
        "contact_name",
        "kontaktperson",
        ("kontaktpersonens namn", "kontaktperson namn", "kontakt", "kontaktnamn",
         "ansvarig", "ansvarig person"),
        False,
        gettext_lazy("One contact person per row: matched by e-mail address, else by name."),
    ),
    tabular.Column(
        "contact_role",
        "kontaktpersonens roll",
        ("kontaktperson roll", "kontaktpersonens uppdrag", "roll", "uppdrag", "befattning"),
        False,
        gettext_lazy("E.g. chair or operations manager."),
    ),
    tabular.Column(
        "contact_email",
        "kontaktpersonens e-post",
        ("kontaktperson e-post", "kontaktpersonens epost", "kontaktpersonens e-postadress",
         "kontaktens e-post"),
        False,
        "",
        shared=BARE_EMAIL,
        beside="contact_name",
    ),
    tabular.Column(
        "contact_phone",
        "kontaktpersonens telefon",
        ("kontaktperson telefon", "kontaktpersonens telefonnummer", "kontaktens telefon"),
        False,
        "",
        shared=BARE_PHONE,
        beside="contact_name",
    ),
)  # fmt: skip

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "street_address",
    "postal_code",
    "city",
    "email",
    "phone",
    "website",
)
CONTACT_FIELDS = {
    "contact_name": "name",
    "contact_role": "role",
    "contact_email": "email",
    "contact_phone": "phone",
}


def legal_forms():
    names = {}
    for value, label in Organisation.LegalForm.choices:
        names[folded(value)] = value
        names[folded(str(label))] = value
        names[folded(LEGAL_FORM_NAMES[value])] = value
    return names


def municipality_of(user):
    return scope_for(user).keeps_municipality_id


class OrganisationPlanner(Rows):
    def __init__(self, kind, table, user):
        super().__init__(kind, table)
        self.municipality_id = municipality_of(user)
        organisations = list(Organisation.objects.filter(municipality_id=self.municipality_id))
        self.by_number = {o.org_number: o for o in organisations if o.org_number}
        self.by_name = {}
        for organisation in organisations:
            self.by_name.setdefault(folded(organisation.name), []).append(organisation)
        self.matched = {}  # organisation pk -> the row that matched it
        self.contacts = {}
        for contact in ContactPerson.objects.filter(organisation__in=organisations):
            self.contacts.setdefault(contact.organisation_id, []).append(contact)
        self.legal_forms = legal_forms()
        self.labels = {f.name: f.verbose_name for f in Organisation._meta.fields}
        self.contact_labels = {f.name: f.verbose_name for f in ContactPerson._meta.fields}
        self.seen = {}

    def plan(self, progress):
        create, update, unchanged = [], [], []
        new, changed, new_contacts, changed_contacts = [], {}, [], []
        for row in every(self.table.rows, progress):
            before = len(self.problems)
            found = self.row(row)
            if found is None or self.bad(row, before):
                continue
            organisation, is_new, changes, contact = found
            what = _("Organisation")
            if is_new:
                new.append(organisation)
                values = written(
                    organisation,
                    ("org_number", *ORGANISATION_FIELDS),
                    self.labels,
                    {"legal_form": lambda value: Organisation.LegalForm(value).label},
                )
                create.append(
                    Item(row.number, what, organisation.name, values=values, link=organisation)
                )
            elif changes:
                changed[organisation.pk] = organisation
                update.append(Item(row.number, what, organisation.name, changes, link=organisation))
            else:
                unchanged.append(Item(row.number, what, organisation.name))
            if contact is not None:
                person, contact_new, contact_changes = contact
                what = _("Contact person")
                # str() of a protected person is the label, never their name or details.
                name = f"{person} ({organisation.name})"
                if person.is_protected:
                    mask = str(PROTECTED_LABEL)
                    contact_changes = [(label, mask, mask) for label, _o, _n in contact_changes]
                if contact_new:
                    new_contacts.append((organisation, person))
                    values = written(person, CONTACT_FIELDS.values(), self.contact_labels)
                    create.append(Item(row.number, what, name, values=values, link=organisation))
                elif contact_changes:
                    changed_contacts.append(person)
                    update.append(Item(row.number, what, name, contact_changes, link=organisation))
                else:
                    unchanged.append(Item(row.number, what, name))

        def write(*, user, reason):
            bulk_create_with_history(
                new, Organisation, default_user=user, default_change_reason=reason
            )
            if changed:
                bulk_update_with_history(
                    list(changed.values()),
                    Organisation,
                    [*list(ORGANISATION_FIELDS), "org_number"],
                    default_user=user,
                    default_change_reason=reason,
                )
                bulk_writes.announce(Organisation, (o.pk for o in changed.values()))
            for organisation, person in new_contacts:
                person.organisation = organisation
            bulk_create_with_history(
                [person for _organisation, person in new_contacts],
                ContactPerson,
                default_user=user,
                default_change_reason=reason,
            )
            if changed_contacts:
                bulk_update_with_history(
                    changed_contacts,
                    ContactPerson,
                    list(CONTACT_FIELDS.values()),
                    default_user=user,
                    default_change_reason=reason,
                )

        return super().plan(create, update, unchanged, write)

    def row(self, row):
        if self.municipality_id is None:
            self.problem(row, "name", _("Only a civil servant can import organisations."))
            return None
        values = {key: self.text(row, key) for key in self.columns}
        if None in values.values():
            return None
        name = self.required(row, "name")
        if not name:
            return None
        number = values["org_number"]
        if number:
            try:
                number = orgnr.normalise(number)
            except ValidationError as error:
                self.problem(row, "org_number", error.messages[0])
                return None
        key = number or ("name", folded(name))
        earlier = self.seen.setdefault(key, row.number)
        if earlier != row.number:
            self.problem(
                row,
                "org_number" if number else "name",
                _("The same organisation number as on row %(row)d: one row per organisation.")
                % {"row": earlier}
                if number
                else _("The same name as on row %(row)d, without an organisation number.")
                % {"row": earlier},
            )
            return None
        given = {name_: values[name_] for name_ in ORGANISATION_FIELDS if values[name_]}
        if "legal_form" in given:
            legal_form = self.legal_forms.get(folded(given["legal_form"]))
            if legal_form is None:
                self.problem(
                    row,
                    "legal_form",
                    _("Unknown legal form “%(value)s”. Write one of: %(forms)s.")
                    % {"value": given["legal_form"], "forms": ", ".join(LEGAL_FORM_NAMES.values())},
                )
                return None
            given["legal_form"] = legal_form
        organisation = self.match(row, number, name)
        if organisation is False:
            return None
        is_new = organisation is None
        if not is_new:
            earlier = self.matched.setdefault(organisation.pk, row.number)
            if earlier != row.number:
                self.problem(
                    row,
                    "name",
                    _("The same organisation as on row %(row)d: one row per organisation.")
                    % {"row": earlier},
                )
                return None
        if not number and not is_new:
            del given["name"]  # matched by this name: as the register writes it
        if is_new:
            organisation = Organisation(municipality_id=self.municipality_id, org_number=number)
        before = assign(organisation, given)
        if not self.valid(row, organisation, (*ORGANISATION_FIELDS, "org_number")):
            return None
        changes = [] if is_new else differences(organisation, before, self.labels)
        contact = self.contact(row, values, organisation, is_new)
        if contact is False:
            return None
        return organisation, is_new, changes, contact

    def match(self, row, number, name):
        if number:
            return self.by_number.get(number)
        same = self.by_name.get(folded(name), [])
        if len(same) > 1:
            self.problem(
                row,
                "name",
                _("Several organisations have this name: give the organisation number."),
            )
            return False
        return same[0] if same else None

    def valid(self, row, obj, fields):
        """Field checks and clean() without a query per row; uniqueness is the planner's."""
        exclude = [f.name for f in obj._meta.fields if f.name not in fields]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            columns = {name: name for name in ORGANISATION_FIELDS} | {"org_number": "org_number"}
            if isinstance(obj, ContactPerson):
                columns = {field: key for key, field in CONTACT_FIELDS.items()}
            self.model_errors(row, error, columns)
            return False
        return True

    def contact(self, row, values, organisation, is_new):
        given = {field: values[key] for key, field in CONTACT_FIELDS.items() if values[key]}
        if not given:
            return None
        existing = [] if is_new else self.contacts.get(organisation.pk, [])
        person = None
        if given.get("email"):
            address = given["email"].casefold()
            person = next((c for c in existing if c.email.casefold() == address), None)
        if person is None and given.get("name"):
            person = next((c for c in existing if folded(c.name) == folded(given["name"])), None)
        if person is None:
            if not given.get("name"):
                self.problem(
                    row,
                    "contact_name",
                    _("Fill in %(column)s.") % {"column": self.header("contact_name")},
                )
                return False
            person = ContactPerson(**given)
            if not self.valid(row, person, tuple(CONTACT_FIELDS.values())):
                return False
            return person, True, []
        before = assign(person, given)
        if not self.valid(row, person, tuple(CONTACT_FIELDS.values())):
            return False
        return person, False, differences(person, before, self.contact_labels)


def plan_organisations(table, user, progress):
    return OrganisationPlanner(ORGANISATIONS, table, user).plan(progress)


def organisations_template(user):
    examples = [
        [
            "802111-1110",
            "Föreningen Exempel",
            "ideell förening",
            "Storgatan 1",
            "211 20",
            "Malmö",
            "info@exempel.example",
            "040-12 34 56",
            "https://exempel.example",
            "Anna Ek",
            "ordförande",
            "anna.ek@exempel.example",
            "070-123 45 67",
        ]
    ]
    return tabular.template(
        ORGANISATION_COLUMNS,
        examples,
        sheet=_("Organisations"),
        about=_("About the columns"),
        choices={"legal_form": list(LEGAL_FORM_NAMES.values())},
    )


ORGANISATIONS = register_import.Kind(
    name="organisations",
    label=gettext_lazy("organisations and contact persons"),
    rule="import_organisations",
    columns=lambda: ORGANISATION_COLUMNS,
    planner=plan_organisations,
    template=organisations_template,
    list_url="organisation_list",
    template_name="organisationer-mall.xlsx",
)
register_import.register(ORGANISATIONS)


# IOP agreements ---------------------------------------------------------------------------

PARTNERSHIP_COLUMNS = (
    tabular.Column(
        "title",
        "titel",
        ("avtal", "avtalets namn", "avtalsnamn", "benämning", "namn", "title"),
        True,
        "",
    ),
    tabular.Column(
        "case_number",
        "diarienummer",
        ("dnr", "diarienr", "ärendenummer", "ärendenr"),
        False,
        gettext_lazy("Matches the agreement in the register; without one, title and start date."),
    ),
    tabular.Column(
        "parties",
        "parter",
        (
            "part",
            "motpart",
            "organisationer",
            "organisation",
            "förening",
            "föreningar",
            "organisationsnummer",
            "orgnr",
        ),
        True,
        gettext_lazy(
            "The organisations' numbers (or names), several separated by semicolons (;). "
            "They must be in the register."
        ),
    ),
    tabular.Column(
        "decided_by",
        "beslutande nämnd",
        ("nämnd", "beslutad av", "beslutsorgan"),
        True,
        gettext_lazy("The nämnd that decided the agreement, by name or abbreviation."),
    ),
    tabular.Column(
        "run_by",
        "ansvarig förvaltning",
        ("förvaltning", "drivs av", "ansvarig"),
        True,
        gettext_lazy("The förvaltning running it: one you work in."),
    ),
    tabular.Column("purpose", "syfte", ("ändamål", "beskrivning"), True, ""),
    tabular.Column(
        "activities",
        "aktiviteter",
        ("verksamhet", "insatser"),
        False,
        gettext_lazy("Comma-separated."),
    ),
    tabular.Column(
        "start_date",
        "startdatum",
        ("start", "giltigt från", "avtalsstart", "från", "från och med", "fr.o.m."),
        True,
        gettext_lazy("2026-02-27 or 27/2/2026."),
    ),
    tabular.Column(
        "end_date",
        "slutdatum",
        ("slut", "giltigt till", "avtalsslut", "till", "till och med", "t.o.m."),
        True,
        gettext_lazy("Not before the start date."),
    ),
    tabular.Column(
        "yearly_compensation",
        "årlig ersättning",
        ("ersättning", "ersättning per år", "belopp", "årligt belopp", "belopp per år"),
        False,
        gettext_lazy("Whole kronor per year, e.g. 1 234 567 kr."),
    ),
    tabular.Column(
        "notice_period_months",
        "uppsägningstid",
        ("uppsägningstid (månader)", "uppsägningstid månader"),
        False,
        gettext_lazy("Months. Empty: 3 for a new agreement."),
    ),
)

PARTNERSHIP_FIELDS = (
    "title",
    "case_number",
    "decided_by_id",
    "run_by_id",
    "purpose",
    "activities",
    "start_date",
    "end_date",
    "yearly_compensation",
    "notice_period_months",
)
PARTNERSHIP_COLUMN_OF = {
    "decided_by": "decided_by",
    "run_by": "run_by",
    **{name: name for name in PARTNERSHIP_FIELDS if not name.endswith("_id")},
}


class PartnershipPlanner(Rows):
    def __init__(self, kind, table, user):
        super().__init__(kind, table)
        self.user = user
        self.municipality_id = municipality_of(user)
        bodies = list(Body.objects.filter(municipality_id=self.municipality_id))
        self.bodies = {}
        self.body_names = {body.pk: body.name for body in bodies}
        for body in bodies:
            for name in (body.name, body.short_name):
                if name:
                    self.bodies.setdefault((body.kind, folded(name)), body)
        self.kept = set(Body.objects.kept_by(user).values_list("pk", flat=True))
        organisations = Organisation.objects.filter(municipality_id=self.municipality_id)
        self.organisations = {}
        for organisation in organisations:
            self.organisations.setdefault(organisation.org_number, organisation)
            self.organisations.setdefault(folded(organisation.name), organisation)
        self.organisations.pop("", None)
        agreements = list(
            Partnership.objects.filter(run_by__municipality_id=self.municipality_id)
            .select_related("decided_by", "run_by")
            .prefetch_related("parties")
        )
        self.by_case = {}
        self.by_title = {}
        for agreement in agreements:
            if agreement.case_number:
                self.by_case.setdefault(folded(agreement.case_number), agreement)
            self.by_title.setdefault((folded(agreement.title), agreement.start_date), agreement)
        self.editable = set(Partnership.objects.editable_by(user).values_list("pk", flat=True))
        self.labels = {f.attname: f.verbose_name for f in Partnership._meta.fields}
        self.labels["parties"] = Partnership._meta.get_field("parties").verbose_name
        self.seen = {}

    def plan(self, progress):
        create, update, unchanged, writes = [], [], [], []
        for row in every(self.table.rows, progress):
            before = len(self.problems)
            found = self.row(row)
            if found is None or self.bad(row, before):
                continue
            agreement, parties, is_new, changes = found
            what = _("IOP agreement")
            if is_new:
                create.append(
                    Item(row.number, what, agreement.title, values=self.values(agreement, parties))
                )
            elif changes:
                update.append(Item(row.number, what, agreement.title, changes, link=agreement))
            else:
                unchanged.append(Item(row.number, what, agreement.title))
                continue
            writes.append((agreement, parties, is_new))

        def write(*, user, reason):
            # Few rows, each with its set of parties: saved one by one, so the history
            # shows the agreement and its parties as one change by the importing user.
            for agreement, parties, is_new in writes:
                agreement._history_user = user
                agreement._change_reason = reason
                agreement.save()
                if is_new or {p.pk for p in parties} != set(agreement.party_ids):
                    agreement.parties.set(parties)

        return super().plan(create, update, unchanged, write)

    def values(self, agreement, parties):
        """What a new agreement's preview shows: every field given, bodies and parties
        by name."""
        found = written(agreement, ("title", "case_number"), self.labels)
        found += [
            (str(self.labels["decided_by_id"]), agreement.decided_by.name),
            (str(self.labels["run_by_id"]), agreement.run_by.name),
            (str(self.labels["parties"]), ", ".join(sorted(p.name for p in parties))),
        ]
        return found + written(
            agreement,
            ("purpose", "activities", "start_date", "end_date", "yearly_compensation",
             "notice_period_months"),
            self.labels,
        )  # fmt: skip

    def body(self, row, key, kind):
        name = self.required(row, key)
        if not name:
            return None
        body = self.bodies.get((kind, folded(name)))
        if body is None:
            message = (
                _("Unknown nämnd “%(name)s”.")
                if kind == Body.Kind.COMMITTEE
                else _("Unknown förvaltning “%(name)s”.")
            )
            self.problem(row, key, message % {"name": name})
        return body

    def row(self, row):
        if self.municipality_id is None:
            self.problem(row, "title", _("Only a civil servant can import IOP agreements."))
            return None
        values = {
            key: self.text(row, key)
            for key in self.columns
            if key not in ("start_date", "end_date", "yearly_compensation", "purpose")
        }
        if None in values.values():
            return None
        title = self.required(row, "title")
        purpose = self.required(row, "purpose", multiline=True)
        decided_by = self.body(row, "decided_by", Body.Kind.COMMITTEE)
        run_by = self.body(row, "run_by", Body.Kind.ADMINISTRATION)
        start = self.parsed(row, "start_date", tabular.date_of, required=True)
        end = self.parsed(row, "end_date", tabular.date_of, required=True)
        compensation = self.parsed(row, "yearly_compensation", tabular.kronor_of)
        months = self.parsed(row, "notice_period_months", register_import.integer_of)
        parties = self.parties(row)
        if None in (title, purpose, decided_by, run_by, start, end, parties):
            return None
        if end < start:
            self.problem(row, "end_date", _("The end date cannot be before the start date."))
            return None
        case_number = values["case_number"]
        key = ("case", folded(case_number)) if case_number else ("title", folded(title), start)
        earlier = self.seen.setdefault(key, row.number)
        if earlier != row.number:
            self.problem(
                row,
                "case_number" if case_number else "title",
                _("The same agreement as on row %(row)d.") % {"row": earlier},
            )
            return None
        agreement = (
            self.by_case.get(folded(case_number))
            if case_number
            else self.by_title.get((folded(title), start))
        )
        is_new = agreement is None
        if is_new and run_by.pk not in self.kept:
            self.problem(
                row,
                "run_by",
                _("You can register agreements only for a förvaltning you work in."),
            )
            return None
        if not is_new and agreement.pk not in self.editable:
            self.problem(
                row,
                "case_number" if case_number else "title",
                _("The agreement is in the register, but not one you may change."),
            )
            return None
        given = {
            "title": title,
            "case_number": case_number,
            "decided_by_id": decided_by.pk,
            "run_by_id": run_by.pk,
            "purpose": purpose,
            "activities": values["activities"],
            "start_date": start,
            "end_date": end,
            "yearly_compensation": compensation,
            "notice_period_months": months,
        }
        given = {name: value for name, value in given.items() if value not in (None, "")}
        if is_new:
            agreement = Partnership(**given)
            changes = []
        else:
            agreement.party_ids = [p.pk for p in agreement.parties.all()]
            changes = self.compare(agreement, given)
            old_parties = sorted(p.name for p in agreement.parties.all())
            new_parties = sorted(p.name for p in parties)
            if old_parties != new_parties:
                changes.append(
                    (str(self.labels["parties"]), ", ".join(old_parties), ", ".join(new_parties))
                )
        agreement.decided_by, agreement.run_by = decided_by, run_by
        exclude = [
            f.name
            for f in Partnership._meta.fields
            if f.attname not in PARTNERSHIP_FIELDS and f.name not in ("decided_by", "run_by")
        ]
        try:
            agreement.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.model_errors(row, error, PARTNERSHIP_COLUMN_OF)
            return None
        return agreement, parties, is_new, changes

    def compare(self, agreement, given):
        """Set `given` on the agreement; (label, old, new) of what differs, bodies named."""
        found = []
        for name, value in given.items():
            old = getattr(agreement, name)
            if old != value:
                if name in ("decided_by_id", "run_by_id"):
                    old_shown, new_shown = self.body_names.get(old, "–"), self.body_names[value]
                else:
                    old_shown, new_shown = register_import.shown(old), register_import.shown(value)
                found.append((str(self.labels[name]), old_shown, new_shown))
                setattr(agreement, name, value)
        return found

    def parties(self, row):
        cell = self.required(row, "parties")
        if not cell:
            return None
        found, missing = [], []
        for part in (part.strip() for part in cell.split(";")):
            if not part:
                continue
            key = part
            if orgnr.looks_like_orgnr(part):
                try:
                    key = orgnr.normalise(part)
                except ValidationError as error:
                    self.problem(row, "parties", f"{part}: {error.messages[0]}")
                    return None
            organisation = self.organisations.get(key) or self.organisations.get(folded(part))
            if organisation is None:
                missing.append(part)
            elif organisation not in found:
                found.append(organisation)
        if missing:
            self.problem(
                row,
                "parties",
                _("No organisation %(names)s in the register: import the organisations first.")
                % {"names": ", ".join(f"“{name}”" for name in missing)},
            )
            return None
        return found


def plan_partnerships(table, user, progress):
    return PartnershipPlanner(PARTNERSHIPS, table, user).plan(progress)


def partnerships_template(user):
    """The lists name the user's municipality's bodies (every body, from the command line
    without a user)."""
    municipality_id = scope_for(user).municipality_id
    bodies = Body.objects.filter(municipality_id=municipality_id) if user else Body.objects.all()
    committees = [b.name for b in bodies.filter(kind=Body.Kind.COMMITTEE)]
    administrations = [b.name for b in bodies.filter(kind=Body.Kind.ADMINISTRATION)]
    examples = [
        [
            "IOP Vinteröppet",
            "ASN-2026-00012",
            "802111-1110",
            committees[0] if committees else "Socialnämnden",
            administrations[0] if administrations else "Socialförvaltningen",
            "Öppen verksamhet för människor i hemlöshet vintertid.",
            "värmestuga, rådgivning",
            "2026-01-01",
            "2028-12-31",
            "1 200 000",
            "6",
        ]
    ]
    return tabular.template(
        PARTNERSHIP_COLUMNS,
        examples,
        sheet=_("IOP agreements"),
        about=_("About the columns"),
        choices={"decided_by": committees, "run_by": administrations},
    )


PARTNERSHIPS = register_import.Kind(
    name="partnerships",
    label=gettext_lazy("IOP agreements"),
    rule="import_partnerships",
    columns=lambda: PARTNERSHIP_COLUMNS,
    planner=plan_partnerships,
    template=partnerships_template,
    list_url="partnership_list",
    template_name="iop-avtal-mall.xlsx",
)
register_import.register(PARTNERSHIPS)
