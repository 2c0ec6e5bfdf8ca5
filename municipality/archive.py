"""Archive, don't delete. Organisations, agreements and meetings carry history and money:
instead of being deleted they are archived. An archived record leaves the everyday lists,
calendars and choice lists, and stays in history, reports and workbooks for its period."""

import django_filters
from django.conf import settings
from django.contrib import messages
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class Archivable(models.Model):
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("archived by"),
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self):
        return self.archived_at is not None

    def archive(self, user):
        if not self.is_archived:
            self.archived_at, self.archived_by = timezone.now(), user
            self.save(update_fields=["archived_at", "archived_by"])

    def restore(self):
        if self.is_archived:
            self.archived_at, self.archived_by = None, None
            self.save(update_fields=["archived_at", "archived_by"])


def badge(record):
    """The "archived" mark a list shows on a record when archived ones are listed too."""
    if not record.is_archived:
        return ""
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("archived"))


class ArchiveQuerySet(models.QuerySet):
    def current(self):
        """What the everyday lists show: records not archived."""
        return self.filter(archived_at__isnull=True)

    def choosable(self, chosen=()):
        """Choices for a form: current records, and those the record already points to."""
        return self.filter(models.Q(archived_at__isnull=True) | models.Q(pk__in=list(chosen)))


class ArchivedFilterSet(django_filters.FilterSet):
    """A list filter whose default, and answer to junk, is "not archived"."""

    CURRENT, ARCHIVED, ALL = "", "archived", "all"
    archived = django_filters.ChoiceFilter(
        label=_("Archived"),
        choices=[(ARCHIVED, _("Archived only")), (ALL, _("Archived too"))],
        empty_label=_("Not archived"),
        method="keep",
    )

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        which = self.form.cleaned_data.get("archived", self.CURRENT)
        if which == self.ALL:
            return queryset
        return queryset.filter(archived_at__isnull=which != self.ARCHIVED)


def toggle(request, obj):
    """Archive or restore `obj` for a POST whose view has checked the rule (`restore` in
    the POST restores)."""
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if request.POST.get("restore"):
            obj.restore()
            messages.success(request, _("%(name)s is back in the lists.") % {"name": obj})
        else:
            obj.archive(request.user)
            messages.success(
                request,
                _("%(name)s was archived: it has left the lists, and stays in history and reports.")
                % {"name": obj},
            )
    return redirect(obj)
