"""Logging a held meeting, as the meeting log page (and any command) writes it: who
attended, the status and minutes with the people counted from the attendance, and what
was raised. One transaction: the meeting is logged whole or not at all."""

from django.db import transaction


@transaction.atomic
def log_meeting(form, attendance, raised):
    """Save the checked MeetingLogForm, AttendanceFormSet and RaisedFormSet; the issues
    raised now, for whoever must be told of those forwarded."""
    attendance.save()
    form.instance.count_people()
    form.save()
    return [raised_form.save() for raised_form in raised if raised_form.has_changed()]
