"""Fixtures of the outbound-events tests: systems, published events, tokens and a real receiver."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_append, outbox_publish_pending
from onedoor.integration.models import InstitutionSystem, Subscription
from onedoor.parties.models import Institution

from .receiver import Receiver

SECRET = "a-shared-secret-of-32-characters"


@pytest.fixture
def systems(db: None) -> dict[str, InstitutionSystem]:
    """The pilot institutions and their demo back-office systems (every scope, every service), by code."""
    from onedoor.integration.demo_data import load_systems
    from onedoor.parties.demo_data import load_institutions

    load_institutions()
    load_systems()
    return {system.institution.code: system for system in InstitutionSystem.objects.select_related("institution")}


def publish(
    institution: Institution,
    *subjects: str,
    type: str = "case.status_changed",
    service_code: str = "1001",
) -> list[OutboxEvent]:
    """Commit one event per subject (in the caller's transaction) and run the relay, as a worker would."""
    with transaction.atomic():
        events = [
            outbox_append(
                type=type,
                source="/onedoor/registry",
                subject=subject,
                ordering_key=subject,
                data={"case_number": subject, "n": index},
                occurred_at=timezone.now(),
                institution_id=institution.pk,
                service_code=service_code,
            )
            for index, subject in enumerate(subjects)
        ]
    outbox_publish_pending()
    for event in events:
        event.refresh_from_db()
    return events


def subscribe(system: InstitutionSystem, url: str, **fields: Any) -> Subscription:
    return Subscription.objects.create(system=system, url=url, secret=SECRET, **fields)


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    """Start receivers on demand; all are stopped at the end of the test."""
    started: list[Receiver] = []

    def start(**options: Any) -> Receiver:
        started.append(Receiver(secret=SECRET, **options).start())
        return started[-1]

    yield start
    for running in started:
        running.stop()


def token(client: Client, institution_code: str, scope: str = "events:read") -> str:
    """A real OAuth 2.0 client-credentials token of the institution's demo system."""
    from onedoor.integration.demo_data import demo_client_id, demo_client_secret

    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": demo_client_id(institution_code),
            "client_secret": demo_client_secret(institution_code),
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.content
    access_token: str = response.json()["access_token"]
    return access_token
