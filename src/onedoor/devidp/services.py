"""What happens at devidp when a person signs in there."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onedoor.parties.registers.population import RegisteredPerson

from .models import Subject


@transaction.atomic
def subject_sign_in(*, registered: RegisteredPerson) -> Subject:
    """devidp's subject for a living registered person, made on their first sign-in, with the names
    the register gives now and the time of this sign-in (the ID token's `auth_time`)."""
    if not registered.is_alive:
        raise ValueError("A deceased person cannot sign in.")
    subject = Subject.objects.select_related("user").filter(personal_code=registered.personal_code).first()
    if subject is None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=f"devidp-{registered.personal_code}", defaults={"is_active": False}
        )
        if created:
            user.set_unusable_password()
        subject = Subject(user=user, personal_code=registered.personal_code)
    subject.given_name = registered.given_name
    subject.family_name = registered.family_name
    subject.save()
    user = subject.user
    user.first_name = registered.given_name
    user.last_name = registered.family_name
    user.is_active = False  # a shadow of the subject for django-oauth-toolkit: never a platform account
    user.last_login = timezone.now()
    user.save()
    return subject
