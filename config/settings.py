"""Settings for Samverkansregistret, one module, configured by environment variables.

Local use needs no variables at all (SQLite under var/). Production sets at least
DEBUG=0 (the default), SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and HTTPS=1;
docs/configuration.md lists the rest.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def fail(message):
    """Stop with one readable line instead of a traceback: a setting is wrong."""
    sys.exit(f"Samverkansregistret: {message}")


def envbool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    fail(f"{name} must be 0 or 1, not {value!r}.")


def envint(name, default, minimum=None):
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        fail(f"{name} must be a whole number, not {value!r}.")
    if minimum is not None and number < minimum:
        fail(f"{name} must be at least {minimum}, not {value!r}.")
    return number


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def sqlite_database(name):
    """SQLite as the service needs it, wherever the file is (var/ or DATABASE_URL).

    Write-ahead logging lets reads go on during a write; every transaction takes the write
    lock when it begins (IMMEDIATE), so two requests never deadlock upgrading a read lock;
    and a request waits up to 20 s for the lock (the busy timeout) rather than failing
    with "database is locked" when others log in or save at the same moment. Only requests
    that may write open a transaction; GET and HEAD read in autocommit and never queue.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Every request that may write is one transaction, so a multi-row write lands whole
        # or not at all; GET and HEAD read without the write lock
        # (municipality.middleware.WritesInOneTransactionMiddleware).
        "ATOMIC_REQUESTS": False,
        # Tests use a file too, so several connections lock as they do in production.
        "TEST": {"NAME": str(VAR_DIR / "test_samverkan.sqlite3")},
    }


def database_from_env():
    """SQLite under var/ unless DATABASE_URL names a PostgreSQL (or SQLite) database."""
    url = os.environ.get("DATABASE_URL")
    if url is None:
        VAR_DIR.mkdir(exist_ok=True)
        return sqlite_database(VAR_DIR / "samverkan.sqlite3")
    example = "postgres://user:password@host:5432/name"
    try:
        config = dj_database_url.parse(url.strip(), conn_max_age=60, conn_health_checks=True)
    except Exception:
        fail(f"DATABASE_URL is malformed ({url!r}); expected e.g. {example}.")
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        fail(f"DATABASE_URL must name a PostgreSQL or SQLite database, e.g. {example}.")
    if not config.get("NAME"):
        fail(f"DATABASE_URL has no database name ({url!r}); expected e.g. {example}.")
    if engine == "django.db.backends.sqlite3":
        # The same options as the default; the URL's own (?timeout=60) win.
        database = sqlite_database(config["NAME"])
        database["OPTIONS"].update(config.get("OPTIONS", {}))
        return database
    config["ATOMIC_REQUESTS"] = True
    return config


DEBUG = envbool("DEBUG", False)
HTTPS = envbool("HTTPS", False)

DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY


def refuse_development_key():
    """Called where the program starts (manage.py, config/wsgi.py): with DEBUG off a known
    key would let anyone forge sessions and password-reset links. The test suite imports
    settings directly, and runs with DEBUG off on the development key."""
    if DEBUG:
        return
    if "SECRET_KEY" not in os.environ or not os.environ["SECRET_KEY"].strip():
        fail("SECRET_KEY must be set when DEBUG is off.")
    if SECRET_KEY.startswith("django-insecure"):
        fail("SECRET_KEY is a development key; set a long random one when DEBUG is off.")


ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    # Before django.contrib.auth, so that its createsuperuser (in Swedish) is the one run.
    "municipality",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "simple_history",
    "rules",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "partners",
    "dialogues",
    "grants",
    "overview",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "municipality.middleware.PermissionsPolicyMiddleware",
    # Before anything asks the Host: a load balancer probes by the server's address.
    "municipality.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "municipality.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "municipality.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout response.
    "axes.middleware.AxesMiddleware",
    # After every other process_view: it calls the view itself, inside its transaction.
    "municipality.middleware.WritesInOneTransactionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "municipality.navigation.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "municipality.User"
CSRF_FAILURE_VIEW = "municipality.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes' backend comes first: it refuses a locked-out login before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# New users are invited by e-mail to choose a password; the link lasts this many days.
INVITATION_DAYS = envint("INVITATION_DAYS", 7, minimum=1)

# Sessions live in the database so that several application servers can share the load.
# A session lasts a working day from login and ends when the browser is closed.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Login throttling (django-axes): LOGIN_FAILURE_LIMIT failed logins with one user name from
# one address lock that pair out for LOGIN_LOCKOUT_MINUTES (municipality/login.py).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "municipality.login.lockout_response"
# ... and LOGIN_ADDRESS_LIMIT different user names failing from one address lock the address.
AXES_HANDLER = "municipality.login.AddressLimitedHandler"
LOGIN_ADDRESS_LIMIT = envint("LOGIN_ADDRESS_LIMIT", 20, minimum=2)
AXES_CLIENT_IP_CALLABLE = "municipality.login.client_ip"
AXES_VERBOSE = False  # no banner on every command; failures are still logged
# Retention of personal data (`manage.py gallra`, municipality/personal_data.py): contact
# persons of organisations inactive or archived this many years, and who attended meetings
# and was sent invitations and feedback this many years back.
PERSONAL_DATA_CONTACT_YEARS = envint("PERSONAL_DATA_CONTACT_YEARS", 2, minimum=1)
PERSONAL_DATA_ATTENDANCE_YEARS = envint("PERSONAL_DATA_ATTENDANCE_YEARS", 5, minimum=1)

# Long exports are prepared in the background by `manage.py db_worker` (django-tasks with
# its database backend: no broker). A file is kept EXPORT_RETENTION_DAYS, then removed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPORT_RETENTION_DAYS = envint("EXPORT_RETENTION_DAYS", 7, minimum=1)
# A workbook of at most this many grants is answered at once; a larger one in the background.
EXPORT_DIRECT_MAX_GRANTS = envint("EXPORT_DIRECT_MAX_GRANTS", 2000, minimum=0)
# A list's export (municipality.list_exports) of at most this many rows likewise.
EXPORT_DIRECT_MAX_ROWS = envint("EXPORT_DIRECT_MAX_ROWS", 2000, minimum=0)
# Imports (municipality.tabular, municipality.register_import): reading a file stops with a
# Swedish refusal after this many seconds, in a request and in the background worker; a
# register file larger than these is checked and imported in the background.
IMPORT_READ_SECONDS = envint("IMPORT_READ_SECONDS", 20, minimum=1)
IMPORT_BACKGROUND_READ_SECONDS = envint("IMPORT_BACKGROUND_READ_SECONDS", 240, minimum=1)
IMPORT_DIRECT_MAX_BYTES = envint("IMPORT_DIRECT_MAX_BYTES", 1024 * 1024, minimum=0)
IMPORT_DIRECT_MAX_ROWS = envint("IMPORT_DIRECT_MAX_ROWS", 2000, minimum=0)
# How many reverse proxies in front append the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverkansregistret@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement tells people to report what they cannot use; empty,
# it asks them to contact the municipality that runs the service.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "").strip()

# Behind a TLS-terminating reverse proxy (HTTPS=1) every cookie is secure and browsers
# are told to use HTTPS only.
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes the health check on each server over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files,
# so templates have no inline <script>, style="…" or onclick="…".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVGs in its CSS
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy and Cache-Control: municipality/middleware.py.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "config.log_filters.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # A request for another host name (a scanner, a misdirected probe) is one line.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["without_traceback"],
            "propagate": False,
        },
    },
}
