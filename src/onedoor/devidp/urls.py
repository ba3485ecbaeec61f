"""devidp under /devidp/ (no language prefix): included by onedoor.urls only where the app is installed."""

from django.urls import path, re_path

from . import views

app_name = "devidp"

urlpatterns = [
    re_path(r"^\.well-known/openid-configuration$", views.DiscoveryView.as_view(), name="discovery"),
    path("jwks/", views.JwksView.as_view(), name="jwks"),
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("userinfo/", views.UserInfoView.as_view(), name="userinfo"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("end-session/", views.EndSessionView.as_view(), name="end-session"),
]
