"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

if not settings.DEBUG and not os.environ.get("SECRET_KEY"):
    sys.exit("Samverkansregistret: SECRET_KEY must be set when DEBUG is off.")

application = get_wsgi_application()
