"""`make demo`: SQLite under var/, the filesystem broker, deterministic demo secrets."""

import os

from onedoor.devidp.keys import signing_key_pem

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, OAUTH2_PROVIDER, VAR_DIR
from .devidp import *  # noqa: F403
from .devidp import devidp_apps, devidp_oauth2_provider

VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "onedoor-demo-secret-key-not-for-production")
DEBUG = False
ONEDOOR_DEMO = True

DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"].update(  # noqa: F405
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

BROKER_DIR = VAR_DIR / "broker"
for folder in ("queue", "processed"):
    (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(BROKER_DIR / "queue"),
    "data_folder_out": str(BROKER_DIR / "queue"),
    "processed_folder": str(BROKER_DIR / "processed"),
    "store_processed": False,
}

# E-mail is written to files under var/mail instead of being sent (set EMAIL_BACKEND to send for real).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"] = ["http", "https"]  # the demo runs on plain http

# The development identity provider (ADR 0006) stands in for the national one; see settings/devidp.py.
INSTALLED_APPS = devidp_apps(INSTALLED_APPS)
OAUTH2_PROVIDER = devidp_oauth2_provider(
    OAUTH2_PROVIDER,
    signing_key_pem=signing_key_pem(VAR_DIR / "devidp-signing-key.pem"),
)
