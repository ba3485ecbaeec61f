"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONEDOOR_VAR_DIR", Path.cwd() / "var")).resolve()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "onedoor.core",
    "onedoor.audit",
    "onedoor.parties",
    "onedoor.identity",
    "onedoor.catalog",
    "onedoor.access",
    "onedoor.cases",
    "onedoor.documents",
    "onedoor.notifications",
    "onedoor.integration",
    "onedoor.accounts",
    "onedoor.workplace",
    "onedoor.demo",
]

MIDDLEWARE = [
    "onedoor.core.middleware.RequestIdMiddleware",
    "onedoor.core.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onedoor.access.middleware.ActingContextMiddleware",  # after messages: it tells why a context ended
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "onedoor.urls"
WSGI_APPLICATION = "onedoor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onedoor.access.context_processors.acting_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'onedoor.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # The central document store (DOC-1); production.py puts it in S3-compatible object storage.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "documents"},
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("ONEDOOR_SESSION_SECONDS", "1800"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # the 30 minutes run from the last request (sliding)

# Sign-in through OpenID Connect (ADR 0006): the national identity provider in production; devidp,
# at relative /devidp/ paths resolved against the request, in the demo and tests.
AUTHENTICATION_BACKENDS = [
    "onedoor.identity.oidc.OIDCBackend",
    "django.contrib.auth.backends.ModelBackend",  # password sign-in to the administration
]
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATE_CLASS = "onedoor.identity.oidc.AuthenticationRequestView"
OIDC_CALLBACK_CLASS = "onedoor.identity.oidc.CallbackView"
OIDC_OP_LOGOUT_URL_METHOD = "onedoor.identity.oidc.op_logout_url"
LOGIN_URL = "oidc_authentication_init"
LOGIN_REDIRECT_URL = "accounts:overview"
LOGIN_REDIRECT_URL_FAILURE = "/"
LOGOUT_REDIRECT_URL = "/"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "onedoor.core.api.problems.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "onedoor.core.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "PAGE_SIZE": 20,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "OneDoor API",
    "DESCRIPTION": (
        "The integration and public API of OneDoor, the platform for delivering and managing "
        "public services. Every error is returned as application/problem+json (RFC 9457)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "onedoor.core.channels.Channel",
        "LifecycleEnum": "onedoor.catalog.models.Lifecycle",
        "ClientKindEnum": "onedoor.cases.models.ClientKind",
        "DeliveryStatusEnum": "onedoor.integration.models.DeliveryStatus",
        "MandateScopeEnum": "onedoor.access.models.MandateScope",
        "MandateStatusEnum": "onedoor.access.models.MandateStatus",
        "MandateDirectionEnum": "onedoor.accounts.api.mandates.MandateDirection",
        "NoticeKindEnum": "onedoor.notifications.models.NoticeKind",
        "ContactKindEnum": "onedoor.notifications.models.ContactKind",
        "PartyKindEnum": ["person", "organisation"],
    },
}

OAUTH2_PROVIDER = {
    "SCOPES": {
        "cases:read": "Read cases",
        "cases:write": "Register cases",
        "statuses:write": "Record case statuses",
        "cases:reopen": "Reopen closed cases",
        "consultations:write": "Record consultations",
        "feedback:write": "Record feedback",
        "events:read": "Read the event feed and manage webhooks",
        "messages:write": "Send messages with attachments to clients' e-account inboxes",
        "me": "Your own e-account: cases, messages, documents and mandates (the mobile app)",
    },
    "DEFAULT_SCOPES": [],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "OAUTH2_VALIDATOR_CLASS": "onedoor.integration.auth.SystemOAuth2Validator",
    # The current OAuth security practice (RFC 9700) wherever it does not change the published flows.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": env_list("ONEDOOR_OAUTH_REDIRECT_SCHEMES", "https"),
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
ONEDOOR_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("ONEDOOR_WEBHOOK_TIMEOUT_SECONDS", "10"))
ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS = float(os.environ.get("ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS", "72"))

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "onedoor.core.tasks.heartbeat", "schedule": 30.0},
    "relay-outbox": {"task": "onedoor.core.tasks.relay_outbox", "schedule": 5.0},
    "deliver-webhooks": {"task": "onedoor.integration.tasks.deliver_due", "schedule": 5.0},
    "send-notifications": {"task": "onedoor.notifications.tasks.send_due", "schedule": 10.0},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OneDoor <no-reply@onedoor.invalid>")
ONEDOOR_SMS_GATEWAY_URL = os.environ.get("ONEDOOR_SMS_GATEWAY_URL", "")
ONEDOOR_SMS_GATEWAY_TOKEN = os.environ.get("ONEDOOR_SMS_GATEWAY_TOKEN", "")
ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS = float(os.environ.get("ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS", "10"))
ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR = int(os.environ.get("ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR", "10"))
ONEDOOR_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("ONEDOOR_NOTIFICATION_MAX_ATTEMPTS", "8"))
ONEDOOR_NOTIFICATION_GIVE_UP_AFTER_HOURS = float(os.environ.get("ONEDOOR_NOTIFICATION_GIVE_UP_AFTER_HOURS", "24"))

# The document store (DOC-1): ClamAV's clamd scans every file before it is stored, when configured
# (a unix socket, or a host and port); files larger than the limit are refused.
ONEDOOR_CLAMD_SOCKET = os.environ.get("ONEDOOR_CLAMD_SOCKET", "")
ONEDOOR_CLAMD_HOST = os.environ.get("ONEDOOR_CLAMD_HOST", "")
ONEDOOR_CLAMD_PORT = int(os.environ.get("ONEDOOR_CLAMD_PORT", "3310"))
ONEDOOR_CLAMD_TIMEOUT_SECONDS = float(os.environ.get("ONEDOOR_CLAMD_TIMEOUT_SECONDS", "30"))
ONEDOOR_DOCUMENT_MAX_BYTES = int(os.environ.get("ONEDOOR_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# The TrueType font of generated PDFs (the e-assistant's applications): it must have Latvian letters.
ONEDOOR_PDF_FONT = os.environ.get("ONEDOOR_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

ONEDOOR_DEMO_SECRET_MARKER = "onedoor-demo-"
ONEDOOR_PUBLIC_URL = os.environ.get("ONEDOOR_PUBLIC_URL", "http://127.0.0.1:8000")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "onedoor.core.logging.json_formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONEDOOR_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "celery": {"level": "INFO"},
        # Every scheduled sweep would otherwise log two lines; failures still show as warnings.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.beat": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
    },
}
