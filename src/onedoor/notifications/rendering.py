"""Notice texts from templates, one per kind and language (NOTE-1).

`templates/notifications/<kind>.<language>.txt` holds the subject on its first line and the
body below it; `<kind>.<language>.sms.txt`, when present, is the short text of an SMS (else the
subject is sent). Templates are plain text: nothing is HTML-escaped. A kind without templates
(invoices, appointments, proactive offers) gets them with the app that produces such notices.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from onedoor.catalog.models import Service, ServiceStatusType
from onedoor.core.i18n import localized
from onedoor.parties.models import Institution

_BLANK_RUNS = re.compile(r"\n{3,}")
SMS_MAX_CHARS = 480  # three concatenated UCS-2 segments are 201 characters; providers split longer texts


@dataclass(frozen=True, slots=True)
class RenderedNotice:
    subject: str
    body: str
    sms: str


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def notice_render(*, kind: str, language: str, context: Mapping[str, Any]) -> RenderedNotice:
    """The subject, body and SMS text of a notice of `kind` in `language` (TemplateDoesNotExist if none)."""
    with translation.override(language):
        text = _tidy(get_template(f"notifications/{kind}.{language}.txt").render(dict(context)))
        subject, _, body = text.partition("\n")
        try:
            sms = _tidy(get_template(f"notifications/{kind}.{language}.sms.txt").render(dict(context)))
        except TemplateDoesNotExist:
            sms = subject
    return RenderedNotice(subject=subject.strip(), body=body.strip(), sms=sms[:SMS_MAX_CHARS])


def eaccount_url(language: str) -> str:
    """Where the client reads the notice: the e-account's inbox, in the notice's language."""
    base = getattr(settings, "ONEDOOR_EACCOUNT_URL", "") or f"{settings.ONEDOOR_PUBLIC_URL.rstrip('/')}/{language}/"
    return f"{str(base).rstrip('/')}/account/inbox/"


def case_status_context(
    *,
    language: str,
    person_name: str,
    case_number: str,
    service: Service,
    status_type: ServiceStatusType,
    institution: Institution,
    occurred_at: datetime,
) -> dict[str, Any]:
    """What the case-status and result templates may use, in one language."""
    return {
        "person_name": person_name.strip(),
        "case_number": case_number,
        "service_code": service.code,
        "service_name": localized(service, "name", language),
        "status_name": localized(status_type, "name", language),
        "client_text": localized(status_type, "client_text", language),
        "institution_name": localized(institution, "name", language),
        "institution_code": institution.code,
        "occurred_at": occurred_at,
        "eaccount_url": eaccount_url(language),
    }
