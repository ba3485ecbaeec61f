"""schemathesis against the live API: every response matches the published OpenAPI schema,
including the documented problem+json errors, and no request makes the server fail."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_schema(live_server: LiveServer, demo_catalog: None) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
