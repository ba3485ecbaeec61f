"""Confirmed contact data of demo clients, so that notices reach an e-mail box (var/mail in the demo)."""

from onedoor.core.actors import SYSTEM
from onedoor.notifications.models import ContactKind
from onedoor.notifications.services import contact_point_add, contact_point_confirm
from onedoor.parties.models import Person

DEMO_CONTACTS = (("32871452034", ContactKind.EMAIL, "anna.kalnina@example.lv"),)


def load_contacts() -> int:
    for personal_code, kind, value in DEMO_CONTACTS:
        person = Person.objects.get(personal_code=personal_code)
        contact_point_confirm(
            actor=SYSTEM, contact_point=contact_point_add(actor=SYSTEM, person=person, kind=kind, value=value)
        )
    return len(DEMO_CONTACTS)
