"""The relying parties devidp serves: registered as django-oauth-toolkit applications."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from oauth2_provider.models import Application

# Published in the demo's documentation; production refuses the secret (settings/production.py).
PORTAL_CLIENT_ID = "onedoor-portal"
PORTAL_CLIENT_SECRET = "onedoor-demo-portal-secret"  # noqa: S105 - published demo secret
PORTAL_CLIENT_NAME = "OneDoor portal"


def devidp_client_ids() -> frozenset[str]:
    """The client ids devidp accepts (ONEDOOR_DEVIDP_CLIENT_IDS; the portal by default)."""
    return frozenset(getattr(settings, "ONEDOOR_DEVIDP_CLIENT_IDS", (PORTAL_CLIENT_ID,)))


def is_devidp_client(client: Any) -> bool:
    """Whether `client` (an Application or None) is one of devidp's relying parties."""
    return client is not None and getattr(client, "client_id", None) in devidp_client_ids()


@transaction.atomic
def register_portal_client(redirect_uris: list[str], *, post_logout_redirect_uris: Sequence[str] = ()) -> Application:
    """The portal's client at devidp, with exactly these redirect and post-logout URIs (idempotent).

    A confidential client of the authorisation code flow, with RS256 ID tokens and PKCE (S256,
    required by the validator). It is the platform's own portal, so nobody is asked to approve it.
    """
    application, _ = Application.objects.update_or_create(
        client_id=PORTAL_CLIENT_ID,
        defaults={
            "name": PORTAL_CLIENT_NAME,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "client_secret": PORTAL_CLIENT_SECRET,
            "hash_client_secret": True,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
            "redirect_uris": " ".join(redirect_uris),
            "post_logout_redirect_uris": " ".join(post_logout_redirect_uris),
            "user": None,
        },
    )
    return application
