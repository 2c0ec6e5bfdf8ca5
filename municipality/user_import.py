"""Inviting users in bulk from a spreadsheet: read, plan, and (once confirmed) create.

A file is first *planned*: every row is checked by the same rules as the admin's forms
(User.full_clean with the role–municipality rule, Membership.clean, and each feature's
link rules, such as Representative.clean), against the register as it is and against the
file's other rows. The plan says which users will be created, which rows are unchanged
because the user already exists exactly so, and every problem with its row, column and a
Swedish message. `create` plans the same bytes again inside one transaction and writes
only if nothing is wrong and the plan is still the one that was shown (its fingerprint):
all rows or none. Invitations are sent by the caller after the commit.

Columns: förnamn, efternamn, e-post, roll, kommun (only needed when the register has more
than one municipality), nämnder/förvaltningar (several separated by semicolons; a comma
can be part of a name, as in "Miljö-, hälso- och bygglovsnämnden"), användarnamn (the
e-mail address when left empty), and the columns features add (partners: organisation,
behörighet).
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipality import import_columns, invitations, personal_data, tabular, write_lock
from municipality.inputs import refuse_line_breaks
from municipality.models import Body, Membership, Municipality, Role, User, UserImport

MAX_ROWS = 2_000
SEPARATORS = re.compile(r"[;\r\n]+")


class Changed(Exception):
    """The file or the register changed since the preview; nothing was written."""


def split(cell):
    """The names in a cell of several: separated by semicolons (or line breaks)."""
    return [part.strip() for part in SEPARATORS.split(tabular.text(cell)) if part.strip()]


def folded(name):
    """A name as compared: case, accents' composition and runs of spaces forgiven."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Link:
    """Records of `model` about a user that the file names in a column (`column`, a key):
    memberships here, and what features register (`add_link`) with the columns they add.
    `build(row, user, cache)` gives the unsaved records for one row and the problems
    found, as (column key, message); `key(record)` says what makes two the same,
    `current(user)` the keys an existing user already has, and `describe(record)` names
    one in the preview."""

    model: type
    column: str
    build: object
    key: object
    current: object
    describe: object
    columns: tuple = ()
    # The template's example values of `columns`, for an Organisationsföreträdare.
    example: object = lambda municipality: ()


LINKS = []


def add_link(link):
    LINKS.append(link)


def columns():
    return [*BASE_COLUMNS, *(column for link in LINKS for column in link.columns)]


BASE_COLUMNS = (
    tabular.Column(
        "first_name",
        "förnamn",
        ("first name", "tilltalsnamn", "fornamn"),
        True,
        gettext_lazy("First name."),
    ),
    tabular.Column(
        "last_name",
        "efternamn",
        ("last name", "surname", "släktnamn"),
        True,
        gettext_lazy("Last name."),
    ),
    tabular.Column(
        "email",
        "e-post",
        ("e-postadress", "epostadress", "mejl", "mejladress", "email", "e-mail", "mail"),
        True,
        gettext_lazy("E-mail address: the invitation is sent there. One user per address."),
    ),
    tabular.Column(
        "role",
        "roll",
        ("role", "användarroll"),
        True,
        gettext_lazy(
            "Tjänsteperson, Förtroendevald, Organisationsföreträdare, Revisor or Administratör."
        ),
    ),
    tabular.Column(
        "municipality",
        "kommun",
        ("kommunnamn", "kommunkod", "municipality"),
        False,
        gettext_lazy(
            "The municipality's name or four-digit code. May be left out when the register "
            "has only one municipality; an Administratör needs none."
        ),
    ),
    tabular.Column(
        "bodies",
        "nämnder/förvaltningar",
        (
            "nämnder",
            "förvaltningar",
            "nämnd",
            "förvaltning",
            "nämnd/förvaltning",
            "nämnder och förvaltningar",
            "nämnd eller förvaltning",
        ),
        False,
        gettext_lazy(
            "The förvaltning a Tjänsteperson works in, or the nämnd a Förtroendevald sits "
            "on, by name or abbreviation; several separated by semicolons (;)."
        ),
    ),
    tabular.Column(
        "username",
        "användarnamn",
        ("username", "user name", "inloggning"),
        False,
        gettext_lazy("Optional: the e-mail address is the user name when left empty."),
    ),
)

# A model field's errors shown under the column that gave it.
FIELD_COLUMNS = {
    "username": "username",
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "role": "role",
    "municipality": "municipality",
}


def roles():
    """What a role cell may say: the Swedish and English names and the code."""
    from django.utils import translation

    names = {}
    for role in Role:
        names[folded(role.value)] = role
        for language in ("sv", "en"):
            with translation.override(language):
                names[folded(str(role.label))] = role
    return names


def derived_username(email):
    """The user name from the e-mail address, keeping only what a user name may hold."""
    return re.sub(r"[^\w.@+-]", "", email.casefold())[:150]


@dataclass
class Planned:
    row: int
    user: User
    links: list = field(default_factory=list)

    def describe(self):
        return [describe(item) for item in self.links]


def describe(item):
    return _link_of(item).describe(item)


def _link_of(item):
    return next(link for link in LINKS if isinstance(item, link.model))


@dataclass
class Plan:
    create: list
    unchanged: list
    problems: list
    ignored: list
    rows: int
    notes: list = field(default_factory=list)  # rows skipped (sum rows), in Swedish

    @property
    def may_import(self):
        return not self.problems and bool(self.create)

    def fingerprint(self):
        """What the plan would write; the confirmation must match it."""
        parts = [
            (
                planned.row,
                planned.user.username,
                planned.user.email,
                planned.user.role,
                planned.user.municipality_id,
                sorted(str(link_key(item)) for item in planned.links),
            )
            for planned in self.create
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def problems_by_row(self):
        rows = {}
        for problem in self.problems:
            rows.setdefault(problem.row, []).append(problem)
        return sorted(rows.items())


def link_key(item):
    link = _link_of(item)
    return (link.model._meta.label, link.key(item))


KIND = "users"  # as the mapping step remembers its choices (municipality.import_columns)


def plan(data, mapping=None):
    """The plan for the file's bytes (under the mapping step's `mapping`), or
    tabular.FileError."""
    table = tabular.read(data, columns(), max_rows=MAX_ROWS, **import_columns.read_under(mapping))
    return Planner(table).plan()


@transaction.atomic
def create(data, *, fingerprint, mapping=None):
    """Create the users (and their memberships and links) the plan of `data` shows, all
    or none; Changed if the plan has problems or is not the one with `fingerprint`."""
    result = plan(data, mapping)
    if not result.may_import or result.fingerprint() != fingerprint:
        raise Changed
    created = []
    for planned in result.create:
        user = planned.user
        user.set_unusable_password()  # chosen through the invitation
        user.save()
        for item in planned.links:
            item.save()
        created.append(user)
    return created


class Planner:
    def __init__(self, table):
        self.table = table
        self.problems = list(table.problems)
        self.cache = {}
        self.roles = roles()
        self.municipalities = list(Municipality.objects.all())
        emails = {tabular.text(row.values.get("email")).lower() for row in table.rows} - {""}
        self.existing = {}
        users = User.objects.annotate(address=Lower("email")).filter(address__in=emails)
        for user in users.prefetch_related("memberships"):
            self.existing.setdefault(user.address, []).append(user)
        self.seen_emails, self.seen_usernames = {}, {}

    def header(self, key):
        if key in self.table.headers:
            return self.table.headers[key]
        return next(column.header for column in columns() if column.key == key)

    def problem(self, row, key, message):
        self.problems.append(
            tabular.Problem(
                row.number, self.header(key), str(message), tabular.quoted(row.values.get(key))
            )
        )

    def plan(self):
        create, unchanged = [], []
        for row in self.table.rows:
            before = len(self.problems)
            planned, existing = self.row(row)
            if planned is None or len(self.problems) > before:
                continue
            (unchanged if existing else create).append(planned)
        self.problems.sort(key=lambda p: p.row)
        return Plan(
            create,
            unchanged,
            self.problems,
            self.table.ignored,
            len(self.table.rows),
            self.table.notes,
        )

    def text(self, row, key):
        value = tabular.text(row.values.get(key))
        if key != "bodies" and value:
            try:
                refuse_line_breaks(value)
            except ValidationError as error:
                self.problem(row, key, error.messages[0])
                return None
        return value

    def row(self, row):
        values = {column.key: self.text(row, column.key) for column in BASE_COLUMNS}
        if None in values.values():
            return None, None
        for column in BASE_COLUMNS:
            if column.required and not values[column.key] and column.key not in row.unreadable:
                self.problem(row, column.key, _("Fill in %(column)s.") % {"column": column.header})
        if not all(values[c.key] for c in BASE_COLUMNS if c.required):
            return None, None
        email = User.objects.normalize_email(values["email"])
        try:
            validate_email(email)
        except ValidationError as error:
            self.problem(row, "email", error.messages[0])
            return None, None
        earlier = self.seen_emails.setdefault(email.lower(), row.number)
        if earlier != row.number:
            self.problem(
                row,
                "email",
                _("The same e-mail address as on row %(row)d: one user per address.")
                % {"row": earlier},
            )
            return None, None
        role = self.roles.get(folded(values["role"]))
        if role is None:
            self.problem(
                row,
                "role",
                _("Unknown role “%(role)s”. Write one of: %(roles)s.")
                % {"role": values["role"], "roles": ", ".join(str(r.label) for r in Role)},
            )
            return None, None
        municipality = self.municipality(row, values["municipality"], role)
        if municipality is False:
            return None, None
        username = values["username"] or derived_username(email)
        user = User(
            username=username,
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=email,
            role=role,
            municipality=municipality,
        )
        links = self.links(row, user)
        existing = self.existing.get(email.lower())
        if existing:
            self.compare(row, user, values["username"], links, existing)
            return Planned(row.number, user, links), True
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problem(row, FIELD_COLUMNS.get(name, "email"), message)
        earlier = self.seen_usernames.setdefault(username.casefold(), row.number)
        if earlier != row.number:
            self.problem(
                row,
                "username",
                _("The same user name as on row %(row)d.") % {"row": earlier},
            )
        return Planned(row.number, user, links), False

    def municipality(self, row, written, role):
        """The row's municipality; None for an administrator without one; False (and a
        problem) when it cannot be told."""
        if not written:
            if role == Role.ADMIN:
                return None
            if len(self.municipalities) == 1:
                return self.municipalities[0]
            self.problem(
                row,
                "municipality",
                _("Fill in the municipality: the register has more than one.")
                if self.municipalities
                else _("Set up the municipality first: the register has none."),
            )
            return False
        code = written.zfill(4) if written.isdigit() else None
        for municipality in self.municipalities:
            if municipality.code == code or folded(municipality.name) == folded(written):
                return municipality
        self.problem(row, "municipality", _("Unknown municipality “%(name)s”.") % {"name": written})
        return False

    def links(self, row, user):
        items = []
        for link in LINKS:
            built, problems = link.build(row, user, self.cache)
            items += built
            for key, message in problems:
                self.problem(row, key, message)
        return items

    def compare(self, row, user, username_given, links, existing):
        """A row naming a user who exists is unchanged if it says what the register
        holds; otherwise it is a problem (the admin's user page changes a user)."""
        if len(existing) > 1:
            self.problem(
                row,
                "email",
                _(
                    "Several users already have this e-mail address; change them in the "
                    "administration."
                ),
            )
            return
        (current,) = existing
        differs = [
            column
            for column, same in [
                ("förnamn", current.first_name == user.first_name),
                ("efternamn", current.last_name == user.last_name),
                ("roll", current.role == user.role),
                ("kommun", current.municipality_id == user.municipality_id),
                ("användarnamn", not username_given or current.username == user.username),
                *(
                    (
                        self.header(link.column),
                        {link.key(item) for item in links if isinstance(item, link.model)}
                        == set(link.current(current)),
                    )
                    for link in LINKS
                ),
            ]
            if not same
        ]
        if differs:
            self.problem(
                row,
                "email",
                _(
                    "A user with this e-mail address already exists (user name “%(username)s”) "
                    "with other details: %(columns)s. Change the user in the administration, "
                    "or make the row say what the register holds."
                )
                % {"username": current.username, "columns": ", ".join(differs)},
            )


# Memberships: the base's own link ------------------------------------------------------------


def _bodies(user, cache):
    key = ("bodies", user.municipality_id)
    if key not in cache:
        bodies = Body.objects.select_related("municipality")
        if user.municipality_id is not None:
            bodies = bodies.filter(municipality_id=user.municipality_id)
        index = {}
        for body in bodies:
            for name in (body.name, body.short_name):
                if name:
                    index.setdefault(folded(name), body)
        cache[key] = index
    return cache[key]


def build_memberships(row, user, cache):
    names = split(row.values.get("bodies"))
    items, problems, seen = [], [], set()
    for name in names:
        body = _bodies(user, cache).get(folded(name))
        if body is None:
            where = user.municipality.name if user.municipality else _("the register")
            problems.append(
                (
                    "bodies",
                    _("Unknown nämnd or förvaltning “%(name)s” in %(municipality)s.")
                    % {"name": name, "municipality": where},
                )
            )
            continue
        if body.pk in seen:
            continue
        seen.add(body.pk)
        membership = Membership(user=user, body=body)
        try:
            membership.clean()
        except ValidationError as error:
            problems += [("bodies", message) for message in error.messages]
            continue
        items.append(membership)
    return items, problems


def describe_membership(membership):
    return f"{membership.body.name} ({membership.body.get_kind_display()})"


add_link(
    Link(
        model=Membership,
        column="bodies",
        build=build_memberships,
        key=lambda membership: membership.body_id,
        current=lambda user: {m.body_id for m in user.memberships.all()},
        describe=describe_membership,
    )
)


# Between the upload and the confirmation --------------------------------------------------


def upload(file, *, by):
    """Keep an uploaded file for its mapping step and preview (after finding its header
    row, so a file that is no spreadsheet at all, or beyond the reading bounds, is refused
    at once with tabular.FileError and not kept)."""
    if file.size > tabular.MAX_BYTES:
        raise tabular.FileError(
            _("The file is too large: at most %(size)s MB can be imported at once.")
            % {"size": tabular.MAX_BYTES // (1024 * 1024)}
        )
    data = file.read(tabular.MAX_BYTES + 1)
    import_columns.survey(KIND, data, columns(), by)
    tabular.check(data, max_rows=MAX_ROWS)
    UserImport.objects.filter(made_by=by, imported_at__isnull=True).delete()
    return UserImport.objects.create(
        made_by=by,
        file_name=(file.name or "")[-200:],
        digest=hashlib.sha256(data).hexdigest(),
        data=data,
    )


@transaction.atomic
def confirm(record, *, digest, fingerprint):
    """Import the kept file if it is the one previewed (`digest`) and its plan is the one
    shown (`fingerprint`); the file is then let go, and the created users remembered."""
    write_lock.hold("user_import")  # a second list plans against the first's users
    locked = UserImport.objects.select_for_update().get(pk=record.pk)
    if locked.imported_at is not None or not locked.is_intact or digest != locked.digest:
        raise Changed
    users = create(bytes(locked.data), fingerprint=fingerprint, mapping=locked.mapping)
    locked.imported_at = timezone.now()
    locked.data = b""
    locked.created = [user.pk for user in users]
    locked.save()
    return locked, users


def invite(request, record, users):
    """Send each created user the invitation (after the commit); a failed send is logged
    with the user's id by invitations.send, and remembered here to be shown."""
    record.not_invited = [user.pk for user in users if not invitations.send(request, user)]
    record.save(update_fields=["not_invited"])
    return record.not_invited


@personal_data.retention_step("user_lists", gettext_lazy("Uploaded user lists never imported"))
def pending_lists(today):
    """An uploaded list holds names and addresses; one not imported within a day goes."""
    old = UserImport.objects.filter(
        imported_at__isnull=True, made_at__date__lt=today - datetime.timedelta(days=1)
    )
    return old.delete()[0]


# The template to fill in ------------------------------------------------------------------


def template():
    """The workbook to fill in: the headers, and example rows naming the register's own
    bodies and organisations where it has them."""
    municipality = Municipality.objects.first()
    bodies = Body.objects.filter(municipality=municipality)
    administration = bodies.filter(kind=Body.Kind.ADMINISTRATION).first()
    committee = bodies.filter(kind=Body.Kind.COMMITTEE).first()
    several = Municipality.objects.count() > 1
    where = municipality.name if municipality and several else ""
    examples = [
        [
            "Anna",
            "Ek",
            "anna.ek@kommun.example",
            "Tjänsteperson",
            where,
            administration.name if administration else "Socialförvaltningen",
            "",
        ],
        [
            "Bo",
            "Ek",
            "bo.ek@kommun.example",
            "Förtroendevald",
            where,
            committee.name if committee else "Socialnämnden",
            "",
        ],
    ]
    extra = [column for link in LINKS for column in link.columns]
    rows = [[*row, *([""] * len(extra))] for row in examples]
    representative = [
        "Cecilia",
        "Ek",
        "cecilia.ek@forening.example",
        "Organisationsföreträdare",
        where,
        "",
        "",
    ]
    rows.append(
        [*representative, *(value for link in LINKS for value in link.example(municipality))]
    )
    return tabular.template(
        columns(), rows, sheet=_("Users to invite"), about=_("About the columns")
    )
