from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.search, name="search"),
    path("services/<str:code>/", views.service_detail, name="service"),
    path("services/<str:code>/history/", views.service_history, name="service-history"),
    path("services/<str:code>/apply/", views.apply, name="apply"),
    path("places/", views.places, name="places"),
    path("embed/", views.embed_help, name="embed-help"),
]
