"""Demo credentials of each pilot institution's system: client id `demo-<code>`, secret `demo-<code>-secret`."""

from django.contrib.auth.hashers import check_password
from django.db import transaction
from oauth2_provider.models import Application

from onedoor.parties.models import Institution, InstitutionKind

from .models import InstitutionSystem, Scope


def demo_client_id(institution_code: str) -> str:
    return f"demo-{institution_code.lower()}"


def demo_client_secret(institution_code: str) -> str:
    return f"demo-{institution_code.lower()}-secret"


@transaction.atomic
def load_systems() -> int:
    institutions = Institution.objects.exclude(kind=InstitutionKind.PLATFORM_OPERATOR)
    for institution in institutions:
        client_id, secret = demo_client_id(institution.code), demo_client_secret(institution.code)
        application = Application.objects.filter(client_id=client_id).first()
        if application is None:
            application = Application(client_id=client_id)
        application.name = f"{institution.code} back office (demo)"
        application.client_type = Application.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
        if application.pk is None or not check_password(secret, application.client_secret):
            application.client_secret = secret
        application.save()
        InstitutionSystem.objects.update_or_create(
            code=f"{institution.code.lower()}-backoffice",
            defaults={
                "name": f"{institution.name_en} back-office system",
                "institution": institution,
                "application": application,
                "scopes": list(Scope.values),
                "is_active": True,
                "is_demo_account": True,
            },
        )
    return institutions.count()
