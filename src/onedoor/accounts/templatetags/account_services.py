"""What the catalog's service page shows a signed-in client about the service (CAT-3):
`{% load account_services %}{% account_cases_for_service service %}`.

The catalog sits below the registry and the e-account and cannot import them; its template loads
this tag instead, so the page can say "You already have case 2011 0042 — In progress".
"""

from typing import Any

from django import template
from django.template.context import Context

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.selectors import cases_visible_to
from onedoor.catalog.models import Service
from onedoor.core.i18n import localized
from onedoor.identity.contexts import ContextKind
from onedoor.identity.selectors import actor_for_request

register = template.Library()
OPEN_CASES_SHOWN = 5


@register.inclusion_tag("accounts/_mandates_service_cases.html", takes_context=True)
def account_cases_for_service(context: Context, service: Service) -> dict[str, Any]:
    """The acting party's open cases of the service, newest first; nothing for visitors and staff.
    Reading them is audited once per page view, when there are any."""
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"cases": []}
    actor = actor_for_request(request)
    if not actor.is_client:
        return {"cases": []}
    cases = list(
        cases_visible_to(actor=actor)
        .filter(service=service, is_closed=False)
        .order_by("-submitted_at", "-sequence")[:OPEN_CASES_SHOWN]
    )
    if not cases:
        return {"cases": []}
    audit_record(
        actor=actor,
        action="accounts.service_cases.view",
        obj=AuditedObject(
            type="cases.service_cases", id=service.code, label=actor.acting_for_label, holder_id=actor.acting_for_id
        ),
        details={"cases": [case.number for case in cases]},
    )
    names = {status.code: localized(status, "name") for status in service.status_types.all()}
    acting_context = getattr(request, "acting_context", None)
    return {
        "cases": [(case, names.get(case.status, case.status)) for case in cases],
        "for_self": acting_context is not None and acting_context.kind == ContextKind.SELF,
        "party": actor.acting_for_label,
    }
