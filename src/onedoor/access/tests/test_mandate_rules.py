"""The rules behind acting contexts and mandates (ACC-1, ACC-5), below the pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from onedoor.access.contexts import context_confirm, contexts_for, self_context
from onedoor.access.errors import MandateNotAllowed
from onedoor.access.models import Mandate, MandateScope, MandateStatus
from onedoor.access.selectors import mandates_in_status
from onedoor.access.services import mandate_grant, mandate_period, mandate_revoke
from onedoor.access.testing import person_user
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.core.models import OutboxEvent
from onedoor.identity.contexts import ActingContext, ContextKind, PartyKind
from onedoor.identity.selectors import actor_for_user
from onedoor.parties.models import Person

RIGA = ZoneInfo("Europe/Riga")
ANNA, MARTINS, JANIS, ELZA = "32871452034", "08029012184", "14037812342", "05030920418"
BALTIJAS = "40003119424"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=800))
def test_a_period_runs_from_the_first_midnight_to_the_midnight_after_the_last_day(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    start, end = mandate_period(first_day=first, last_day=last)
    assert start.astimezone(RIGA).timetz().replace(tzinfo=None).isoformat() == "00:00:00"
    assert end.astimezone(RIGA).date() == last + timedelta(days=1)
    assert end.astimezone(RIGA).hour == 0
    assert start < end


def test_the_last_day_of_a_period_spanning_the_change_to_summer_time() -> None:
    # 29 March 2026: Riga moves from +02:00 to +03:00.
    start, end = mandate_period(first_day=date(2026, 3, 1), last_day=date(2026, 3, 31))
    assert start.isoformat() == "2026-03-01T00:00:00+02:00"
    assert end.isoformat() == "2026-04-01T00:00:00+03:00"
    mandate = Mandate(valid_from=start, valid_until=end)
    assert (mandate.first_day, mandate.last_day) == (date(2026, 3, 1), date(2026, 3, 31))


def test_status_follows_the_period_and_ending_wins() -> None:
    start = datetime(2026, 1, 1, tzinfo=RIGA)
    mandate = Mandate(valid_from=start, valid_until=start + timedelta(days=10))
    assert mandate.status_at(start - timedelta(seconds=1)) == MandateStatus.PENDING
    assert mandate.status_at(start) == MandateStatus.ACTIVE
    assert mandate.status_at(start + timedelta(days=10) - timedelta(microseconds=1)) == MandateStatus.ACTIVE
    assert mandate.status_at(start + timedelta(days=10)) == MandateStatus.EXPIRED
    mandate.declined_at = start
    assert mandate.status_at(start + timedelta(days=1)) == MandateStatus.DECLINED
    mandate.revoked_at = start
    assert mandate.status_at(start + timedelta(days=1)) == MandateStatus.REVOKED


def _grant(mandator: str, mandatary: str, *, first: date, last: date) -> Mandate:
    user = person_user(mandator)
    person = Person.objects.get(personal_code=mandator)
    valid_from, valid_until = mandate_period(first_day=first, last_day=last)
    created = mandate_grant(
        actor=actor_for_user(user, context=self_context(person)),
        granted_by=person,
        may_grant=True,
        mandatary_code=mandatary,
        scope=MandateScope.ALL_SERVICES,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return created


@pytest.mark.django_db
def test_the_database_agrees_with_status_at(demo_catalog: None) -> None:
    today = timezone.localdate()
    active = _grant(ANNA, MARTINS, first=today, last=today + timedelta(days=5))
    pending = _grant(ANNA, MARTINS, first=today + timedelta(days=2), last=today + timedelta(days=5))
    expired = _grant(ANNA, MARTINS, first=today, last=today + timedelta(days=5))
    Mandate.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    revoked = _grant(ANNA, MARTINS, first=today, last=today + timedelta(days=5))
    Mandate.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    declined = _grant(ANNA, MARTINS, first=today, last=today + timedelta(days=5))
    Mandate.objects.filter(pk=declined.pk).update(declined_at=timezone.now())
    now = timezone.now()
    expected = {
        MandateStatus.ACTIVE: active,
        MandateStatus.PENDING: pending,
        MandateStatus.EXPIRED: expired,
        MandateStatus.REVOKED: revoked,
        MandateStatus.DECLINED: declined,
    }
    for status, mandate in expected.items():
        assert list(mandates_in_status(Mandate.objects.all(), status=status, at=now)) == [mandate]
        assert Mandate.objects.get(pk=mandate.pk).status_at(now) == status


@pytest.mark.django_db
def test_a_child_context_ends_when_the_child_comes_of_age() -> None:
    user = person_user(JANIS)
    before = datetime(2027, 3, 4, 12, tzinfo=RIGA)
    elza = next(c for c in contexts_for(user, at=before) if c.kind == ContextKind.CHILD)
    assert elza.key == ELZA
    assert context_confirm(user, elza, at=before) == elza
    # Elza turns 18 on 5 March 2027, Riga time — already at 22:30 UTC the evening before.
    assert context_confirm(user, elza, at=datetime(2027, 3, 4, 22, 30, tzinfo=ZoneInfo("UTC"))) is None


@pytest.mark.django_db
def test_a_forged_context_is_not_confirmed() -> None:
    user = person_user(ANNA)
    forged = ActingContext(
        kind=ContextKind.ORGANISATION, party_kind=PartyKind.ORGANISATION, party_id="x", key=BALTIJAS, label="AS"
    )
    assert context_confirm(user, forged, at=timezone.now()) is None
    someone_else = ActingContext(kind=ContextKind.SELF, party_kind=PartyKind.PERSON, party_id="x", key=JANIS, label="J")
    assert context_confirm(user, someone_else, at=timezone.now()) is None


@pytest.mark.django_db
def test_revoking_needs_the_right_to_give_mandates(demo_catalog: None) -> None:
    today = timezone.localdate()
    mandate = _grant(ANNA, MARTINS, first=today, last=today + timedelta(days=5))
    person = Person.objects.get(personal_code=ANNA)
    actor = actor_for_user(person_user(ANNA), context=self_context(person))
    events, succeeded = OutboxEvent.objects.count(), AuditRecord.objects.filter(outcome=Outcome.SUCCESS).count()
    fields = Mandate.objects.values().get(pk=mandate.pk)
    with pytest.raises(MandateNotAllowed):
        mandate_revoke(actor=actor, mandate=mandate)
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
    assert Mandate.objects.values().get(pk=mandate.pk) == fields
    assert OutboxEvent.objects.count() == events
    assert AuditRecord.objects.filter(outcome=Outcome.SUCCESS).count() == succeeded
    assert AuditRecord.objects.filter(action="access.mandate.revoke_denied", outcome="denied").count() == 1
    assert mandate_revoke(actor=actor, mandate=mandate, may_revoke=True).revoked_at is not None
