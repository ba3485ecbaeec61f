from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from onedoor.catalog import views as catalog_views
from onedoor.core import health

handler404 = "onedoor.core.views.page_not_found"
handler500 = "onedoor.core.views.server_error"

api_v1: list[URLPattern | URLResolver] = [
    path("", include("onedoor.catalog.api.urls")),
    path("", include("onedoor.integration.api.urls")),
    path("", include("onedoor.integration.api.events_urls")),
    path("schema", SpectacularAPIView.as_view(api_version="1.0.0"), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("api/v1/", include(api_v1)),
    path("oauth/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("embed/services", catalog_views.embed_services, name="embed-services"),
    *i18n_patterns(
        path("", include("onedoor.catalog.urls")),
        path("admin/", admin.site.urls),
        prefix_default_language=True,
    ),
]
