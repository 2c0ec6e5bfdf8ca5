"""Forms that write across the features."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogues.models import Forum
from municipality.forms import checkbox_layout
from partners import forms as partner_forms


class PartnershipForm(partner_forms.PartnershipForm):
    """An IOP agreement and its steering group, a forum that names the agreement it steers
    (`Forum.steers`): the agreement itself knows no forum."""

    steering_group = forms.ModelChoiceField(
        queryset=Forum.objects.none(),
        required=False,
        label=_("Steering group"),
        help_text=_("The dialogue forum (styrgrupp) that plans and follows up the work."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steering = Forum.objects.steering(self.instance) if self.instance.pk else None
        self.fields["steering_group"].queryset = Forum.objects.filter(
            Q(steers__isnull=True) | Q(steers=self.instance.pk),
            kind=Forum.Kind.STEERING_GROUP,
            owner__municipality_id=self.municipality_id,
        ).select_related("owner")
        self.initial.setdefault("steering_group", steering and steering.pk)
        order = list(self.fields)
        order.remove("steering_group")
        order.insert(order.index("renews"), "steering_group")
        self.order_fields(order)
        self.helper.layout = checkbox_layout(self.fields, "parties")

    def save(self, commit=True):
        """The agreement and its steering group's link, together or not at all. A forum
        that began steering another agreement since the form was shown is not taken from
        it: ValidationError, and nothing is saved."""
        chosen = self.cleaned_data.get("steering_group")
        with transaction.atomic():
            partnership = super().save(commit=commit)
            for forum in Forum.objects.select_for_update().filter(steers=partnership):
                if forum != chosen:
                    forum.steers = None
                    forum.save(update_fields=["steers"])
            if chosen is not None:
                forum = Forum.objects.select_for_update().get(pk=chosen.pk)
                if forum.steers_id not in (None, partnership.pk):
                    raise ValidationError(
                        _("%(forum)s began steering another agreement a moment ago.")
                        % {"forum": forum}
                    )
                if forum.steers_id != partnership.pk:
                    forum.steers = partnership
                    forum.save(update_fields=["steers"])
        return partnership
