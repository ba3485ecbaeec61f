"""/api/v1/me/…: the e-account for the mobile channel, with the session or an OAuth access token."""

from . import urls_inbox, urls_mandates, urls_profile, urls_records

urlpatterns = [
    *urls_records.urlpatterns,
    *urls_inbox.urlpatterns,
    *urls_profile.urlpatterns,
    *urls_mandates.urlpatterns,
]
