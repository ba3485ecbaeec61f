"""Template tags shared by every page: `{% load onedoor %}`."""

from dataclasses import dataclass
from decimal import Decimal

from babel.dates import get_day_names
from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.template.context import Context
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, override

from onedoor.core import i18n

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself: "Latviešu", "English"
    url: str
    is_current: bool


def _language_home(code: str, fallback: str) -> str:
    with override(code):
        try:
            return reverse("catalog:home")
        except NoReverseMatch:
            return fallback


@register.simple_tag(takes_context=True)
def language_links(context: Context) -> list[LanguageLink]:
    """One link per configured language to the current page in that language.

    Usage: `{% language_links as links %}`. The same data `{% get_available_languages %}` and
    `{% get_current_language %}` give (settings.LANGUAGES, the active language), with each URL
    translated by `django.urls.translate_url`. Where the current URL cannot be translated (a 404
    page, say) the link goes to that language's home page instead.
    """
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        is_current = current == code or current.split("-")[0] == code
        if is_current:
            url = path
        else:
            url = translate_url(path, code)
            if url == path:
                url = _language_home(code, fallback=path)
        name = capfirst(str(get_language_info(code)["name_local"]))
        links.append(LanguageLink(code=code, name=name, url=url, is_current=is_current))
    return links


@register.simple_tag
def localized(obj: object, field: str) -> str:
    """`{% localized service "name" %}`: the bilingual field in the page's language."""
    return i18n.localized(obj, field)


@register.filter
def euro(cents: int | None) -> str:
    """Euro cents as an amount in the page's locale: 2500 → "25,00" (lv) or "25.00" (en)."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, format="#,##0.00", locale=_babel_locale())


@register.filter
def weekday_abbr(weekday: int) -> str:
    """ISO weekday (1 = Monday) as its short name in the page's language."""
    return capfirst(get_day_names("abbreviated", locale=_babel_locale())[weekday - 1])


def _babel_locale() -> str:
    return {"lv": "lv_LV", "en": "en_GB"}.get((get_language() or "lv")[:2], "lv_LV")
