"""Production: every secret from the environment; refuses to start with anything from the demo."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ONEDOOR_DEMO_SECRET_MARKER, SECRET_KEY, env_bool

ONEDOOR_DEMO = False

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")
if SECRET_KEY.startswith(ONEDOOR_DEMO_SECRET_MARKER):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is a demo secret; production refuses to start with it.")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("ONEDOOR_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("ONEDOOR_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
