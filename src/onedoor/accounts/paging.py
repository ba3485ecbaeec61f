"""Pages of a long list on e-account pages, with the context `includes/pagination.html` takes."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paged(request: HttpRequest, items: Any, per_page: int) -> tuple[Page[Any], dict[str, Any]]:
    """The page `?page=` asks for (the last one when it asks too far) and the template context for its links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return page, {
        "page": page,
        "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "query_without_page": query_without_page.urlencode(),
    }
