from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

MAX_PAGE_SIZE = 100


def _positive_int(request: Request, name: str, *, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("Must be a whole number.")]}) from None
    if value < 1:
        raise ValidationError({name: [_("Must be at least 1.")]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [_("Must be at most %(max)d.") % {"max": maximum}]})
    return value


class Pagination(PageNumberPagination):
    """`{count, next, previous, results}`; a bad `page` or `page_size` is a 400 naming it, never ignored."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: APIView | None = None) -> list[Any]:  # type: ignore[override]
        page_size = _positive_int(request, "page_size", default=self.page_size, maximum=self.max_page_size)
        page_number = _positive_int(request, "page", default=1)
        paginator = self.django_paginator_class(queryset, page_size)
        if page_number > max(paginator.num_pages, 1):
            raise NotFound(
                _("There is no page %(page)d; the last page is %(last)d.")
                % {"page": page_number, "last": max(paginator.num_pages, 1)}
            )
        self.page = paginator.page(page_number)
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {MAX_PAGE_SIZE} (default 20).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, OpenApiParameter.QUERY, description="Page number, from 1."),
    OpenApiParameter(
        "page_size", int, OpenApiParameter.QUERY, description=f"Results per page, 1 to {MAX_PAGE_SIZE} (default 20)."
    ),
]
"""For views whose list the schema generator cannot recognise: it documents the paging parameters."""
