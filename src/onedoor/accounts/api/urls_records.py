from django.urls import URLPattern, path

from . import records

urlpatterns: list[URLPattern] = [
    path("cases", records.MeCaseListApi.as_view(), name="me-cases"),
    path("cases/<str:number>", records.MeCaseDetailApi.as_view(), name="me-case"),
]
