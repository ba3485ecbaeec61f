from django.urls import path

from . import views

urlpatterns = [
    path("services", views.ServiceListApi.as_view(), name="services"),
    path("services/<str:code>", views.ServiceDetailApi.as_view(), name="service"),
    path("categories", views.CategoryListApi.as_view(), name="categories"),
    path("life-situations", views.LifeSituationListApi.as_view(), name="life-situations"),
    path("application-places", views.PlaceListApi.as_view(), name="application-places"),
]
