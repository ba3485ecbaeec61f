"""NOTE-2, ACC-5: the mandatary learns in their inbox that a mandate was given or revoked; the one who
gave it learns that it was declined."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onedoor.access.contexts import self_context
from onedoor.access.models import Mandate, MandateScope
from onedoor.access.services import mandate_decline, mandate_grant, mandate_period, mandate_revoke
from onedoor.access.testing import person_user
from onedoor.core.actors import Actor
from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_publish_pending
from onedoor.identity.selectors import actor_for_user
from onedoor.notifications.handlers import mandate_notice_record
from onedoor.notifications.models import Message, NoticeKind
from onedoor.parties.models import Person

pytestmark = pytest.mark.django_db

LIGA = "30088813564"
EDGARS = "25018614627"


def _self(personal_code: str) -> tuple[Actor, Person]:
    user = person_user(personal_code)
    person = Person.objects.get(personal_code=personal_code)
    return actor_for_user(user, context=self_context(person)), person


def _grant() -> Mandate:
    actor, person = _self(LIGA)
    today = timezone.localdate()
    valid_from, valid_until = mandate_period(first_day=today, last_day=today + timedelta(days=60))
    return mandate_grant(
        actor=actor,
        granted_by=person,
        may_grant=True,
        mandatary_code=EDGARS,
        scope=MandateScope.CHOSEN_SERVICES,
        service_codes=["2012"],
        valid_from=valid_from,
        valid_until=valid_until,
    )


def test_the_mandatary_is_told_of_a_mandate_given_and_revoked(demo_catalog: None) -> None:
    mandate = _grant()
    outbox_publish_pending()
    granted = Message.objects.get(recipient__personal_code=EDGARS, kind=NoticeKind.MANDATE)
    assert granted.subject_en == f"Līga Ozoliņa gave you mandate {mandate.reference}"
    assert granted.subject_lv == f"Pilnvarojums {mandate.reference}: piešķirts"
    assert "Family state benefit" in granted.body_en
    assert f"/en/account/mandates/{mandate.reference}/" in granted.body_en
    assert f"/lv/account/mandates/{mandate.reference}/" in granted.body_lv
    assert f"to {mandate.last_day.isoformat()} inclusive" in granted.body_en

    event = OutboxEvent.objects.get(type="mandate.granted")
    mandate_notice_record(event)  # the relay runs a handler again: nothing is added
    assert Message.objects.filter(recipient__personal_code=EDGARS).count() == 1

    actor, _person = _self(LIGA)
    mandate_revoke(actor=actor, mandate=mandate, may_revoke=True)
    outbox_publish_pending()
    revoked = Message.objects.filter(recipient__personal_code=EDGARS).order_by("created_at").last()
    assert revoked is not None
    assert revoked.subject_en == f"Mandate {mandate.reference} from Līga Ozoliņa is revoked"


def test_the_mandator_is_told_of_a_declined_mandate(demo_catalog: None) -> None:
    mandate = _grant()
    actor, person = _self(EDGARS)
    mandate_decline(actor=actor, person=person, mandate=mandate)
    outbox_publish_pending()
    declined = Message.objects.get(recipient__personal_code=LIGA, kind=NoticeKind.MANDATE)
    assert declined.subject_en == f"Edgars Ozols declined mandate {mandate.reference}"
    # Mandate events name no institution: no institution's system receives them.
    assert set(OutboxEvent.objects.values_list("institution_id", flat=True)) == {None}
