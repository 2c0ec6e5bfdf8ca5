"""Logging in, throttled by django-axes.

After LOGIN_FAILURE_LIMIT failed logins with one user name from one address, that user
name is locked out from that address for LOGIN_LOCKOUT_MINUTES, whether or not the user
exists; the login page then says so, on the site and on the admin alike. Another user
name from the same address, or the same user name from elsewhere, is not held up.
Administrators unlock sooner by deleting the access attempt under Axes in the admin, or
with `manage.py axes_reset_username NAME`.

Password spraying tries a few passwords on many user names, each under the limit: once
LOGIN_ADDRESS_LIMIT different user names have failed from one address within
LOGIN_LOCKOUT_MINUTES, that address is locked out for every user name
(`AddressLimitedHandler`; `manage.py axes_reset_ip ADDRESS` lifts it).
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext


def lockout_message():
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed attempts to log in. Try again in %(minutes)d minute, "
        "or ask an administrator to unlock your login.",
        "Too many failed attempts to log in. Try again in %(minutes)d minutes, "
        "or ask an administrator to unlock your login.",
        minutes,
    ) % {"minutes": minutes}


class LockoutMessageMixin:
    """A locked-out login says so instead of "wrong user name or password".

    Axes flags the request when it refuses a login (its backend refuses before the
    password is even checked), so the message is the same for every user name.
    """

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page as the view rendered it (the form already
    carries the lockout message), answered with 429 Too Many Requests."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
        return original_response
    return HttpResponse(
        lockout_message(),
        status=settings.AXES_HTTP_RESPONSE_CODE,
        content_type="text/plain; charset=utf-8",
    )


def client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: the address failed logins are counted against.

    The connecting address, unless TRUSTED_PROXY_COUNT reverse proxies in front of us each
    append the address they saw to X-Forwarded-For: then the one our outermost trusted
    proxy saw. Entries further left come from the client and are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


class AddressLimitedHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' own per user name and address lockout, and one per address
    from which too many different user names have failed."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.address_is_spraying(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self.address_is_spraying(request):
            request.axes_locked_out = True  # the page says locked out, not a wrong password

    def address_is_spraying(self, request):
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if not address:
            return False
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        names = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        return names.count() >= settings.LOGIN_ADDRESS_LIMIT
