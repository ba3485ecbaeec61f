"""Reading the e-assistant's applications (ASST-1, ASST-2): only the specialist who started one sees it."""

from datetime import datetime, time
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from onedoor.catalog.models import Service

from .desk import Desk
from .errors import ApplicationNotFound
from .models import ApplicationStatus, AssistedApplication

_RELATED = ("service", "service__holder", "person", "place", "case")


def assisted_services(*, desk: Desk) -> QuerySet[Service]:
    """The services the desk may apply for with the e-assistant: the holder allows it and the catalog has its
    form; at an application place, those the place offers; without a place, those of the desk's institution."""
    services = Service.objects.filter(e_assistant_allowed=True, is_published=True, is_internal=False).exclude(
        application_form={}
    )
    if desk.place is not None:
        services = services.filter(pk__in=desk.place.services.values("pk"))
    else:
        services = services.filter(Q(holder=desk.institution) | Q(providers=desk.institution)).distinct()
    return services.select_related("holder").order_by("code")


def applications_of_desk(*, desk: Desk) -> QuerySet[AssistedApplication]:
    """The specialist's own applications still in hand (drafts, printed) and those submitted today, newest first."""
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return (
        AssistedApplication.objects.filter(specialist=desk.user, institution=desk.institution)
        .filter(
            Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.PRINTED])
            | Q(status=ApplicationStatus.SUBMITTED, submitted_at__gte=today)
        )
        .select_related(*_RELATED)
        .defer("service__description_lv", "service__description_en", "service__application_form")
        .order_by("-created_at")
    )


def application_get(*, desk: Desk, application_id: UUID | str) -> AssistedApplication:
    """One of the specialist's own applications; ApplicationNotFound for anyone else's (even a colleague's)."""
    application = (
        AssistedApplication.objects.filter(pk=application_id, specialist=desk.user, institution=desk.institution)
        .select_related(*_RELATED, "signed_scan")
        .first()
    )
    if application is None:
        raise ApplicationNotFound(f"No application {application_id}.")
    return application
