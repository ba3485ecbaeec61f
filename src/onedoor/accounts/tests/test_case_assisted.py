"""The client's case page says when a specialist applied for them (ASST-1): where, who, and under what authority."""

import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import ApplicationPlace
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel

pytestmark = pytest.mark.django_db

ANNA = "32871452034"
KAC_PLACE = "vpvkac-nacionalais-centrs"


def assisted_case(*, mandate: str = "") -> Case:
    place = ApplicationPlace.objects.get(code=KAC_PLACE)
    inese = Actor(
        kind=ActorKind.USER,
        id="test-inese",
        label="Inese Bērziņa",
        institution_id=str(place.institution_id),
        institution_code="VRAA",
        roles=frozenset({"specialist"}),
    )
    return case_register(
        actor=inese,
        service_code="2011",
        applicant=PartyRef(personal_code=ANNA),
        channel=Channel.KAC,
        place=place,
        authorisation="mandate" if mandate else "in_person",
        mandate_reference=mandate,
        data={"child_name": "Emīls Kalniņš"},
    ).case


def page_of(client: Client, case: Case, language: str) -> str:
    with translation.override(language):
        response = client.get(reverse("accounts:case", args=[case.url_number]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_case_page_says_which_specialist_applied_where(
    client: Client, demo_catalog: None, sign_in: Callable[..., object], language: str
) -> None:
    case = assisted_case()
    sign_in(client, ANNA)
    place = ApplicationPlace.objects.get(code=KAC_PLACE)
    expected = {
        "en": f"Submitted at {place.name_en} by Inese Bērziņa on your behalf under in-person authorisation",
        "lv": f"Jūsu vārdā iesniedza Inese Bērziņa ({place.name_lv}), pamatojoties uz klātienes pilnvarojumu",
    }
    assert expected[language] in page_of(client, case, language)


def test_the_case_page_names_the_mandate(client: Client, demo_catalog: None, sign_in: Callable[..., object]) -> None:
    case = assisted_case(mandate="M-TEST0001")
    sign_in(client, ANNA)
    place = ApplicationPlace.objects.get(code=KAC_PLACE)
    assert f"Submitted at {place.name_en} by Inese Bērziņa on your behalf under mandate M-TEST0001" in page_of(
        client, case, "en"
    )


def test_a_case_the_client_applied_for_themself_says_nothing_of_it(
    client: Client, demo_catalog: None, sign_in: Callable[..., object]
) -> None:
    case = case_register(
        actor=Actor(kind=ActorKind.SYSTEM, id="test", label="Test", is_platform_admin=True),
        service_code="2011",
        applicant=PartyRef(personal_code=ANNA),
        channel=Channel.E_ACCOUNT,
    ).case
    sign_in(client, ANNA)
    assert 'data-testid="submitted-for-you"' not in page_of(client, case, "en")
