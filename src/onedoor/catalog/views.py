"""Catalog pages (CAT-2, CAT-4): home, search, service page and history, nearest places, embed."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from onedoor.core.actors import Actor
from onedoor.core.channels import Channel
from onedoor.core.errors import NotFound
from onedoor.core.i18n import CONTENT_LANGUAGES
from onedoor.identity.selectors import actor_for_request
from onedoor.parties.registers.address import Location, address_register

from .api.filters import ServiceFilter
from .models import Audience, Execution, Service
from .selectors import (
    GeoPoint,
    PlaceDistance,
    categories_with_counts,
    default_audience,
    life_situations_with_counts,
    places_active,
    places_by_distance,
    service_get,
    service_versions,
    services_for_listing,
    services_visible_to,
)

RESULTS_PER_PAGE = 20
PLACES_ON_SERVICE_PAGE = 5
PLACES_PER_SEARCH = 20


def _page(request: HttpRequest, items: Any, per_page: int) -> Page[Any]:
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    audience = default_audience(actor=actor)
    return render(
        request,
        "catalog/home.html",
        {
            "categories": categories_with_counts(actor=actor, audience=audience),
            "life_situations": life_situations_with_counts(actor=actor, audience=audience),
            "context_audience": audience,
            "acting_for_label": actor.acting_for_label,
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    query = request.GET.copy()
    # CAT-3: acting for a company, the services for businesses until the user chooses another audience.
    context_audience = "" if "audience" in query else default_audience(actor=actor)
    if context_audience:
        query["audience"] = context_audience
    filterset = ServiceFilter(query, queryset=services_for_listing(services_visible_to(actor=actor)), request=request)
    valid = filterset.is_valid()
    results = _page(request, filterset.qs if valid else Service.objects.none(), RESULTS_PER_PAGE)
    query_without_page = query.copy()
    query_without_page.pop("page", None)
    everyone = query_without_page.copy()
    everyone["audience"] = ""
    return render(
        request,
        "catalog/search.html",
        {
            "filter_form": filterset.form,
            "query": request.GET.get("q", ""),
            "results": results,
            "result_count": results.paginator.count,
            "categories": categories_with_counts(actor=actor),
            "life_situations": life_situations_with_counts(actor=actor),
            "audiences": [
                (value, label)
                for value, label in Audience.choices
                if value != Audience.INTERNAL or actor.institution_id
            ],
            "selected_audience": query.get("audience", ""),
            "context_audience": context_audience,
            "acting_for_label": actor.acting_for_label,
            "everyone_query": everyone.urlencode(),
            "query_without_page": query_without_page.urlencode(),
            "has_filters": any(request.GET.get(name) for name in ServiceFilter.base_filters),
        },
        status=200 if valid else 400,
    )


def _context_refusal(actor: Actor, service: Service) -> str:
    """Why the acting context cannot apply for the service (CAT-3, ACC-5), or "" when it can."""
    if not actor.is_client or not actor.mandate_id:
        return ""
    if not actor.may_act:
        return _(
            "You act for %(party)s under mandate %(mandate)s, which covers only receiving results: "
            "this service cannot be applied for in this context."
        ) % {"party": actor.acting_for_label, "mandate": actor.mandate_id}
    if not actor.may_use_service(service.code):
        return _(
            "You act for %(party)s under mandate %(mandate)s, which does not cover this service: "
            "it cannot be applied for in this context."
        ) % {"party": actor.acting_for_label, "mandate": actor.mandate_id}
    return ""


def _located(request: HttpRequest) -> tuple[Location | None, str]:
    """The point to measure from, from the browser's location or a typed address; and an error text."""
    latitude, longitude = request.GET.get("lat"), request.GET.get("lon")
    if latitude and longitude:
        location = address_register().locate(f"{latitude},{longitude}")
        if location is None:
            return None, _("The location given by the browser is not valid.")
        return Location(_("Your location"), location.latitude, location.longitude), ""
    address = request.GET.get("address", "").strip()
    if not address:
        return None, ""
    location = address_register().locate(address)
    if location is None:
        message = _("We could not find “%(address)s”. Type a city, town or parish, e.g. “Brīvības iela 1, Valmiera”.")
        return None, message % {"address": address}
    return location, ""


def _point(location: Location | None) -> GeoPoint | None:
    return GeoPoint(location.latitude, location.longitude) if location else None


@require_GET
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for_request(request)
    try:
        service = service_get(actor=actor, code=code)
    except NotFound:
        return render(request, "404.html", status=404)
    location, location_error = _located(request)
    places: list[PlaceDistance] = places_by_distance(places=places_active(service=service), near=_point(location))
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "places": places[:PLACES_ON_SERVICE_PAGE],
            "place_count": len(places),
            "location": location,
            "location_error": location_error,
            "address": request.GET.get("address", ""),
            "known_names": address_register().known_names(),
            "context_refusal": _context_refusal(actor, service),
        },
        status=400 if location_error else 200,
    )


@require_GET
def service_history(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = service_get(actor=actor_for_request(request), code=code)
    except NotFound:
        return render(request, "404.html", status=404)
    return render(
        request, "catalog/service_history.html", {"service": service, "versions": service_versions(service=service)}
    )


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    location, location_error = _located(request)
    service = None
    service_error = ""
    service_code = request.GET.get("service", "").strip()
    if service_code:
        try:
            service = service_get(actor=actor, code=service_code)
        except NotFound:
            service_error = _("There is no service with code %(code)s.") % {"code": service_code}
    ranked = (
        []
        if location_error or service_error
        else places_by_distance(places=places_active(service=service), near=_point(location))
    )
    return render(
        request,
        "catalog/places.html",
        {
            "places": ranked[:PLACES_PER_SEARCH] if location else ranked,
            "location": location,
            "location_error": location_error,
            "service": service,
            "service_code": service_code,
            "service_error": service_error,
            "address": request.GET.get("address", ""),
            "known_names": address_register().known_names(),
        },
        status=400 if location_error or service_error else 200,
    )


@require_GET
def embed_help(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/embed_help.html", {"embed_url": request.build_absolute_uri("/embed/services")})


@xframe_options_exempt
@require_GET
def embed_services(request: HttpRequest) -> HttpResponse:
    """The catalog for other portals' iframes: `?lang=lv|en&q=…&category=…&holder=…`."""
    language = request.GET.get("lang", "lv")
    language = language if language in CONTENT_LANGUAGES else "lv"
    actor = actor_for_request(request)
    with translation.override(language):
        filterset = ServiceFilter(
            request.GET, queryset=services_for_listing(services_visible_to(actor=actor)), request=request
        )
        valid = filterset.is_valid()
        results = _page(request, filterset.qs if valid else Service.objects.none(), RESULTS_PER_PAGE)
        query_without_page = request.GET.copy()
        query_without_page.pop("page", None)
        return render(
            request,
            "catalog/embed_services.html",
            {
                "filter_form": filterset.form,
                "results": results,
                "query": request.GET.get("q", ""),
                "language": language,
                "query_without_page": query_without_page.urlencode(),
                "preserved_filters": [
                    (name, request.GET[name])
                    for name in ServiceFilter.base_filters
                    if name != "q" and name in request.GET
                ],
                "portal_origin": request.build_absolute_uri("/").rstrip("/"),
            },
            status=200 if valid else 400,
        )


@require_GET
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The entry point to apply: the holder's own e-service, or the ways OneDoor offers."""
    try:
        service = service_get(actor=actor_for_request(request), code=code)
    except NotFound:
        return render(request, "404.html", status=404)
    if service.execution == Execution.HOLDER_SYSTEM and service.external_url:
        return redirect(service.external_url)
    channels = {channel.code for channel in service.application_channels.all()}
    return render(
        request,
        "catalog/apply.html",
        {
            "service": service,
            "online": bool(channels & {Channel.WEB_PORTAL, Channel.E_ACCOUNT}),
            "in_person": Channel.KAC in channels,
            "by_phone": Channel.PHONE in channels,
        },
    )
