"""Profile, notification preferences and download my data under /{lang}/account/ (ACC-2, ACC-6, SEC-3)."""

from django.urls import URLPattern, path

from . import views_profile as views

urlpatterns: list[URLPattern] = [
    path("profile/", views.profile, name="profile"),
    path("profile/email/add/", views.contact_email_add, name="contact-email-add"),
    path("profile/email/confirm/<str:token>/", views.contact_confirm, name="contact-confirm"),
    path("profile/phone/add/", views.contact_phone_add, name="contact-phone-add"),
    path("profile/phone/<uuid:contact_id>/code/", views.contact_code, name="contact-code"),
    path("profile/contacts/<uuid:contact_id>/send/", views.contact_resend, name="contact-resend"),
    path("profile/contacts/<uuid:contact_id>/remove/", views.contact_remove, name="contact-remove"),
    path("profile/bank-account/", views.bank_account, name="bank-account"),
    path("profile/bank-account/remove/", views.bank_account_delete, name="bank-account-remove"),
    path("preferences/", views.preferences, name="preferences"),
    path("my-data/", views.my_data, name="my-data"),
]
