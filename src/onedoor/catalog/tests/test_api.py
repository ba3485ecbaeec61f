"""CAT-5: the public catalog API."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onedoor.catalog.models import ApplicationPlace, Service

pytestmark = pytest.mark.django_db


def _get(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_list_has_the_published_shape(client: Client, demo_catalog: None) -> None:
    body = _get(client, "/api/v1/services?page_size=5")
    assert set(body) == {"count", "next", "previous", "results"}
    assert (
        body["count"]
        == Service.objects.filter(is_published=True).exclude(for_natural_persons=False, for_legal_persons=False).count()
    )
    assert len(body["results"]) == 5
    assert body["previous"] is None
    assert "page=2" in body["next"]
    first = body["results"][0]
    assert {"code", "name", "holder"} <= set(first)
    assert set(first["name"]) == {"lv", "en"}
    assert set(first["holder"]) == {"code", "name"}


def test_search_finds_the_childbirth_benefit_without_diacritics(client: Client, demo_catalog: None) -> None:
    body = _get(client, "/api/v1/services?q=berna%20piedzimsanas")
    assert body["results"][0]["name"]["lv"] == "Bērna piedzimšanas pabalsts"
    assert body["results"][0]["pilot_reference"] == "P.11"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("holder=VSAA", lambda s: s.holder.code == "VSAA"),
        ("audience=legal", lambda s: s.for_legal_persons),
        ("channel=kac", lambda s: s.application_channels.filter(code="kac").exists()),
        ("municipality=RIGA", lambda s: s.municipality is not None and s.municipality.code == "RIGA"),
    ],
)
def test_filters_return_exactly_the_matching_services(
    client: Client, demo_catalog: None, query: str, expected: Any
) -> None:
    body = _get(client, f"/api/v1/services?{query}&page_size=100")
    codes = {item["code"] for item in body["results"]}
    public = Service.objects.filter(is_published=True).exclude(for_natural_persons=False, for_legal_persons=False)
    assert codes
    assert codes == {service.code for service in public if expected(service)}


def test_category_and_life_situation_filters(client: Client, demo_catalog: None) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    category = childbirth.categories.first()
    situation = childbirth.life_situations.first()
    assert category is not None
    assert situation is not None
    by_category = _get(client, f"/api/v1/services?category={category.code}&page_size=100")
    by_situation = _get(client, f"/api/v1/services?life_situation={situation.code}&page_size=100")
    assert childbirth.code in {item["code"] for item in by_category["results"]}
    assert childbirth.code in {item["code"] for item in by_situation["results"]}
    assert by_category["count"] == category.services.filter(is_published=True).count()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("holder=NOPE", "holder"),
        ("category=no-such-category", "category"),
        ("life_situation=nope", "life_situation"),
        ("audience=aliens", "audience"),
        ("channel=pigeon", "channel"),
        ("municipality=VSAA", "municipality"),
    ],
)
def test_unknown_filter_values_are_400_naming_the_filter(
    client: Client, demo_catalog: None, query: str, parameter: str
) -> None:
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalidParams"]] == [parameter]


def test_service_detail_has_statuses_fee_and_legal_basis(client: Client, demo_catalog: None) -> None:
    service = Service.objects.get(pilot_reference="P.11")
    body = _get(client, f"/api/v1/services/{service.code}")
    assert body["code"] == service.code
    assert body["holder"]["code"] == "VSAA"
    status_codes = [status["code"] for status in body["statuses"]]
    assert status_codes[0] == "registered"
    assert {"submitted", "closed", "rejected", "withdrawn"} <= set(status_codes)
    closed = next(status for status in body["statuses"] if status["code"] == "closed")
    assert closed["is_final"] is True
    assert body["fee"]["currency"] == "EUR"
    assert body["legal_basis"][0]["url"].startswith("https://")


def test_unknown_service_is_404_problem(client: Client, demo_catalog: None) -> None:
    response = client.get("/api/v1/services/99999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_not_found"


def test_places_near_a_point_are_nearest_first_with_distances(client: Client, demo_catalog: None) -> None:
    valmiera = "57.5385,25.4263"
    body = _get(client, f"/api/v1/application-places?near={valmiera}&page_size=100")
    distances = [item["distance_km"] for item in body["results"]]
    assert distances == sorted(distances)
    assert distances[0] < 5
    assert "Valmiera" in body["results"][0]["address"]
    assert body["count"] == ApplicationPlace.objects.filter(is_active=True).count()


def test_places_for_a_service_are_only_those_offering_it(client: Client, demo_catalog: None) -> None:
    service = Service.objects.get(pilot_reference="P.11")
    body = _get(client, f"/api/v1/application-places?service={service.code}&page_size=100")
    assert body["count"] == service.places.count() > 0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("near=abc", "near"), ("near=91,10", "near"), ("service=12", "service"), ("service=99999", "service")],
)
def test_bad_place_queries_are_400(client: Client, demo_catalog: None, query: str, parameter: str) -> None:
    response = client.get(f"/api/v1/application-places?{query}")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == parameter


def test_list_query_count_does_not_grow_with_page_size(client: Client, demo_catalog: None) -> None:
    def count_queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/api/v1/services?page_size={page_size}")
        return len(queries)

    assert count_queries(5) == count_queries(50)


def test_categories_and_life_situations_list_with_counts(client: Client, demo_catalog: None) -> None:
    categories = _get(client, "/api/v1/categories?page_size=100")
    situations = _get(client, "/api/v1/life-situations?page_size=100")
    assert categories["count"] >= 10
    assert situations["count"] >= 10
    public = Service.objects.filter(is_published=True).exclude(for_natural_persons=False, for_legal_persons=False)
    for item in categories["results"]:
        assert item["service_count"] == public.filter(categories__code=item["code"]).count()
    assert sum(item["service_count"] > 0 for item in categories["results"]) >= 10
    assert set(categories["results"][0]["name"]) == {"lv", "en"}
