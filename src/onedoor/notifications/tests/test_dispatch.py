"""The dispatcher's per-recipient rate limit: notices over it are deferred, never dropped."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.notifications.dispatch import dispatches_claim, dispatches_send_due
from onedoor.notifications.models import ContactKind, Dispatch, DispatchStatus
from onedoor.parties.models import Person

from .conftest import EMAIL, contact, publish, record_status, register_case

pytestmark = pytest.mark.django_db


def _three_notices() -> None:
    case = register_case()
    record_status(case, "benefit-granted")
    record_status(case, "benefit-paid")
    record_status(case, "benefit-refused")
    publish()


def test_notices_over_the_rate_limit_are_deferred_until_a_slot_frees(janis: Person, settings: Settings) -> None:
    settings.ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR = 2
    contact(janis, ContactKind.EMAIL, EMAIL)
    _three_notices()
    assert Dispatch.objects.count() == 3
    assert dispatches_send_due() == 2
    assert len(mail.outbox) == 2
    deferred = Dispatch.objects.get(status=DispatchStatus.PENDING)
    assert deferred.attempts == 0
    # Deferred while the other two were in flight: looked at again once their leases could have run out.
    assert timezone.now() < deferred.next_attempt_at < timezone.now() + timedelta(seconds=60)

    Dispatch.objects.filter(pk=deferred.pk).update(next_attempt_at=timezone.now())
    assert dispatches_send_due() == 0  # both sends are within the hour: deferred to when the first leaves it
    sent = Dispatch.objects.filter(status=DispatchStatus.SENT).order_by("sent_at")
    deferred.refresh_from_db()
    assert (deferred.status, deferred.attempts) == (DispatchStatus.PENDING, 0)
    assert deferred.next_attempt_at == sent[0].sent_at + timedelta(hours=1)

    # An hour later the first sends have left the window.
    Dispatch.objects.filter(status=DispatchStatus.SENT).update(sent_at=timezone.now() - timedelta(minutes=61))
    Dispatch.objects.filter(pk=deferred.pk).update(next_attempt_at=timezone.now())
    assert dispatches_send_due() == 1
    assert len(mail.outbox) == 3
    assert Dispatch.objects.filter(status=DispatchStatus.SENT).count() == 3


def test_dispatches_in_flight_count_towards_the_limit(janis: Person, settings: Settings) -> None:
    settings.ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR = 2
    contact(janis, ContactKind.EMAIL, EMAIL)
    _three_notices()
    first = dispatches_claim(limit=1)
    second = dispatches_claim(limit=5)  # another worker, while the first one is sending
    assert (len(first.dispatches), len(second.dispatches), second.deferred) == (1, 1, 1)
    assert Dispatch.objects.filter(leased_until__isnull=False).count() == 2


def test_no_limit_when_set_to_zero(janis: Person, settings: Settings) -> None:
    settings.ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR = 0
    contact(janis, ContactKind.EMAIL, EMAIL)
    _three_notices()
    assert dispatches_send_due() == 3


def test_a_claimed_dispatch_is_not_claimed_again_until_its_lease_runs_out(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(), "benefit-granted")
    publish()
    (claimed,) = dispatches_claim().dispatches
    assert claimed.leased_until is not None
    assert claimed.leased_until > timezone.now()
    assert dispatches_claim().dispatches == []
    Dispatch.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    assert [dispatch.pk for dispatch in dispatches_claim().dispatches] == [claimed.pk]
