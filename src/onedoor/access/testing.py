"""Test helpers: a Django test client signed in as a demo person, acting in a chosen context.

Sign-in itself is tested through devidp's real redirects (onedoor.devidp); server-side tests of
pages and the API start from here, after it.
"""

from datetime import timedelta
from secrets import token_urlsafe

from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from onedoor.identity.contexts import SESSION_KEY, ActingContext
from onedoor.identity.models import User
from onedoor.parties.services import person_from_register, registered_person

from .contexts import contexts_for, institution_context
from .middleware import CHOICE_PENDING_KEY, context_to_session


def person_user(personal_code: str) -> User:
    """The platform account of a person from the demo registers (as sign-in would create it)."""
    registered = registered_person(personal_code)
    assert registered is not None, f"{personal_code} is not in the demo registers"
    person = person_from_register(registered)
    user, created = User.objects.get_or_create(
        person=person,
        defaults={
            "username": f"p-{person.personal_code}",
            "first_name": person.given_name,
            "last_name": person.family_name,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sign_in(client: Client, personal_code: str, *, acting_for: str = "", mandate: str = "") -> ActingContext:
    """Signs the client in as the person, acting for the party with this key (themself by default;
    with `mandate`, under that mandate's reference). Returns the context chosen."""
    user = person_user(personal_code)
    client.force_login(user)
    wanted = acting_for or personal_code
    context = next(
        (ctx for ctx in contexts_for(user, at=timezone.now()) if ctx.key == wanted and ctx.mandate_id == mandate),
        None,
    )
    assert context is not None, f"{personal_code} cannot act for {wanted} {mandate}".strip()
    session = client.session
    session[SESSION_KEY] = context_to_session(context)
    session.pop(CHOICE_PENDING_KEY, None)  # chosen, as the switcher would have done
    session.save()
    return context


def person_token(personal_code: str, scope: str = "me") -> str:
    """An access token given to the person's mobile app (authorization code flow), valid for an hour."""
    application, _ = Application.objects.get_or_create(
        client_id="test-mobile-app",
        defaults={
            "name": "Mobile app (test)",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "https://app.example.lv/callback",
        },
    )
    token = AccessToken.objects.create(
        user=person_user(personal_code),
        application=application,
        token=token_urlsafe(30),
        expires=timezone.now() + timedelta(hours=1),
        scope=scope,
    )
    return token.token


def staff_sign_in(client: Client, username: str) -> ActingContext:
    """Signs the client in as the member of staff, acting for their institution (as at work)."""
    user = User.objects.get(username=username)
    client.force_login(user)
    context = institution_context(user)
    assert context is not None, f"{username} is not a member of an institution's staff"
    session = client.session
    session[SESSION_KEY] = context_to_session(context)
    session.pop(CHOICE_PENDING_KEY, None)
    session.save()
    return context
