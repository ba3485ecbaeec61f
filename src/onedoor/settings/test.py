"""`make test`: PostgreSQL and Redis started by the test harness (scripts/test-services.sh)."""

import os

from onedoor.devidp.keys import signing_key_pem

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, OAUTH2_PROVIDER
from .devidp import *  # noqa: F403
from .devidp import devidp_apps, devidp_oauth2_provider

SECRET_KEY = "onedoor-demo-test-secret-key"
DEBUG = False
ONEDOOR_DEMO = True

DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_CONNECTION_TIMEOUT = 2

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["http", "https"]  # tests run on plain http

# The development identity provider (ADR 0006) stands in for the national one; see settings/devidp.py.
INSTALLED_APPS = devidp_apps(INSTALLED_APPS)
OAUTH2_PROVIDER = devidp_oauth2_provider(OAUTH2_PROVIDER, signing_key_pem=signing_key_pem())
