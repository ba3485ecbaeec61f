"""The registry in the administration: holders without a system of their own set case statuses here."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.catalog.models import ServiceStatusType
from onedoor.identity.admin_access import ReadOnlyInline
from onedoor.identity.selectors import actor_for_request

from .models import Case, CaseStatusEvent
from .selectors import case_history, cases_visible_to
from .services import CASE_HANDLER, StatusEventInput, status_events_record


class StatusEventInline(ReadOnlyInline):
    model = CaseStatusEvent
    fields = ("occurred_at", "status", "lifecycle", "actor_label", "note", "received_at")
    readonly_fields = fields
    ordering = ["occurred_at", "received_at", "id"]


class RecordStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    occurred_at = forms.DateTimeField(label=_("When it happened"), initial=timezone.now)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        types = ServiceStatusType.objects.filter(service=case.service).order_by("position", "code")
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [(t.code, f"{t.name_lv} / {t.name_en}") for t in types]


def _is_case_handler(request: HttpRequest) -> bool:
    actor = actor_for_request(request)
    return actor.is_platform_admin or actor.has_role(CASE_HANDLER)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["number", "service", "status", "channel", "submitted_at", "holder"]
    list_filter = ["status", "channel", "is_closed"]
    search_fields = ["number", "external_id"]
    date_hierarchy = "submitted_at"
    inlines = [StatusEventInline]
    readonly_fields = [field.name for field in Case._meta.fields]
    change_form_template = "admin/cases/case/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return cases_visible_to(actor=actor_for_request(request)).select_related("service", "holder")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_case_handler(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_case_handler(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        record = path(
            "<path:object_id>/status/",
            self.admin_site.admin_view(self.record_status_view),
            name="cases_case_record_status",
        )
        return [record, *super().get_urls()]

    def record_status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not _is_case_handler(request):
            return HttpResponseRedirect(reverse("admin:index"))
        case = get_object_or_404(self.get_queryset(request), pk=object_id)
        form = RecordStatusForm(request.POST or None, case=case)
        if request.method == "POST" and form.is_valid():
            event_id = f"staff-{timezone.now():%Y%m%d%H%M%S%f}"
            (result,) = status_events_record(
                actor=actor_for_request(request),
                items=[
                    StatusEventInput(
                        case.number,
                        event_id,
                        form.cleaned_data["status"],
                        form.cleaned_data["occurred_at"],
                        form.cleaned_data["note"],
                    )
                ],
            )
            if result.error is None:
                messages.success(request, _("The status was recorded."))
                return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
            form.add_error(None, result.error.detail)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a status of case %(number)s") % {"number": case.number},
            "case": case,
            "form": form,
            "history": case_history(case),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cases/case/record_status.html", context)
