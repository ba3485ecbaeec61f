"""CAT-2: search ignores case and diacritics; exact codes and references come first."""

import pytest

from onedoor.catalog.models import Service
from onedoor.catalog.selectors import services_matching, services_visible_to
from onedoor.core.actors import anonymous
from onedoor.core.text import fold, search_terms

pytestmark = pytest.mark.django_db


def _search(query: str) -> list[Service]:
    return list(services_matching(services_visible_to(actor=anonymous()), query))


def test_fold_strips_latvian_diacritics_and_case() -> None:
    assert fold("Bērna  PIEDZIMŠANAS pabalsts") == "berna piedzimsanas pabalsts"
    assert fold("Ķēķis ĢĪĻŅ") == "kekis giln"
    assert search_terms("  P.11, pabalsts! ") == ["p.11", "pabalsts"]


def test_query_without_diacritics_finds_the_childbirth_benefit_first(demo_catalog: None) -> None:
    results = _search("berna piedzimsanas")
    assert results[0].name_lv == "Bērna piedzimšanas pabalsts"


def test_pilot_reference_and_code_find_exactly_that_service_first(demo_catalog: None) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    assert _search("P.11")[0] == childbirth
    assert _search("p.11")[0] == childbirth
    assert _search(childbirth.code)[0] == childbirth


def test_english_words_find_services_too(demo_catalog: None) -> None:
    assert any(service.pilot_reference == "P.11" for service in _search("childbirth"))


def test_every_word_must_match(demo_catalog: None) -> None:
    assert _search("piedzimsanas zzzznotaword") == []


def test_internal_services_are_hidden_from_the_public(demo_catalog: None) -> None:
    internal = Service.objects.filter(is_internal=True, for_natural_persons=False, for_legal_persons=False)
    assert internal.exists()
    visible = set(services_visible_to(actor=anonymous()).values_list("code", flat=True))
    assert not visible & set(internal.values_list("code", flat=True))
