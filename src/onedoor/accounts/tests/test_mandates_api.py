"""/api/v1/me/mandates (ACC-5): the same rules as the pages, as JSON with problem+json errors."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.access.models import Mandate, MandateScope
from onedoor.access.testing import person_token
from onedoor.audit.models import AuditRecord
from onedoor.identity.contexts import ActingContext

from .test_mandates import ANNA, BALTIJAS, CHILDBIRTH, EDGARS, JANIS, KOKMATERIALI, LIGA, MARTINS, grant, state

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/mandates"

SignIn = Callable[..., ActingContext]


def test_the_list_has_both_directions_with_status_and_is_audited_once(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    given = grant(
        ANNA,
        MARTINS,
        scope=MandateScope.CHOSEN_SERVICES,
        services=(CHILDBIRTH,),
        last_day=timezone.localdate() + timedelta(days=10),
    )
    received = grant(EDGARS, ANNA)
    sign_in(client, ANNA)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_reference = {item["reference"]: item for item in body["results"]}
    assert by_reference[given.reference]["direction"] == "given"
    assert by_reference[given.reference]["status"] == "active"
    assert by_reference[given.reference]["mandatary"] == {"kind": "person", "name": "Mārtiņš Kalniņš", "code": MARTINS}
    assert by_reference[given.reference]["services"] == [{"code": CHILDBIRTH, "name": "Childbirth benefit"}]
    assert by_reference[given.reference]["last_day"] == (timezone.localdate() + timedelta(days=10)).isoformat()
    assert by_reference[received.reference]["direction"] == "received"
    assert by_reference[received.reference]["mandator"]["name"] == "Edgars Ozols"
    assert AuditRecord.objects.filter(action="accounts.mandates.list").count() == 1

    only_received = client.get(f"{URL}?direction=received").json()
    assert [item["reference"] for item in only_received["results"]] == [received.reference]
    Mandate.objects.filter(pk=given.pk).update(revoked_at=timezone.now())
    revoked = client.get(f"{URL}?status=revoked").json()
    assert [item["reference"] for item in revoked["results"]] == [given.reference]
    assert client.get(f"{URL}?status=active").json()["count"] == 1


def test_bad_filters_are_problems_naming_the_parameter(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    sign_in(client, ANNA)
    before = state()
    for query, name in (("status=lost", "status"), ("direction=", "direction"), ("page=9", None)):
        response = client.get(f"{URL}?{query}")
        assert response["Content-Type"] == "application/problem+json"
        if name:
            assert response.status_code == 400
            assert [param["name"] for param in response.json()["invalidParams"]] == [name]
        else:
            assert response.status_code == 404
    assert state() == before


def test_giving_a_mandate(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    sign_in(client, ANNA)
    response = client.post(
        URL,
        {"mandatary": "080290-12184", "scope": "services", "service_codes": [CHILDBIRTH]},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    mandate = Mandate.objects.get(reference=body["reference"])
    assert body["direction"] == "given"
    assert body["status"] == "active"
    assert body["first_day"] == timezone.localdate().isoformat()
    assert mandate.mandatary.personal_code == MARTINS
    assert mandate.last_day.year == timezone.localdate().year + 1
    assert AuditRecord.objects.filter(action="access.mandate.grant", object_id=mandate.reference).count() == 1


def test_invalid_mandates_are_refused_field_by_field_and_nothing_is_stored(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, ANNA)
    before = state()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        URL,
        {"mandatary": "010190-11004", "scope": "services", "service_codes": ["9999"], "first_day": yesterday},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "mandate_invalid"
    assert {param["name"] for param in problem["invalidParams"]} == {"mandatary", "service_codes", "first_day"}
    wrong_types = client.post(URL, {"mandatary": 32871452034, "scope": "everything"}, content_type="application/json")
    assert wrong_types.status_code == 400
    assert {param["name"] for param in wrong_types.json()["invalidParams"]} == {"mandatary", "scope"}
    backwards = client.post(
        URL,
        {"mandatary": MARTINS, "scope": "all", "first_day": "2030-01-02", "last_day": "2030-01-01"},
        content_type="application/json",
    )
    assert [param["name"] for param in backwards.json()["invalidParams"]] == ["last_day"]
    assert not Mandate.objects.exists()
    assert state() == before


def test_no_sub_delegation_and_no_joint_representative(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    body = {"mandatary": EDGARS, "scope": "all"}
    before = state()
    under_mandate = client.post(URL, body, content_type="application/json")
    assert under_mandate.status_code == 403
    assert under_mandate.json()["code"] == "mandate_not_allowed"
    assert state() == before
    sign_in(client, LIGA, acting_for=KOKMATERIALI)
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert state() == before
    sign_in(client, JANIS, acting_for=BALTIJAS)
    company = client.post(URL, {"mandatary": ANNA, "scope": "results"}, content_type="application/json")
    assert company.status_code == 201
    assert company.json()["mandator"] == {"kind": "organisation", "name": 'AS "Baltijas Loģistika"', "code": BALTIJAS}
    assert company.json()["granted_by"] == "Jānis Bērziņš"
    assert Mandate.objects.count() == 2


def test_revoke_and_decline(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    revoked = grant(ANNA, MARTINS)
    declined = grant(ANNA, EDGARS)
    sign_in(client, EDGARS)
    before = state()
    assert client.post(f"{URL}/{revoked.reference}/revoke").status_code == 404  # not his to see
    assert state() == before
    response = client.post(f"{URL}/{declined.reference}/decline")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["direction"] == "received"
    sign_in(client, ANNA)
    response = client.post(f"{URL}/{revoked.reference}/revoke")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    before = state()
    again = client.post(f"{URL}/{revoked.reference}/revoke")
    assert again.status_code == 409
    assert again.json()["code"] == "mandate_ended"
    assert client.post(f"{URL}/{declined.reference}/decline").status_code == 403  # only the mandatary declines
    assert client.post(f"{URL}/M-NOSUCH00/revoke").status_code == 404
    assert state() == before


def test_with_the_session_the_api_needs_the_csrf_token(sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, ANNA)
    assert client.get(URL).status_code == 200
    before = state()
    assert client.post(URL, {"mandatary": EDGARS, "scope": "all"}, content_type="application/json").status_code == 403
    assert client.post(f"{URL}/{mandate.reference}/revoke").status_code == 403
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
    assert state() == before


def test_a_persons_token_with_the_me_scope_acts_for_themself(client: Client, demo_catalog: None) -> None:
    mandate = grant(EDGARS, ANNA)
    token = person_token(ANNA)
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["results"]] == [mandate.reference]
    declined = client.post(
        f"{URL}/{mandate.reference}/decline", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert declined.status_code == 200
    other_scope = person_token(ANNA, scope="cases:read")
    before = state()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {other_scope}").status_code in {401, 403}
    assert client.get(URL).status_code in {401, 403}
    assert client.post(URL, {"mandatary": EDGARS, "scope": "all"}, content_type="application/json").status_code in {
        401,
        403,
    }
    assert state() == before


def test_the_list_reads_a_constant_number_of_rows(
    client: Client, sign_in: SignIn, demo_catalog: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    grant(ANNA, MARTINS, scope=MandateScope.CHOSEN_SERVICES, services=(CHILDBIRTH,))
    sign_in(client, ANNA)
    with django_assert_max_num_queries(30) as few:  # type: ignore[attr-defined]
        assert client.get(URL).status_code == 200
    for mandatary in (EDGARS, JANIS, LIGA, "09090124155"):
        grant(ANNA, mandatary, scope=MandateScope.CHOSEN_SERVICES, services=(CHILDBIRTH, "2013"))
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        assert client.get(URL).json()["count"] == 5
