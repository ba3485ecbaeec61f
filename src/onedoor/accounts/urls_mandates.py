"""Whom the user acts for and their mandates (ACC-1, ACC-5)."""

from django.urls import URLPattern, path

from . import views_mandates

urlpatterns: list[URLPattern] = [
    path("acting-for/", views_mandates.acting_for, name="acting-for"),
    path("mandates/", views_mandates.mandate_list, name="mandates"),
    path("mandates/new/", views_mandates.mandate_new, name="mandate-new"),
    path("mandates/<str:reference>/", views_mandates.mandate_detail, name="mandate"),
]
