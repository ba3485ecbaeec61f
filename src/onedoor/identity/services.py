"""Writes of the identity app: the platform account a signed-in person gets."""

from django.db import transaction
from django.utils.translation import gettext as _

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.errors import PermissionDenied
from onedoor.parties.identifiers import normalize_personal_code
from onedoor.parties.models import Person
from onedoor.parties.services import person_by_code, person_from_register, registered_person

from .models import User
from .selectors import actor_for_user

SIGN_IN_ACTION = "identity.sign_in"


class SignInRefused(PermissionDenied):
    code: str = "sign_in_refused"


def _person(personal_code: str) -> Person:
    """The person as the registers know them (names kept up to date); by code alone when they do not."""
    registered = registered_person(personal_code)
    if registered is not None:
        return person_from_register(registered)
    return person_by_code(personal_code)


def user_for_signin(
    *, personal_code: str, given_name: str, family_name: str, source_ip: str | None = None, request_id: str = ""
) -> User:
    """The platform account of the person an identity provider vouched for, made on their first
    sign-in (username `p-<personal code>`, no password); audited as `identity.sign_in`.

    A member of staff whose account is linked to the person gets that account: one person, one
    account. A disabled account, or a person linked to more than one account, is refused
    (`SignInRefused`), and the refusal is audited too. An invalid personal code raises ValidationError.
    """
    code = normalize_personal_code(personal_code)
    refusal = ""
    with transaction.atomic():
        person = _person(code)
        accounts = list(User.objects.filter(person=person).order_by("date_joined")[:2])
        created = not accounts
        if created:
            user = User(
                username=f"p-{code}",
                person=person,
                first_name=person.given_name or given_name,
                last_name=person.family_name or family_name,
            )
            user.set_unusable_password()
            user.save()
        else:
            user = accounts[0]
            if len(accounts) > 1:
                refusal = "several_accounts"
            elif not user.is_active:
                refusal = "account_disabled"
            names = (person.given_name or given_name, person.family_name or family_name)
            if not refusal and (user.first_name, user.last_name) != names:
                user.first_name, user.last_name = names
                user.save(update_fields=["first_name", "last_name"])
        audit_record(
            actor=actor_for_user(user, source_ip=source_ip, request_id=request_id),
            action=SIGN_IN_ACTION,
            outcome=Outcome.DENIED if refusal else Outcome.SUCCESS,
            obj=AuditedObject(type="identity.user", id=str(user.pk), label=user.get_full_name() or user.username),
            details={"method": "openid_connect", "created": created, **({"refusal": refusal} if refusal else {})},
        )
    if refusal == "several_accounts":
        raise SignInRefused(_("More than one account is linked to you. Please contact the platform's support."))
    if refusal:
        raise SignInRefused(_("Your account is disabled. Please contact the platform's support."))
    return user
