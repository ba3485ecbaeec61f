from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter for the API, where a parameter given empty (`?holder=`) is an error, not "no filter".

    Pages keep django-filter's form semantics (an empty select means "all").
    """

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: APIView) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = [name for name in filterset_class.base_filters if request.query_params.get(name, None) == ""]
            if empty:
                raise ValidationError({name: [_("Give a value or leave the parameter out.")] for name in empty})
        return super().filter_queryset(request, queryset, view)
