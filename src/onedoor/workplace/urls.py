"""The specialist's workplace under /{lang}/workplace/ (WORK-1 … WORK-3); each area keeps its own routes."""

from . import urls_assistant, urls_clients, urls_consultations, urls_documents, urls_queue

app_name = "workplace"

urlpatterns = [
    *urls_queue.urlpatterns,
    *urls_consultations.urlpatterns,
    *urls_clients.urlpatterns,
    *urls_assistant.urlpatterns,
    *urls_documents.urlpatterns,
]
