from django.urls import path

from . import messages, views

urlpatterns = [
    path("cases", views.CaseCollectionApi.as_view(), name="cases"),
    path("cases/<str:case_number>", views.CaseDetailApi.as_view(), name="case"),
    path("cases/<str:case_number>/status-events", views.CaseStatusEventApi.as_view(), name="case-status-events"),
    path("status-events/batch", views.StatusEventBatchApi.as_view(), name="status-events-batch"),
    path("consultations", views.ConsultationCreateApi.as_view(), name="consultations"),
    path("feedback", views.FeedbackCreateApi.as_view(), name="feedback"),
    path("messages", messages.MessageCreateApi.as_view(), name="messages"),
]
