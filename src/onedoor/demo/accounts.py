"""Demo staff accounts. Their passwords are published in the README; production refuses them."""

from dataclasses import dataclass

from django.db import transaction

from onedoor.identity.models import Role, User
from onedoor.parties.models import Institution, Person


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    institution: str
    roles: tuple[str, ...]
    first_name: str
    last_name: str
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", "demo-admin", "VRAA", (Role.PLATFORM_ADMIN,), "Platformas", "Administrators", superuser=True),
    DemoAccount("vsaa-editor", "demo-vsaa-editor", "VSAA", (Role.CATALOG_EDITOR,), "Ilze", "Ozola"),
    DemoAccount("vid-editor", "demo-vid-editor", "VID", (Role.CATALOG_EDITOR,), "Māris", "Liepa"),
    DemoAccount("riga-editor", "demo-riga-editor", "RIGA", (Role.CATALOG_EDITOR,), "Laura", "Krūmiņa"),
    DemoAccount("roja-handler", "demo-roja-handler", "ROJA", (Role.CASE_HANDLER,), "Aija", "Zvejniece"),
)

# The persons the staff are (parties/demo/people.json): they sign in through the identity provider as
# that person and get their staff account. The platform administrator signs in with a password only.
STAFF_PERSONS = {
    "vsaa-editor": "32983690061",
    "vid-editor": "32026773543",
    "riga-editor": "32684874522",
    "roja-handler": "32685969380",
}


@transaction.atomic
def load_accounts() -> int:
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    persons = {
        person.personal_code: person for person in Person.objects.filter(personal_code__in=STAFF_PERSONS.values())
    }
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.update_or_create(
            username=account.username,
            defaults={
                "institution": institutions[account.institution],
                "person": persons.get(STAFF_PERSONS.get(account.username, "")),
                "roles": list(account.roles),
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_staff": True,
                "is_superuser": account.superuser,
                "is_demo_account": True,
                "is_active": True,
            },
        )
        if created or not user.check_password(account.password):
            user.set_password(account.password)
            user.save(update_fields=["password"])
    return len(DEMO_ACCOUNTS)
