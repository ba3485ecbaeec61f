from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from oauth2_provider import urls as oauth_urls
from oauth2_provider import views as oauth_views

from onedoor.catalog import views as catalog_views
from onedoor.core import health

handler404 = "onedoor.core.views.page_not_found"
handler500 = "onedoor.core.views.server_error"

api_v1: list[URLPattern | URLResolver] = [
    path("", include("onedoor.catalog.api.urls")),
    path("", include("onedoor.integration.api.urls")),
    path("", include("onedoor.integration.api.events_urls")),
    path("me/", include("onedoor.accounts.api.urls")),
    path("schema", SpectacularAPIView.as_view(api_version="1.0.0"), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# The OAuth 2.0 endpoints only: django-oauth-toolkit's application-management pages are not routed,
# so nobody registers clients but the platform operator (in the administration).
oauth_endpoints: list[URLPattern | URLResolver] = [
    path("authorize/", oauth_views.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
]
if "onedoor.devidp" in settings.INSTALLED_APPS:
    # devidp is built on the toolkit's OpenID Connect views, which name their issuer after these routes.
    oauth_endpoints += oauth_urls.oidc_urlpatterns

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("api/v1/", include(api_v1)),
    path("oauth/", include((oauth_endpoints, "oauth2_provider"), namespace="oauth2_provider")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("embed/services", catalog_views.embed_services, name="embed-services"),
    *i18n_patterns(
        path("", include("onedoor.catalog.urls")),
        path("account/", include("onedoor.accounts.urls")),
        path("workplace/", include("onedoor.workplace.urls")),
        path("admin/", admin.site.urls),
        prefix_default_language=True,
    ),
]

# The development identity provider: demo and test settings install it; production never routes it.
if "onedoor.devidp" in settings.INSTALLED_APPS:
    urlpatterns.append(path("devidp/", include("onedoor.devidp.urls")))
