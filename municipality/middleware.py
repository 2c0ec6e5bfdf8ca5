from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.cache import patch_vary_headers

from municipality.views import health


class ChosenLanguageMiddleware:
    """Swedish unless the user has chosen English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a municipal
    service speaks Swedish to everyone by default, whatever the browser was set up with.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class HealthCheckMiddleware:
    """Answers the health check (/halsa/) before anything reads the request's Host.

    A load balancer probes each application server directly, over plain HTTP and often
    with the server's address as Host, which is not in ALLOWED_HOSTS: Django would answer
    400. The check reveals nothing but whether the database answers, so it is answered
    whatever the Host (SECURE_REDIRECT_EXEMPT keeps it out of the HTTPS redirect).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/halsa/":
            return health(request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Permissions-Policy: no page of ours may use the camera, microphone, location and
    other powerful browser features, nor may anything embedded in it."""

    FEATURES = (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
    POLICY = ", ".join(f"{feature}=()" for feature in FEATURES)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class NoStoreMiddleware:
    """Cache-Control: no-store on every response to a logged-in user and on every file
    (anything with a Content-Disposition: workbooks, .ics), so that neither the browser nor
    a proxy keeps a copy of personal data.

    A response that already says how it may be cached keeps that: Django's login and admin
    pages say no-store themselves, and calendar feeds, polled without a login, say
    "private, no-cache" so that clients may revalidate them with their ETag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if "Cache-Control" not in response and (logged_in or "Content-Disposition" in response):
            response["Cache-Control"] = "no-store"
        return response


class WritesInOneTransactionMiddleware:
    """Each request that may write runs its view in one transaction, as ATOMIC_REQUESTS
    would; GET and HEAD do not.

    On SQLite every transaction takes the write lock when it begins (`transaction_mode`
    IMMEDIATE, so writers never deadlock), so ATOMIC_REQUESTS would make every reader
    queue behind every writer and each other. Readers run in autocommit instead, and WAL
    lets them read while a write goes on. A view that writes on a GET opens its own
    `transaction.atomic()`. Where the database has ATOMIC_REQUESTS (PostgreSQL), Django
    already wraps every view and this does nothing. Last in MIDDLEWARE, so that every other
    middleware's process_view (CSRF among them) has run first.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS or connection.settings_dict["ATOMIC_REQUESTS"]:
            return None
        if getattr(view_func, "_non_atomic_requests", set()):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
