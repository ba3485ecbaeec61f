"""Every API error is problem+json with a code, and bad input names the parameter at fault."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_unknown_api_path_is_problem_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "not_found"
    assert body["type"].endswith("/not_found")
    assert body["title"] == "Not found"


def test_method_not_allowed_is_problem_405(client: Client) -> None:
    response = client.delete("/api/v1/services")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("page_size=abc", "page_size"), ("page_size=1000", "page_size"), ("page_size=0", "page_size"), ("page=x", "page")],
)
def test_bad_paging_is_400_naming_the_parameter(client: Client, query: str, parameter: str) -> None:
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "invalid"
    assert [param["name"] for param in body["invalidParams"]] == [parameter]
    assert body["invalidParams"][0]["reason"]


def test_page_beyond_the_last_is_404_saying_which_is_last(client: Client) -> None:
    response = client.get("/api/v1/services?page=99", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "There is no page 99; the last page is 1."


def test_unknown_page_path_is_html_404(client: Client) -> None:
    response = client.get("/lv/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
