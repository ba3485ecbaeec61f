"""Production never has devidp, and refuses the demo's sign-in secret and relative endpoints."""

import os
import subprocess
import sys
import textwrap

import pytest

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "onedoor.settings.production",
    "DJANGO_SECRET_KEY": "x" * 64,
    "DATABASE_URL": "postgres://onedoor@127.0.0.1:1/unused",  # never connected to here
    "OIDC_RP_CLIENT_ID": "onedoor",
    "OIDC_RP_CLIENT_SECRET": "a-secret-from-the-identity-provider",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.lv/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.lv/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.lv/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.lv/jwks",
    "OIDC_OP_LOGOUT_ENDPOINT": "https://idp.example.lv/logout",
    "ONEDOOR_CLAMD_SOCKET": "/run/clamav/clamd.ctl",  # never connected to at start-up
}

# Run in a fresh interpreter: settings are read once per process.
CHECK_URLS = textwrap.dedent(
    """
    import django
    from django.conf import settings
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    django.setup()
    assert "onedoor.devidp" not in settings.INSTALLED_APPS
    assert not settings.OAUTH2_PROVIDER.get("OIDC_ENABLED")
    assert settings.OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"] == "onedoor.integration.auth.SystemOAuth2Validator"
    for path in ("/devidp/login/", "/devidp/authorize/", "/devidp/.well-known/openid-configuration"):
        try:
            resolve(path)
        except Resolver404:
            pass
        else:
            raise AssertionError(path + " is routed")
    try:
        reverse("devidp:login")
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("devidp:login is routed")
    assert reverse("oidc_authentication_init") == "/oidc/authenticate/"
    print("production has no devidp")
    """
)


def run_production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("OIDC_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_never_route_devidp() -> None:
    result = run_production(CHECK_URLS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "production has no devidp"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_RP_CLIENT_SECRET": "onedoor-demo-portal-secret"}, "OIDC_RP_CLIENT_SECRET is a demo secret"),
        ({"OIDC_OP_TOKEN_ENDPOINT": "/devidp/token/"}, "OIDC_OP_* must be the identity provider's absolute https://"),
        ({"OIDC_OP_JWKS_ENDPOINT": "http://idp.example.lv/jwks"}, "OIDC_OP_* must be"),
        ({"ONEDOOR_CLAMD_SOCKET": ""}, "ClamAV is not configured"),
    ],
)
def test_production_refuses_the_demo_identity_provider_setup(env: dict[str, str], message: str) -> None:
    result = run_production("import onedoor.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
