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
    ONEDOOR_DEMO_SECRET_MARKER,
    SECRET_KEY,
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
