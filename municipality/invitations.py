"""Users are invited by e-mail to choose their own password, instead of being given one.

The link carries a token of its own kind (its own salt and lifetime, INVITATION_DAYS), so
a password-reset token does not open it, nor it a reset. Its hash covers the password and
the last login, so the link dies once the password is chosen. A failed send is logged
with the user's id (never the address) and reported to whoever sent it.
"""

import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from municipality import mail

logger = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "municipality.invitations.InvitationTokenGenerator"

    @property
    def timeout(self):
        return settings.INVITATION_DAYS * 24 * 60 * 60

    def check_token(self, user, token):
        """As Django's check, but against the invitation's lifetime, not the reset's."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self.timeout:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


tokens = InvitationTokenGenerator()


def may_invite(user):
    """Only an active user with an address who has not yet chosen a password is invited;
    the others use "Forgotten your password?"."""
    return user.is_active and bool(user.email) and not user.has_usable_password()


def link(request, user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = tokens.make_token(user)
    path = reverse("invitation_confirm", kwargs={"uidb64": uidb64, "token": token})
    return request.build_absolute_uri(path)


def send(request, user):
    """Send `user` an invitation in Swedish; True if it went, False (logged) if not."""
    context = {
        "user": user,
        "name": mail.one_line(user.get_full_name() or user.get_username()),
        "link": link(request, user),
        "days": settings.INVITATION_DAYS,
        "login_url": request.build_absolute_uri(reverse("login")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = mail.one_line(render_to_string("registration/invitation_subject.txt", context))
        body = render_to_string("registration/invitation_email.txt", context)
    message = EmailMessage(subject, body, to=[mail.address(user.get_full_name(), user.email)])
    try:
        message.send()
    except Exception:
        logger.exception("The invitation to user %s could not be sent", user.pk)
        return False
    return True


def _same_address(a, b):
    def fold(text):
        return unicodedata.normalize("NFKC", text).casefold()

    return fold(a) == fold(b)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, also for users who have not chosen a password yet (an invitation
    lost or expired): Django's own skips those."""

    def get_users(self, email):
        model = get_user_model()
        field = model.get_email_field_name()
        users = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _same_address(email, getattr(user, field)))
