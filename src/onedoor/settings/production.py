"""Production: every secret from the environment; refuses to start with anything from the demo."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_ISSUER,
    OIDC_OP_JWKS_ENDPOINT,
    OIDC_OP_LOGOUT_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_RP_CLIENT_SECRET,
    ONEDOOR_CLAMD_HOST,
    ONEDOOR_CLAMD_SOCKET,
    ONEDOOR_DEMO_SECRET_MARKER,
    SECRET_KEY,
    STORAGES,
    env_bool,
)

ONEDOOR_DEMO = False

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")
if SECRET_KEY.startswith(ONEDOOR_DEMO_SECRET_MARKER):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is a demo secret; production refuses to start with it.")
if OIDC_RP_CLIENT_SECRET.startswith(ONEDOOR_DEMO_SECRET_MARKER):
    raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET is a demo secret; production refuses to start with it.")
if any(
    endpoint and not endpoint.startswith("https://")
    for endpoint in (
        OIDC_OP_ISSUER,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
        OIDC_OP_LOGOUT_ENDPOINT,
    )
):
    raise ImproperlyConfigured("OIDC_OP_* must be the identity provider's absolute https:// URLs in production.")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("ONEDOOR_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("ONEDOOR_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# The document store (DOC-1, ADR 0008) in S3-compatible object storage; the keys come from the
# environment only (or, left empty, from the instance's role as boto3 finds it).
STORAGES["documents"] = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": os.environ.get("ONEDOOR_DOCUMENTS_BUCKET", "onedoor-documents"),
        "endpoint_url": os.environ.get("ONEDOOR_DOCUMENTS_ENDPOINT_URL") or None,
        "region_name": os.environ.get("ONEDOOR_DOCUMENTS_REGION") or None,
        "access_key": os.environ.get("ONEDOOR_DOCUMENTS_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("ONEDOOR_DOCUMENTS_SECRET_ACCESS_KEY") or None,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    },
}
# No file is stored unscanned in production unless the operator says so explicitly.
if not (ONEDOOR_CLAMD_SOCKET or ONEDOOR_CLAMD_HOST) and not env_bool("ONEDOOR_ALLOW_UNSCANNED_DOCUMENTS"):
    raise ImproperlyConfigured(
        "ClamAV is not configured: set ONEDOOR_CLAMD_SOCKET or ONEDOOR_CLAMD_HOST (and ONEDOOR_CLAMD_PORT), "
        "or ONEDOOR_ALLOW_UNSCANNED_DOCUMENTS=true to store files unscanned."
    )
