"""Municipalities, their bodies (nämnder and förvaltningar) and the people who use the register."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipality import access


def assigned(instance, name):
    """The object `instance.<name>` refers to, or None. An admin inline's row refers to its
    parent before the parent is saved (no id yet, but the submitted role, municipality…),
    so rules read the object itself, not its id: adding checks what changing checks."""
    field = instance._meta.get_field(name)
    if field.is_cached(instance) or getattr(instance, field.attname) is not None:
        return getattr(instance, name)
    return None


class Municipality(models.Model):
    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None, "code": None}

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits."))],
        help_text=_("The four-digit code from Statistics Sweden, e.g. 1280 for Malmö."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BodyQuerySet(access.ScopedQuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        return access.reach(
            self, scope, scope.municipality_id and Q(municipality_id=scope.municipality_id)
        )

    def editable_by(self, user):
        return access.reach(self, access.scope_for(user))

    def kept_by(self, user):
        """The bodies whose matters the user keeps: a civil servant's förvaltningar and
        the nämnder they serve (every body, for an administrator)."""
        scope = access.scope_for(user)
        return access.reach(self, scope, scope.staff_body_ids and Q(pk__in=scope.staff_body_ids))

    def served_by(self, user):
        """The nämnder whose matters the user's förvaltning prepares."""
        scope = access.scope_for(user)
        committees = self.filter(kind=Body.Kind.COMMITTEE)
        ids = scope.served_committee_ids
        return access.reach(committees, scope, ids and Q(pk__in=ids))


class Body(models.Model):
    """A nämnd (political committee) or a förvaltning (its administration)."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"name": None, "short_name": None}

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("committee (nämnd)")
        ADMINISTRATION = "administration", _("administration (förvaltning)")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serves = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="administrations",
        verbose_name=_("serves committees"),
        help_text=_("For an administration: the committees it prepares matters for."),
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="body_unique_name_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["committee", "administration"]), name="body_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_committee(self):
        return self.kind == self.Kind.COMMITTEE

    def clean_served(self, committees):
        """A förvaltning serves committees of its own municipality; a nämnd serves nobody."""
        if committees and self.is_committee:
            raise ValidationError(_("Only an administration can serve committees."))
        for committee in committees:
            if not committee.is_committee:
                raise ValidationError(_("%(body)s is not a committee.") % {"body": committee.name})
            if committee.municipality_id != self.municipality_id:
                raise ValidationError(
                    _("%(body)s belongs to another municipality.") % {"body": committee.name}
                )


class Role(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    ELECTED = "elected", _("Elected member")
    REPRESENTATIVE = "representative", _("Organisation representative")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


ROLE_SUMMARY = {
    Role.CIVIL_SERVANT: _(
        "Keep the organisations, IOP agreements, grants and dialogue forums of your "
        "administration and the committees it serves, and log meetings and what was raised "
        "in them."
    ),
    Role.ELECTED: _(
        "See your committee's dialogue forums, schedule its theme days and read the "
        "observations forwarded to it."
    ),
    Role.REPRESENTATIVE: _(
        "See the meetings, forums, agreements and grants of your own organisation, and get "
        "meetings into your calendar."
    ),
    Role.AUDITOR: _(
        "Read grants and IOP agreements with their change history, and download grant "
        "workbooks. Nothing can be changed from this role."
    ),
    Role.ADMIN: _(
        "Manage municipalities, committees, administrations, users and roles in the "
        "administration pages."
    ),
}


class RoleUserManager(UserManager):
    """`createsuperuser` makes an Administratör: the role decides, Django's flags follow."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields["role"] = Role.ADMIN
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. The role says what kind of user they are; memberships say where."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {
        "password": None,
        "username": "account",
        "first_name": "account",
        "last_name": "account",
        "email": "account",
    }

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CIVIL_SERVANT
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("municipality"),
        help_text=_("Every user but an administrator works within one municipality."),
    )

    objects = RoleUserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(municipality__isnull=False),
                name="user_municipality_unless_admin",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            # What save() derives, held by the database too, so that a bulk
            # .update(role=…) cannot leave Django's flags disagreeing with the role.
            models.CheckConstraint(
                condition=Q(role="admin", is_staff=True, is_superuser=True)
                | (~Q(role="admin") & Q(is_staff=False, is_superuser=False)),
                name="user_admin_flags_follow_role",
            ),
        ]

    def derive_admin_flags(self):
        """The role is the one truth: only an Administratör may open Django's admin."""
        self.is_staff = self.is_superuser = self.role == Role.ADMIN

    def save(self, *args, **kwargs):
        self.derive_admin_flags()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.derive_admin_flags()  # so that full_clean's constraint check sees them right
        if self.role != Role.ADMIN and self.municipality_id is None:
            raise ValidationError({"municipality": _("Choose the user's municipality.")})

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def speaks_for_organisations(self):
        """Only an Organisationsföreträdare may be linked to an organisation as its
        representative."""
        return self.role == Role.REPRESENTATIVE

    @property
    def role_summary(self):
        """What this kind of user does in the register, for the start page."""
        return ROLE_SUMMARY.get(self.role, "")


class Membership(models.Model):
    """A civil servant's place in a förvaltning, or an elected member's seat on a nämnd."""

    # What personal data each text field and user link holds: municipality.personal_data.
    personal_data = {"user": "user_link", "title": "account"}

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("E.g. unit manager or chair.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="membership_unique_user_body")
        ]

    def __str__(self):
        return f"{self.user} – {self.body}"

    def clean(self):
        user, body = assigned(self, "user"), assigned(self, "body")
        if user is None or body is None:
            return
        expected = {Role.CIVIL_SERVANT: Body.Kind.ADMINISTRATION, Role.ELECTED: Body.Kind.COMMITTEE}
        kind = expected.get(user.role)
        if kind is None:
            raise ValidationError(_("Only civil servants and elected members belong to bodies."))
        if body.kind != kind:
            raise ValidationError(
                {
                    "body": _("A civil servant belongs to an administration.")
                    if user.role == Role.CIVIL_SERVANT
                    else _("An elected member sits on a committee.")
                }
            )
        if body.municipality_id != user.municipality_id:
            raise ValidationError({"body": _("The body belongs to another municipality.")})


class RegisterExtract(models.Model):
    """A register extract (GDPR art. 15) was made: who made it, when, and about whom."""

    class Subject(models.TextChoices):
        CONTACT_PERSON = "contact_person", _("contact person")
        USER = "user", _("user account")

    personal_data = {"made_by": "user_link"}

    made_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("made"), auto_now_add=True)
    subject = models.CharField(_("about"), max_length=20, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField(_("about id"))

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-made_at"]

    def __str__(self):
        return f"{self.get_subject_display()} {self.subject_id} ({self.made_at:%Y-%m-%d})"


class RetentionRun(models.Model):
    """One run of `manage.py gallra`: how many records of each kind it thinned out."""

    personal_data = {}

    ran_at = models.DateTimeField(_("ran"), auto_now_add=True)
    counts = models.JSONField(_("thinned out"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"


class PrivacyNotice(models.Model):
    """The municipality's own words on "Så behandlar vi personuppgifter"; the purposes,
    legal bases and retention beside them come from the program's declarations."""

    personal_data = {"controller": None, "contact": None, "introduction": None, "rights": None}

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="privacy_notice",
        verbose_name=_("municipality"),
    )
    controller = models.CharField(
        _("controller"),
        max_length=200,
        help_text=_("The nämnd responsible for the personal data, e.g. Kommunstyrelsen."),
    )
    contact = models.TextField(
        _("contact"),
        help_text=_("How to reach the controller and the data protection officer."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    rights = models.TextField(
        _("your rights"),
        blank=True,
        help_text=_("Leave empty for the standard text on the rights the GDPR gives."),
    )

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self):
        return str(self.municipality)


class UserImport(models.Model):
    """An uploaded list of users to invite (municipality.user_import), kept between the
    preview and the confirmation so that exactly the previewed bytes are imported. The
    bytes are emptied once imported, and a list never imported is removed by the gallring
    after a day; what remains is who imported which users, and which invitations failed."""

    personal_data = {"made_by": "user_link", "file_name": None, "digest": None}

    made_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    digest = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file"), editable=False)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    created = models.JSONField(_("created users"), default=list)
    not_invited = models.JSONField(_("invitations not sent"), default=list)
    # {"row": header row, "columns": {index: key}} as chosen in the mapping step.
    mapping = models.JSONField(_("columns"), null=True, blank=True)

    class Meta:
        verbose_name = _("user import")
        verbose_name_plural = _("user imports")
        ordering = ["-made_at"]

    def __str__(self):
        return f"{self.file_name} ({self.made_at:%Y-%m-%d %H:%M})"

    @property
    def is_intact(self):
        """The stored bytes are still the ones uploaded and previewed."""
        return hashlib.sha256(bytes(self.data)).hexdigest() == self.digest


class ExportQuerySet(models.QuerySet):
    def without_file(self):
        """For lists: everything but the file itself."""
        return self.defer("data")


class Export(models.Model):
    """A file prepared in the background (municipality.exports) for the user who asked
    for it: what was asked (kind, filter), how far the worker has come, and the file,
    kept until the retention period ends."""

    # The file holds what its user may read in the register, as the download would; it is
    # removed after EXPORT_RETENTION_DAYS (municipality.exports).
    personal_data = {
        "user": "user_link",
        "kind": None,
        "title": None,
        "sheet": None,
        "file_name": None,
        "error": None,
    }

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        REMOVED = "removed", _("removed")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="exports", verbose_name=_("asked by")
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("what"), max_length=200)
    params = models.JSONField(_("what was asked for"), default=dict)
    filters = models.JSONField(_("filter"), default=list)
    status = models.CharField(
        _("state"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    sheet = models.CharField(_("being written"), max_length=100, blank=True)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows to write"), default=0)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    data = models.BinaryField(_("file"), null=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    seed = models.BigIntegerField(_("sample seed"), null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    # What the user reached when the file was written (access.Scope.as_data): the file is
    # theirs only while they still reach that much.
    reach = models.JSONField(_("written for the scope"), null=True, blank=True, editable=False)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_user_created"),
            models.Index(fields=["status", "finished_at"], name="export_status_finished"),
        ]

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"


class RegisterImport(models.Model):
    """An uploaded file of organisations, agreements or grants (municipality.register_import),
    kept between the preview and the confirmation so that exactly the previewed bytes are
    imported. The bytes are emptied once imported, and a file never imported is removed by
    the gallring after a day; what remains is who imported which file, and what it did."""

    # The stored check (`summary`) and the refused rows' workbook (`refused`) hold what the
    # file holds: they go with the file, emptied once imported or removed after a day.
    personal_data = {
        "made_by": "user_link",
        "kind": None,
        "file_name": None,
        "digest": None,
        "error": None,
    }

    class State(models.TextChoices):
        """Where the file is: a small one is checked and imported in its requests
        (direct); a large one by the background worker, with progress."""

        DIRECT = "direct", _("checked at once")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=30)
    made_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    digest = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file"), editable=False)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    counts = models.JSONField(_("what was done"), default=dict)
    # {column index (as text): key} as chosen in the mapping step; None until then.
    mapping = models.JSONField(_("columns"), null=True, blank=True)
    # What the import created and changed, for its links: [[model label, pk, state], …].
    done = models.JSONField(_("records written"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DIRECT)
    queued_at = models.DateTimeField(_("sent to the background"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to check"), default=0)
    # The background check's result as the preview shows it (register_import.summary).
    summary = models.JSONField(_("result of the check"), null=True, blank=True, editable=False)
    refused = models.BinaryField(_("refused rows"), null=True, editable=False)
    # The last confirmation found the file or the register changed: nothing was imported.
    changed = models.BooleanField(_("changed since the preview"), default=False)
    error = models.TextField(_("why it failed"), blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-made_at"]

    def __str__(self):
        return f"{self.file_name} ({self.made_at:%Y-%m-%d %H:%M})"

    @property
    def is_intact(self):
        """The stored bytes are still the ones uploaded and previewed."""
        return hashlib.sha256(bytes(self.data)).hexdigest() == self.digest


class ImportMapping(models.Model):
    """Which field a column of a file means, as a municipality's staff chose it in an
    import's mapping step: the next file with that header starts from the same choice.
    An empty `field` is a column chosen as not used."""

    personal_data = {"kind": None, "header": None, "field": None}

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=30)
    header = models.CharField(_("header"), max_length=200, help_text=_("As normalised."))
    field = models.CharField(_("field"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("import column choice")
        verbose_name_plural = _("import column choices")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "header"], name="import_mapping_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind}: {self.header} → {self.field or '–'}"
