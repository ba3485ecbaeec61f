"""CAT-3: the catalog follows the acting context — a company sees services for businesses first, a client
sees their open cases of a service, and a mandatary learns which services the mandate does not cover."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onedoor.access.models import MandateScope
from onedoor.audit.models import AuditRecord
from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import Service
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.identity.contexts import ActingContext

from .test_mandates import ANNA, BALTIJAS, EDGARS, JANIS, KOKMATERIALI, LIGA, grant

pytestmark = pytest.mark.django_db


SignIn = Callable[..., ActingContext]
PORTAL = Actor(kind=ActorKind.SYSTEM, id="test-portal", label="Portal (test)", is_platform_admin=True)


def _url(name: str, *args: str) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_acting_for_a_company_the_search_starts_with_services_for_businesses(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    response = client.get(_url("catalog:search"))
    results = list(response.context["results"].object_list)
    legal = Service.objects.filter(is_published=True, for_legal_persons=True).count()
    assert response.context["result_count"] == legal
    assert all(service.for_legal_persons for service in results)
    page = response.content.decode()
    assert "so services for businesses are shown" in page
    assert '<option value="legal" selected>' in page
    everyone = client.get(f"{_url('catalog:search')}?{response.context['everyone_query']}")
    assert everyone.context["context_audience"] == ""
    assert everyone.context["result_count"] > legal
    # Acting for himself, the same search is everyone's.
    sign_in(client, JANIS)
    assert client.get(_url("catalog:search")).context["result_count"] == everyone.context["result_count"]


def test_acting_for_a_company_the_home_page_counts_services_for_businesses(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    anonymous = {
        category.code: category.service_count for category in client.get(_url("catalog:home")).context["categories"]
    }
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    response = client.get(_url("catalog:home"))
    counted = {category.code: category.service_count for category in response.context["categories"]}
    assert sum(counted.values()) < sum(anonymous.values())
    assert 'href="/en/services/?audience="' in response.content.decode()


def test_the_service_page_shows_the_clients_open_cases(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    case = case_register(
        actor=PORTAL, service_code="2011", applicant=PartyRef(personal_code=ANNA), channel=Channel.E_ACCOUNT
    ).case
    sign_in(client, ANNA)
    page = client.get(_url("catalog:service", "2011")).content.decode()
    assert f'href="{_url("accounts:case", case.url_number)}"' in page
    assert "You already have case" in page
    assert AuditRecord.objects.filter(action="accounts.service_cases.view", object_id="2011").count() == 1
    # Another service, another person, or nobody signed in: no banner and nothing audited.
    assert 'data-testid="service-cases"' not in client.get(_url("catalog:service", "2013")).content.decode()
    sign_in(client, EDGARS)
    assert 'data-testid="service-cases"' not in client.get(_url("catalog:service", "2011")).content.decode()
    client.logout()
    assert 'data-testid="service-cases"' not in client.get(_url("catalog:service", "2011")).content.decode()
    assert AuditRecord.objects.filter(action="accounts.service_cases.view").count() == 1


def test_under_a_mandate_services_it_does_not_cover_cannot_be_applied_for(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    family = grant(LIGA, EDGARS, scope=MandateScope.CHOSEN_SERVICES, services=("2012",)).reference
    sign_in(client, EDGARS, acting_for=LIGA, mandate=family)
    covered = client.get(_url("catalog:service", "2012"))
    assert covered.context["context_refusal"] == ""
    assert "govuk-button--start" in covered.content.decode()
    other = client.get(_url("catalog:service", "2011"))
    assert (
        "which does not cover this service: it cannot be applied for in this context"
        in other.context["context_refusal"]
    )
    assert "govuk-button--start" not in other.content.decode()
    results = grant(JANIS, ANNA, acting_for=BALTIJAS, scope=MandateScope.RESULTS_ONLY).reference
    sign_in(client, ANNA, acting_for=BALTIJAS, mandate=results)
    results_only = client.get(_url("catalog:service", "1005"))
    assert "covers only receiving results" in results_only.context["context_refusal"]
