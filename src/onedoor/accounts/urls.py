"""The client's e-account under /{lang}/account/ (ACC-1 … ACC-8); each area keeps its own routes."""

from . import urls_inbox, urls_mandates, urls_profile, urls_records

app_name = "accounts"

urlpatterns = [
    *urls_records.urlpatterns,
    *urls_inbox.urlpatterns,
    *urls_profile.urlpatterns,
    *urls_mandates.urlpatterns,
]
