"""INT-4: the back-office simulator, end to end through the real API, webhooks and retries."""

import pytest
from pytest_django.live_server_helper import LiveServer

from onedoor.cases.selectors import case_history
from onedoor.cases.services import PartyRef, case_register
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.outbox import outbox_publish_pending
from onedoor.integration import delivery
from onedoor.integration.models import Delivery, DeliveryAttempt, DeliveryStatus
from onedoor.integration.simulator import BackOfficeSimulator, SimulatorConfig, journey

PORTAL = Actor(kind=ActorKind.SYSTEM, id="portal", label="portal", is_platform_admin=True)
STATUSES = [
    {"code": "registered", "lifecycle": "registered"},
    {"code": "in_progress", "lifecycle": "in_progress"},
    {"code": "eligibility-checked", "lifecycle": "in_progress"},
    {"code": "decided", "lifecycle": "decided"},
    {"code": "benefit-granted", "lifecycle": "decided"},
    {"code": "result_delivered", "lifecycle": "result_delivered"},
    {"code": "closed", "lifecycle": "closed"},
    {"code": "rejected", "lifecycle": "rejected"},
]


def test_journey_follows_the_services_own_statuses() -> None:
    assert [code for code, _ in journey(STATUSES, rejected=False)] == [
        "in_progress",
        "eligibility-checked",
        "benefit-granted",
        "result_delivered",
        "closed",
    ]
    assert [code for code, _ in journey(STATUSES, rejected=True)] == ["in_progress", "eligibility-checked", "rejected"]


@pytest.mark.django_db(transaction=True)
def test_simulator_moves_a_submitted_case_to_its_end_despite_its_own_failures(
    live_server: LiveServer, demo_catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "BACKOFF_BASE_SECONDS", 0.05)
    config = SimulatorConfig(
        api=live_server.url,
        institution="VSAA",
        client_id="demo-vsaa",
        client_secret="demo-vsaa-secret",
        failure_rate=0.4,
        timeout_rate=0.0,
        step_delay=(0.05, 0.1),
        rejection_rate=0.0,
        seed=7,
    )
    simulator = BackOfficeSimulator(config)
    simulator.subscribe(simulator.start())
    try:
        case = case_register(
            actor=PORTAL, service_code="2011", applicant=PartyRef(personal_code="32871452034"), channel="kac"
        ).case

        def finished() -> bool:
            outbox_publish_pending()
            delivery.deliveries_send_due()
            case.refresh_from_db()
            return case.is_closed and not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()

        assert simulator.wait_until(finished, timeout=60), case.status
    finally:
        simulator.stop()
    lifecycles = [event.lifecycle for event in case_history(case)]
    assert lifecycles[0] == "registered"
    assert lifecycles[-3:] == ["decided", "result_delivered", "closed"]
    assert simulator.rejected_signatures == 0
    types = [event["type"] for event in simulator.received]
    assert types.count("case.submitted") == 1
    assert len(simulator.seen_events) == len(simulator.received)
    assert DeliveryAttempt.objects.filter(status_code=500).exists()
    delivered_ids = {str(d.event_id) for d in Delivery.objects.filter(status=DeliveryStatus.DELIVERED)}
    assert delivered_ids == simulator.seen_events
