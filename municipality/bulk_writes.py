"""Writes that pass by save() (bulk_create, bulk_update, queryset.update), announced.

Django sends no signal for them, so what follows the rows written (a calendar feed's
revision, in dialogues) would not hear of them. A path that writes rows that way and may
change what others show announces them here, in the same transaction.
"""

from django.dispatch import Signal

# sender: the model written; pks: the primary keys of the rows written.
rows_written = Signal()


def announce(model, pks):
    pks = list(pks)
    if pks:
        rows_written.send(sender=model, pks=pks)
