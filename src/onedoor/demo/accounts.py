"""Demo staff accounts. Their passwords are published in the README; production refuses them."""

from dataclasses import dataclass

from django.db import transaction

from onedoor.catalog.models import ApplicationPlace
from onedoor.identity.models import Role, User
from onedoor.parties.models import Institution, Person
from onedoor.workplace.models import Placement, Team


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
    DemoAccount("kac-specialist", "demo-kac-specialist", "VRAA", (Role.SPECIALIST,), "Inese", "Bērziņa"),
    DemoAccount("kac-colleague", "demo-kac-colleague", "VRAA", (Role.SPECIALIST,), "Kristaps", "Ozoliņš"),
    DemoAccount("vsaa-handler", "demo-vsaa-handler", "VSAA", (Role.CASE_HANDLER, Role.SPECIALIST), "Dace", "Kalēja"),
)

# The persons the staff are (parties/demo/people.json): they sign in through the identity provider as
# that person and get their staff account. The platform administrator signs in with a password only.
STAFF_PERSONS = {
    "vsaa-editor": "32983690061",
    "vid-editor": "32026773543",
    "riga-editor": "32684874522",
    "roja-handler": "32685969380",
    "kac-specialist": "32945807302",
    "kac-colleague": "32157368193",
    "vsaa-handler": "32860395476",
}

# Teams share a queue (WORK-1); specialists at a customer service centre work at its place.
DEMO_TEAMS = {
    ("VRAA", "kac-riga-front"): ("KAC Rīga – klientu apkalpošana", "KAC Riga – front desk"),
    ("VSAA", "family-benefits"): ("Ģimenes pabalstu nodaļa", "Family benefits department"),
}
DEMO_PLACEMENTS = {
    "kac-specialist": ("vpvkac-nacionalais-centrs", "kac-riga-front"),
    "kac-colleague": ("vpvkac-nacionalais-centrs", "kac-riga-front"),
    "vsaa-handler": (None, "family-benefits"),
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


@transaction.atomic
def load_placements() -> int:
    """The demo teams, and where the demo specialists work (after the accounts and the catalog's places)."""
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    teams = {
        code: Team.objects.update_or_create(
            institution=institutions[institution], code=code, defaults={"name_lv": name_lv, "name_en": name_en}
        )[0]
        for (institution, code), (name_lv, name_en) in DEMO_TEAMS.items()
    }
    place_codes = {place for place, _team in DEMO_PLACEMENTS.values() if place}
    places = {place.code: place for place in ApplicationPlace.objects.filter(code__in=place_codes)}
    for username, (place, team) in DEMO_PLACEMENTS.items():
        Placement.objects.update_or_create(
            user=User.objects.get(username=username),
            defaults={"place": places.get(place or ""), "team": teams[team]},
        )
    return len(DEMO_PLACEMENTS)
