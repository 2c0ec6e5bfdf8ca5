"""`createsuperuser`, asked and answered in Swedish, making an Administratör.

Django's own command hard-codes its password prompts and most of its messages in English
(django/contrib/auth/management/commands/createsuperuser.py). This one keeps its options
(and so `--noinput` with DJANGO_SUPERUSER_PASSWORD, and `--username`/`--email`), but asks
through translatable strings. It is written for this project's user model, whose only
required fields are the user name and the e-mail address; the role comes from the manager
(RoleUserManager.create_superuser). It takes precedence over Django's because the
municipality app comes before django.contrib.auth in INSTALLED_APPS.
"""

import getpass
import os
import sys

from django.contrib.auth.management import get_default_username
from django.contrib.auth.management.commands import createsuperuser as django_command
from django.contrib.auth.password_validation import validate_password
from django.core import exceptions
from django.core.management.base import CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

YES = ("j", "ja", "y", "yes")


class Command(django_command.Command):
    help = "Create an administrator (role Administratör), asking in Swedish."

    def handle(self, *args, **options):
        database = options["database"]
        try:
            if options["interactive"]:
                user_data = self._ask(options, database)
            else:
                user_data = self._from_options(options, database)
            self.UserModel._default_manager.db_manager(database).create_superuser(**user_data)
        except KeyboardInterrupt:
            self.stderr.write("\n" + _("Cancelled: no superuser was created."))
            sys.exit(1)
        except exceptions.ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except django_command.NotRunningInTTYException:
            self.stdout.write(
                _(
                    "No superuser was created: the command is not running in a terminal. "
                    "Run it in one, or with --noinput and DJANGO_SUPERUSER_PASSWORD set."
                )
            )
            return
        if options["verbosity"] >= 1:
            self.stdout.write(_("The superuser has been created."))

    def _ask(self, options, database):
        if hasattr(self.stdin, "isatty") and not self.stdin.isatty():
            raise django_command.NotRunningInTTYException
        username = options[self.UserModel.USERNAME_FIELD]
        if username == "":
            raise CommandError(self._blank_username())
        if username is not None and self._report(self._validate_username(username, "", database)):
            username = None
        default = get_default_username(database=database)
        while username is None:
            username = self.get_input_data(
                self.username_field, self._get_input_message(self.username_field, default), default
            )
            if username and self._report(self._validate_username(username, "", database)):
                username = None
        user_data = {self.UserModel.USERNAME_FIELD: username}
        for name in self.UserModel.REQUIRED_FIELDS:
            field = self.UserModel._meta.get_field(name)
            value = options[name]
            value = field.clean(value, None) if value is not None else None
            while value is None:
                value = self.get_input_data(field, self._get_input_message(field))
            user_data[name] = value
        user_data["password"] = self._ask_password(user_data)
        return user_data

    def _ask_password(self, user_data):
        while True:
            password = getpass.getpass(_("Password: "))
            again = getpass.getpass(_("Password (again): "))
            if password != again:
                self.stderr.write(_("Error: the passwords do not match."))
                continue
            if password.strip() == "":
                self.stderr.write(_("Error: the password cannot be blank."))
                continue
            try:
                validate_password(again, self.UserModel(**user_data))
            except exceptions.ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                answer = input(_("Skip the password check and create the user anyway? [y/N]: "))
                if answer.strip().lower() not in YES:
                    continue
            return password

    def _from_options(self, options, database):
        username = options[self.UserModel.USERNAME_FIELD] or os.environ.get(
            "DJANGO_SUPERUSER_" + self.UserModel.USERNAME_FIELD.upper()
        )
        if username is None:
            raise CommandError(self._needs_option(self.UserModel.USERNAME_FIELD))
        error = self._validate_username(username, "", database)
        if error:
            raise CommandError(error)
        # Without DJANGO_SUPERUSER_PASSWORD the administrator has no password yet and
        # chooses one through "Forgotten your password?".
        user_data = {
            self.UserModel.USERNAME_FIELD: username,
            "password": os.environ.get("DJANGO_SUPERUSER_PASSWORD"),
        }
        for name in self.UserModel.REQUIRED_FIELDS:
            variable = "DJANGO_SUPERUSER_" + name.upper()
            value = options[name] or os.environ.get(variable)
            field = self.UserModel._meta.get_field(name)
            if not value:
                if field.blank and "" in (options[name], os.environ.get(variable)):
                    continue
                raise CommandError(self._needs_option(name))
            user_data[name] = field.clean(value, None)
        return user_data

    def _report(self, error):
        if error:
            self.stderr.write(error)
        return bool(error)

    def _blank_username(self):
        return _("%(field)s cannot be blank.") % {
            "field": capfirst(self.username_field.verbose_name)
        }

    def _needs_option(self, name):
        return _("Give --%(option)s with --noinput.") % {"option": name}

    def _validate_username(self, username, verbose_field_name, database):
        """Django's checks, in Swedish: free, not blank, a valid user name."""
        manager = self.UserModel._default_manager.db_manager(database)
        if (
            self.username_is_unique
            and manager.filter(**{self.UserModel.USERNAME_FIELD: username}).exists()
        ):
            return _("Error: that user name is already taken.")
        if not username:
            return self._blank_username()
        try:
            self.username_field.clean(username, None)
        except exceptions.ValidationError as error:
            return _("Error: %(message)s") % {"message": "; ".join(error.messages)}
        return None

    def get_input_data(self, field, message, default=None):
        raw = input(message)
        if default and raw == "":
            raw = default
        try:
            return field.clean(raw, None)
        except exceptions.ValidationError as error:
            self.stderr.write(_("Error: %(message)s") % {"message": "; ".join(error.messages)})
            return None

    def _get_input_message(self, field, default=None):
        label = capfirst(field.verbose_name)
        if default:
            return _("%(field)s (leave blank to use “%(default)s”): ") % {
                "field": label,
                "default": default,
            }
        return f"{label}: "
