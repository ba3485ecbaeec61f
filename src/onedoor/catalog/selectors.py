"""Reading the catalog. Every query starts from what the acting context may see (CAT-2, CAT-3)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from onedoor.core.actors import Actor
from onedoor.core.text import search_terms

from .errors import ServiceNotFound
from .models import ApplicationPlace, Audience, Category, LifeSituation, Service, ServiceStatusType, ServiceVersion

EARTH_RADIUS_KM = 6371.0088


def services_visible_to(*, actor: Actor) -> QuerySet[Service]:
    """Published services the actor may see: internal services only for civil servants."""
    services = Service.objects.filter(is_published=True)
    if actor.institution_id is None:
        services = services.filter(Q(for_natural_persons=True) | Q(for_legal_persons=True))
    return services


def default_audience(*, actor: Actor) -> str:
    """Whom the catalog shows services for before the user chooses (CAT-3): acting for a company, the
    services for legal persons; otherwise everyone's ("")."""
    return Audience.LEGAL if actor.is_client and actor.acting_for_kind == "organisation" else ""


def services_for_audience(services: QuerySet[Service], audience: str) -> QuerySet[Service]:
    """The services for one audience (natural persons, legal persons, civil servants); all for ""."""
    if not audience:
        return services
    field = {
        Audience.NATURAL: "for_natural_persons",
        Audience.LEGAL: "for_legal_persons",
        Audience.INTERNAL: "is_internal",
    }[Audience(audience)]
    return services.filter(**{field: True})


def services_matching(services: QuerySet[Service], query: str) -> QuerySet[Service]:
    """Every word must occur (ignoring case and diacritics); title matches rank first."""
    terms = search_terms(query)
    if not terms:
        return services
    for term in terms:
        services = services.filter(search_text__contains=term)
    exact = Q(code=terms[0]) | Q(pilot_reference__iexact=terms[0]) if len(terms) == 1 else Q(pk__in=[])
    title_hits = sum(
        (
            Case(When(search_title__contains=term, then=Value(1)), default=Value(0), output_field=IntegerField())
            for term in terms
        ),
        start=Value(0, output_field=IntegerField()),
    )
    return services.annotate(
        exact_hit=Case(When(exact, then=Value(1)), default=Value(0), output_field=IntegerField()),
        title_hits=title_hits,
    ).order_by("-exact_hit", "-title_hits", "name_lv")


def services_for_listing(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("holder", "municipality").prefetch_related("application_channels", "categories")


def service_get(*, actor: Actor, code: str) -> Service:
    """One service with everything its page and API show; ServiceNotFound when absent or not visible."""
    service = (
        services_visible_to(actor=actor)
        .select_related("holder", "municipality")
        .prefetch_related(
            "providers",
            "application_channels",
            "result_channels",
            "categories",
            "life_situations",
            "legal_basis",
            Prefetch("status_types", queryset=ServiceStatusType.objects.order_by("position", "code")),
        )
        .filter(code=code)
        .first()
    )
    if service is None:
        raise ServiceNotFound(f"No service with code {code}.")
    return service


def service_versions(*, service: Service) -> QuerySet[ServiceVersion]:
    return service.versions.order_by("-number")


def categories_with_counts(*, actor: Actor, audience: str = "") -> QuerySet[Category]:
    visible = services_for_audience(services_visible_to(actor=actor), audience).values("pk")
    return Category.objects.annotate(
        service_count=Count("services", filter=Q(services__in=visible), distinct=True)
    ).order_by("position", "code")


def life_situations_with_counts(*, actor: Actor, audience: str = "") -> QuerySet[LifeSituation]:
    visible = services_for_audience(services_visible_to(actor=actor), audience).values("pk")
    return LifeSituation.objects.annotate(
        service_count=Count("services", filter=Q(services__in=visible), distinct=True)
    ).order_by("position", "code")


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class PlaceDistance:
    place: ApplicationPlace
    distance_km: float | None


def distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def places_active(*, service: Service | None = None) -> QuerySet[ApplicationPlace]:
    places = ApplicationPlace.objects.filter(is_active=True).select_related("institution")
    if service is not None:
        places = places.filter(services=service)
    return places.prefetch_related("opening_hours")


def places_by_distance(*, places: QuerySet[ApplicationPlace], near: GeoPoint | None) -> list[PlaceDistance]:
    """Places nearest first (by name when no point is given), each with its distance in km."""
    if near is None:
        return [PlaceDistance(place, None) for place in places.order_by("name_lv")]
    ranked = [
        PlaceDistance(place, round(distance_km(near, _point(place.latitude, place.longitude)), 1)) for place in places
    ]
    ranked.sort(key=lambda item: (item.distance_km, item.place.name_lv))
    return ranked


def _point(latitude: Decimal, longitude: Decimal) -> GeoPoint:
    return GeoPoint(float(latitude), float(longitude))
