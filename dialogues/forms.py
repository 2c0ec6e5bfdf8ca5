from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues import feed_revisions
from dialogues.models import Forum, Invitation, Meeting, Observation, default_feedback_due
from municipality import access
from municipality.forms import CrispyModelForm, SafeModelForm, checkbox_layout
from municipality.models import Body
from partners.models import Area, Organisation


def organisations_of(municipality_id, chosen=()):
    """Organisations to choose from: active and not archived, and any already chosen (so an
    edit keeps them)."""
    return Organisation.objects.filter(municipality_id=municipality_id).filter(
        Q(is_active=True, archived_at__isnull=True) | Q(pk__in=list(chosen))
    )


class ForumForm(CrispyModelForm):
    class Meta:
        model = Forum
        fields = [
            "name",
            "kind",
            "owner",
            "cadence",
            "description",
            "target_groups",
            "areas",
            "members",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_groups": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(user)
        municipality_id = (
            self.instance.owner.municipality_id if self.instance.owner_id else scope.municipality_id
        )
        self.fields["owner"].queryset = Body.objects.kept_by(user).filter(
            municipality_id=municipality_id
        )
        members = self.instance.members.values_list("pk", flat=True) if self.instance.pk else ()
        self.fields["members"].queryset = organisations_of(municipality_id, members)
        self.fields["areas"].queryset = Area.objects.filter(municipality_id=municipality_id)
        self.order_fields(self.Meta.fields)
        self.helper.layout = checkbox_layout(self.fields, "members")


class MeetingForm(CrispyModelForm):
    invited = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Tick those to invite. With none ticked, the forum's members are invited."),
    )

    class Meta:
        model = Meeting
        fields = ["forum", "title", "start", "end", "place", "online_link", "agenda", "status"]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        forums = Forum.objects.schedulable_by(user).filter(is_active=True)
        if self.instance.forum_id:
            forums = Forum.objects.filter(Q(pk__in=forums) | Q(pk=self.instance.forum_id))
        self.fields["forum"].queryset = forums.order_by("name")
        self.fields["forum"].error_messages["invalid_choice"] = _(
            "You may not schedule meetings in that forum."
        )
        forum = self.instance.forum if self.instance.forum_id else None
        if forum is None and self.initial.get("forum"):
            forum = forums.filter(pk=self.initial["forum"]).first()
        if forum is None and not self.instance.pk:
            only = list(forums[:2])
            if len(only) == 1:  # the one forum this user may schedule in is chosen
                forum = only[0]
                self.initial["forum"] = forum.pk
        municipality_id = forum.municipality_id if forum else access.scope_for(user).municipality_id
        invited = (
            list(self.instance.invitations.values_list("organisation_id", flat=True))
            if self.instance.pk
            else []
        )
        self.fields["invited"].queryset = organisations_of(municipality_id, invited)
        if self.instance.pk:
            self.fields["invited"].initial = invited
        elif forum is not None:
            self.fields["invited"].initial = list(forum.members.values_list("pk", flat=True))
        self.order_fields(["forum", "title", "start", "end", "place", "online_link", "invited"])
        self.helper.layout = checkbox_layout(self.fields, "invited")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("invited") and cleaned.get("forum"):
            cleaned["invited"] = list(cleaned["forum"].members.all())
        return cleaned

    def save(self, commit=True):
        meeting = super().save(commit=commit)
        if commit:
            invited = {o.pk for o in self.cleaned_data["invited"]}
            meeting.invitations.exclude(organisation_id__in=invited).filter(attended=False).delete()
            existing = set(meeting.invitations.values_list("organisation_id", flat=True))
            added = invited - existing
            Invitation.objects.bulk_create(
                Invitation(meeting=meeting, organisation_id=pk) for pk in added
            )
            feed_revisions.reach(organisations=list(added))
        return meeting


class MeetingLogForm(CrispyModelForm):
    """The held meeting in one page: its status, who came and the minutes."""

    collects_personal_data = True

    class Meta:
        model = Meeting
        # participants_count is not asked: it is the attendance's sum (Meeting.count_people).
        fields = ["status", "internal_participants", "minutes"]
        widgets = {
            "internal_participants": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }


class AttendanceForm(SafeModelForm):
    class Meta:
        model = Invitation
        fields = ["attended", "people"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("people") and not cleaned.get("attended"):
            self.add_error("people", _("Tick “attended” for an organisation that came."))
        return cleaned


# edit_only: a crafted POST with more forms than invitations must not create rows.
AttendanceFormSet = forms.modelformset_factory(
    Invitation, form=AttendanceForm, extra=0, edit_only=True
)


class RaisedForm(SafeModelForm):
    """A new observation raised at the meeting."""

    class Meta:
        model = Observation
        fields = ["organisation", "theme", "text", "forwarded_to", "feedback_due"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["organisation"].queryset = Organisation.objects.filter(
            invitations__meeting=meeting
        )
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Only an organisation invited to the meeting can have raised something in it."
        )
        self.fields["forwarded_to"].queryset = Body.objects.filter(
            municipality_id=meeting.forum.municipality_id
        )
        self.fields["feedback_due"].initial = default_feedback_due(meeting.start)

    def save(self, commit=True):
        self.instance.meeting = self.meeting
        if self.instance.forwarded_to_id:
            self.instance.status = Observation.Status.FORWARDED
        return super().save(commit=commit)


RaisedFormSet = forms.formset_factory(RaisedForm, extra=3)


class ObservationForm(CrispyModelForm):
    class Meta:
        model = Observation
        fields = ["status", "forwarded_to", "feedback_due", "response", "handled_on"]
        widgets = {
            "response": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarded_to"].queryset = Body.objects.filter(
            municipality_id=self.instance.meeting.forum.municipality_id
        )

        self.fields["handled_on"].help_text = _("Today, if left empty.")

    def clean(self):
        """Choosing where it goes forwards it, and marking it handled dates it today unless
        another day is given: neither needs a second save."""
        cleaned = super().clean()
        status = cleaned.get("status")
        if cleaned.get("forwarded_to") and status == Observation.Status.OPEN:
            cleaned["status"] = Observation.Status.FORWARDED
        # An empty date is today; an unreadable one stays an error.
        undated = not cleaned.get("handled_on") and "handled_on" not in self.errors
        if status == Observation.Status.HANDLED and undated:
            cleaned["handled_on"] = timezone.localdate()
        return cleaned

    def clean_status(self):
        status = self.cleaned_data["status"]
        order = [s.value for s in Observation.Status]
        if order.index(status) < order.index(self.instance.status):
            raise ValidationError(
                _("An observation moves forward only: open → forwarded → handled.")
            )
        return status
