"""The catalog as a person uses it, in Chromium, in Latvian and in English, with axe-core checks."""

import re

import pytest
from playwright.sync_api import Page, expect

from onedoor.catalog.models import Service
from onedoor.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"lv": "Publiskie pakalpojumi vienuviet", "en": "Public services in one place"}
CHILDBIRTH = {"lv": "Bērna piedzimšanas pabalsts", "en": "Childbirth benefit"}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_home_shows_life_situations_and_categories(page: Page, demo_catalog: None, lang: str) -> None:
    page.goto(f"/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[lang])
    cards = page.locator(".od-card")
    assert cards.count() >= 20
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_search_without_diacritics_finds_the_childbirth_benefit(page: Page, demo_catalog: None, lang: str) -> None:
    page.goto(f"/{lang}/")
    page.locator("#home-q").fill("berna piedzimsanas")
    page.locator("#home-q").press("Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/services/\?q=berna"))
    first = page.locator(".od-result-list__item").first
    expect(first.locator("h3")).to_have_text(CHILDBIRTH[lang])
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_search_filters_by_life_situation_and_reports_unknown_values(page: Page, demo_catalog: None, lang: str) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    situation = childbirth.life_situations.get(code="birth-of-a-child")
    page.goto(f"/{lang}/services/")
    page.locator("#filter-life_situation").select_option(situation.code)
    page.get_by_role("button", name="Meklēt" if lang == "lv" else "Search").click()
    titles = page.locator(".od-result-list__title").all_inner_texts()
    assert CHILDBIRTH[lang] in titles
    assert len(titles) == situation.services.filter(is_published=True).count()
    page.goto(f"/{lang}/services/?category=no-such-thing")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_service_page_shows_fee_channels_and_nearest_places(page: Page, demo_catalog: None, lang: str) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    page.goto(f"/{lang}/services/?q=P.11")
    page.locator(".od-result-list__title a").first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/services/{childbirth.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHILDBIRTH[lang])
    expect(page.locator(".govuk-button--start")).to_be_visible()
    page.locator("#address").fill("Rīgas iela 10, Valmiera")
    page.locator("#address").press("Enter")
    first_place = page.locator(".od-place").first
    expect(first_place).to_contain_text("Valmiera")
    distances = [
        float(text.split()[0].replace(",", ".")) for text in page.locator(".od-place__distance").all_inner_texts()
    ]
    assert distances == sorted(distances)
    assert distances[0] < 5
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_nearest_place_search_by_typed_address(page: Page, demo_catalog: None, lang: str) -> None:
    page.goto(f"/{lang}/places/")
    page.locator("#address").fill("Daugavpils")
    page.get_by_role("button", name="Atrast" if lang == "lv" else "Find", exact=True).click()
    expect(page.locator("#results-heading")).to_contain_text("Daugavpils")
    expect(page.locator(".od-place").first).to_contain_text("Daugavpils")
    distances = [
        float(text.split()[0].replace(",", ".")) for text in page.locator(".od-place__distance").all_inner_texts()
    ]
    assert distances == sorted(distances)
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_nearest_place_search_from_the_browsers_location(page: Page, demo_catalog: None, lang: str) -> None:
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 56.5047, "longitude": 21.0108})  # Liepāja
    page.goto(f"/{lang}/places/")
    page.locator("#use-my-location").click()
    expect(page).to_have_url(re.compile(r"lat=56\.50470"))
    expect(page.locator(".od-place").first).to_contain_text("Liepāja")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_unknown_address_is_a_form_error(page: Page, demo_catalog: None, lang: str) -> None:
    page.goto(f"/{lang}/places/?address=Atlantis")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Atlantis")
    expect(page.locator(".od-place")).to_have_count(0)
    assert_accessible(page)


def test_language_switch_keeps_the_page(page: Page, demo_catalog: None) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    page.goto(f"/lv/services/{childbirth.code}/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(rf"/en/services/{childbirth.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHILDBIRTH["en"])


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_embedded_catalog_works_inside_another_portal(page: Page, demo_catalog: None, lang: str) -> None:
    page.goto(f"/{lang}/embed/")
    frame = page.frame_locator("iframe.od-embed-preview")
    expect(frame.locator(".od-result-list__item").first).to_be_visible()
    titles = frame.locator(".od-result-list__title").all_inner_texts()
    assert titles
    assert set(titles) <= {
        service.name_lv if lang == "lv" else service.name_en for service in Service.objects.filter(holder__code="VSAA")
    }
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_service_change_history_is_reachable_from_the_service_page(page: Page, demo_catalog: None, lang: str) -> None:
    childbirth = Service.objects.get(pilot_reference="P.11")
    page.goto(f"/{lang}/services/{childbirth.code}/")
    page.locator(f"a[href='/{lang}/services/{childbirth.code}/history/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/services/{childbirth.code}/history/$"))
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(childbirth.versions.count())
    expect(rows.first.locator("td").first).to_have_text(str(childbirth.version))
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_apply_entry_point_lists_the_ways_to_apply(page: Page, demo_catalog: None, lang: str) -> None:
    service = Service.objects.filter(execution="platform", application_channels__code="kac").first()
    assert service is not None
    page.goto(f"/{lang}/services/{service.code}/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pieteikties" if lang == "lv" else "Apply")
    page.locator(f"a[href='/{lang}/places/?service={service.code}']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/places/\?service={service.code}$"))
    expect(page.locator(".od-place").first).to_be_visible()
    assert_accessible(page)
