"""schemathesis against the live API: every response matches the published OpenAPI schema,
including the documented problem+json errors, and no request makes the server fail.

The calls carry a token of VSAA's system with every scope, so the integration API is exercised
past authentication, not only refused."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pytest_django.live_server_helper import LiveServer

from onedoor.conftest import system_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_schema(live_server: LiveServer, demo_catalog: None) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema")


@pytest.fixture
def bearer(api_schema: schemathesis.BaseSchema) -> dict[str, str]:
    return {"Authorization": f"Bearer {system_token('VSAA')}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer)
