"""manage.py import_register FILE --kind grants --user NAME [--dry-run]: the web's import
(municipality.register_import) from the command line, with the same checks, the same
report and all or nothing; `--template` writes the workbook to fill in instead."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from municipality import access, register_import, tabular
from municipality.models import User


class Command(BaseCommand):
    help = (
        "Import organisations, IOP agreements or grants from an .xlsx or CSV file, in the "
        "name of a user and by that user's rights: first checked row by row, then every "
        "row written or none. --dry-run only reports. --template FILE writes the template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file (with --template: written).")
        parser.add_argument(
            "--kind", required=True, choices=sorted(register_import.KINDS), help="What it holds."
        )
        parser.add_argument("--user", help="User name of whoever imports (required to import).")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument("--template", action="store_true", help="Write the template.")
        parser.add_argument(
            "--progress", action="store_true", help="Show progress also when not on a terminal."
        )

    def handle(self, *args, **options):
        translation.activate("sv")
        kind = register_import.kind_named(options["kind"])
        user = self.user(options["user"], kind, needed=not options["template"])
        if options["template"]:
            with open(options["file"], "wb") as output:
                output.write(kind.template(user))
            self.stdout.write(_("Template written to %(file)s.") % {"file": options["file"]})
            return
        data = self.read(options["file"])
        progress = self.progress if options["progress"] or sys.stderr.isatty() else None
        name = os.path.basename(options["file"])
        try:
            if options["dry_run"]:
                plan = register_import.plan(kind, data, user=user, progress=progress)
            else:
                plan = register_import.run(kind, data, user=user, file_name=name, progress=progress)
        except tabular.FileError as error:
            message = _("Nothing was imported: %(reason)s") % {"reason": error.message}
            raise CommandError(message) from None
        except register_import.Refused as refused:
            plan = refused.plan
        self.report(plan, verbose=options["verbosity"] > 1)
        if plan.problems:
            raise CommandError(
                _("Nothing was imported: %(count)d problems.") % {"count": len(plan.problems)}
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        elif plan.may_import:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
        else:
            self.stdout.write(_("Nothing to import: the register already holds every row."))

    def user(self, username, kind, *, needed):
        if not username:
            if needed:
                raise CommandError(_("Give --user: the import is made in a user's name."))
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username})
        if not access.allows(user, kind.rule):
            raise CommandError(
                _("The user “%(name)s” may not import %(kind)s.")
                % {"name": username, "kind": kind.label}
            )
        return user

    def read(self, path):
        try:
            size = os.path.getsize(path)
            if size > register_import.MAX_BYTES:
                raise CommandError(
                    _("Nothing was imported: %(reason)s")
                    % {"reason": register_import.too_large().message}
                )
            with open(path, "rb") as source:
                return source.read()
        except OSError as error:
            raise CommandError(str(error)) from None

    def progress(self, done, total):
        line = _("Checked %(done)d of %(total)d rows") % {"done": done, "total": total}
        sys.stderr.write("\r" + line + ("\n" if done == total else ""))
        sys.stderr.flush()

    def report(self, plan, *, verbose):
        write = self.stdout.write
        write(
            _(
                "%(rows)d rows: %(created)d to create, %(updated)d to update, "
                "%(unchanged)d unchanged."
            )
            % plan.counts()
        )
        if plan.ignored:
            write(_("Columns ignored: %(columns)s") % {"columns": ", ".join(plan.ignored)})
        for problem in plan.problems:
            write(
                _("Row %(row)d, %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column, "message": problem.message}
            )
        if verbose:
            for label, items in ((_("Create"), plan.create), (_("Update"), plan.update)):
                for item in items:
                    changes = "; ".join(f"{name}: {old} → {new}" for name, old, new in item.changes)
                    write(f"{label} ({item.row}): {item.what} {item.name} {changes}".rstrip())
