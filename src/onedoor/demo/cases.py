"""A few applications arriving from the portal, so that the demo has cases for VSAA's simulator to move."""

from datetime import timedelta

from django.utils import timezone

from onedoor.cases.services import PartyRef, case_register
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel

PORTAL = Actor(kind=ActorKind.SYSTEM, id="portal", label="OneDoor portal (demo)", is_platform_admin=True)

DEMO_APPLICATIONS: tuple[tuple[str, str, str, Channel, dict[str, str]], ...] = (
    ("DEMO-1", "2011", "32871452034", Channel.E_ACCOUNT, {"child_birth_date": "2026-10-02"}),  # Anna Kalniņa
    ("DEMO-2", "2013", "32871452034", Channel.E_ACCOUNT, {"child_birth_date": "2026-10-02"}),
    ("DEMO-3", "2019", "14037812342", Channel.KAC, {"sick_leave_from": "2026-11-10"}),  # Jānis Bērziņš
    ("DEMO-4", "2008", "02115510879", Channel.WEB_PORTAL, {}),
    ("DEMO-5", "2012", "32871452034", Channel.PHONE, {}),
)


def register_demo_cases() -> int:
    """Register the demo applications once (keyed by external id); returns how many were new."""
    created = 0
    submitted = timezone.now() - timedelta(minutes=1)
    for external_id, service_code, personal_code, channel, data in DEMO_APPLICATIONS:
        registration = case_register(
            actor=PORTAL,
            service_code=service_code,
            applicant=PartyRef(personal_code=personal_code),
            channel=channel,
            external_id=external_id,
            submitted_at=submitted,
            data=data,
        )
        created += registration.created
    return created
