"""Whom the user acts for, and the mandates they gave and received (ACC-1, ACC-5).

The switcher lists the contexts the registers and mandates give the user now and takes only one
of those (never what the browser claims). Mandates are read through `access.selectors`, scoped by
the actor — another party's mandate is a 404, as a missing one — and changed only through
`access.services`, which check the right again and audit. Every page view is audited once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from onedoor.access.contexts import ContextChoice, context_choices
from onedoor.access.errors import MandateEnded, MandateInvalid, MandateNotAllowed, MandateNotFound
from onedoor.access.middleware import context_choose
from onedoor.access.models import Mandate, MandateScope, MandateStatus
from onedoor.access.selectors import (
    mandate_activity,
    mandate_get,
    mandate_services,
    mandates_given,
    mandates_received,
)
from onedoor.access.services import mandate_decline, mandate_grant, mandate_revoke
from onedoor.audit.models import AuditRecord
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.catalog.models import Service
from onedoor.catalog.selectors import services_visible_to
from onedoor.core.actors import Actor, acting_description
from onedoor.core.i18n import localized
from onedoor.identity.contexts import ActingContext, ContextKind
from onedoor.identity.models import User
from onedoor.identity.selectors import actor_for_request
from onedoor.parties.identifiers import format_personal_code
from onedoor.parties.models import Person
from onedoor.parties.registers.company import CompanyStatus, RepresentationKind, RepresentativeRole

from .decorators import client_required
from .forms_mandates import SCOPE_HINTS, ContextChoiceForm, MandateForm

NAV = {"active_nav": "account"}
ACTIVITY_PER_PAGE = 50
OPEN_STATUSES = frozenset({MandateStatus.ACTIVE, MandateStatus.PENDING})

ROLE_LABELS = {
    RepresentativeRole.BOARD_MEMBER: gettext_lazy("board member"),
    RepresentativeRole.PROCURIST: gettext_lazy("procurist"),
    RepresentativeRole.OWNER: gettext_lazy("owner"),
    RepresentativeRole.OTHER: gettext_lazy("liquidator or other representative"),
}
GROUP_TITLES = {
    ContextKind.SELF: gettext_lazy("Yourself"),
    ContextKind.CHILD: gettext_lazy("Your children"),
    ContextKind.ORGANISATION: gettext_lazy("Companies you represent"),
    ContextKind.MANDATOR: gettext_lazy("Persons and companies that gave you a mandate"),
    ContextKind.INSTITUTION: gettext_lazy("Your institution"),
}
# What an entry of a mandate's activity log means, for the actions the e-account records (others show their code).
ACTIVITY_LABELS = {
    "access.context.choose": gettext_lazy("Started acting under the mandate"),
    "accounts.overview.view": gettext_lazy("Opened the e-account overview"),
    "accounts.history.view": gettext_lazy("Viewed the service history"),
    "accounts.history.export": gettext_lazy("Downloaded the service history"),
    "accounts.case.view": gettext_lazy("Viewed a case"),
    "accounts.case.read": gettext_lazy("Viewed a case"),
    "accounts.cases.list": gettext_lazy("Viewed the list of cases"),
    "accounts.service_cases.view": gettext_lazy("Viewed open cases of a service"),
    "accounts.mandate.view": gettext_lazy("Viewed this mandate"),
    "accounts.mandates.view": gettext_lazy("Viewed the list of mandates"),
    "accounts.mandates.list": gettext_lazy("Viewed the list of mandates"),
    "accounts.profile.read": gettext_lazy("Viewed the profile"),
    "accounts.documents.view": gettext_lazy("Viewed the documents"),
    "cases.case.register": gettext_lazy("Applied for a service"),
    "cases.feedback.give": gettext_lazy("Gave feedback"),
}
STATUS_TAGS = {
    MandateStatus.ACTIVE: "govuk-tag--green",
    MandateStatus.PENDING: "govuk-tag--blue",
    MandateStatus.EXPIRED: "govuk-tag--grey",
    MandateStatus.DECLINED: "govuk-tag--orange",
    MandateStatus.REVOKED: "govuk-tag--red",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _signed_in_person(request: HttpRequest) -> Person | None:
    return _user(request).person


def _acting_context(request: HttpRequest) -> ActingContext | None:
    return getattr(request, "acting_context", None)


# --- whom the user acts for ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContextRow:
    input_id: str
    token: str
    label: str
    details: list[str]
    is_current: bool


@dataclass(slots=True)
class ContextGroup:
    kind: str
    title: str
    rows: list[ContextRow] = field(default_factory=list)


def _scope_text(mandate: Mandate, services: dict[str, Service]) -> str:
    if mandate.scope == MandateScope.CHOSEN_SERVICES:
        names = [localized(services[code], "name") if code in services else code for code in mandate.service_codes]
        return _("Services: %(services)s") % {"services": "; ".join(names)}
    return str(MandateScope(mandate.scope).label)


def _context_details(choice: ContextChoice, services: dict[str, Service]) -> list[str]:
    context = choice.context
    match context.kind:
        case ContextKind.SELF:
            return [_("Personal code %(code)s") % {"code": format_personal_code(context.key)}]
        case ContextKind.CHILD:
            return [_("Your child, personal code %(code)s") % {"code": format_personal_code(context.key)}]
        case ContextKind.ORGANISATION:
            roles = ", ".join(str(ROLE_LABELS[role]) for role in choice.roles)
            details = [
                _("Registration number %(number)s; you are its %(roles)s") % {"number": context.key, "roles": roles}
            ]
            if choice.representation == RepresentationKind.SOLE:
                details.append(_("You may represent it alone and give its mandates."))
            else:
                details.append(
                    _("You may represent it only jointly with other representatives; you cannot give its mandates.")
                )
            if choice.company_status == CompanyStatus.LIQUIDATION:
                details.append(_("The company is in liquidation."))
            return details
        case ContextKind.MANDATOR:
            mandate = choice.mandate
            assert mandate is not None
            return [
                _("Mandate %(reference)s: %(scope)s")
                % {"reference": mandate.reference, "scope": _scope_text(mandate, services)},
                _("Valid until %(day)s (inclusive)") % {"day": _day(mandate.last_day)},
            ]
        case ContextKind.INSTITUTION:
            return [_("As a civil servant of institution %(code)s") % {"code": context.key}]
    return []


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _context_groups(choices: list[ContextChoice], current: ActingContext | None) -> list[ContextGroup]:
    services = mandate_services(choice.mandate for choice in choices if choice.mandate is not None)
    groups: dict[str, ContextGroup] = {}
    for choice in choices:
        kind = choice.context.kind
        group = groups.setdefault(kind, ContextGroup(kind=kind, title=str(GROUP_TITLES[kind])))
        group.rows.append(
            ContextRow(
                input_id=f"context-{kind}-{len(group.rows) + 1}",
                token=choice.context.token,
                label=choice.context.label,
                details=_context_details(choice, services),
                is_current=current is not None and current.token == choice.context.token,
            )
        )
    return list(groups.values())


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """A `next` address on this site only (never an open redirect), or ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _landing(context: ActingContext) -> str:
    return reverse("accounts:overview") if context.is_client else reverse("catalog:home")


@login_required
@require_http_methods(["GET", "POST"])
def acting_for(request: HttpRequest) -> HttpResponse:
    """Choose whom to act for (ACC-1): every context the user has now, grouped, the current one marked."""
    user = _user(request)
    choices = context_choices(user, at=timezone.now())
    current = _acting_context(request)
    form = ContextChoiceForm(request.POST if request.method == "POST" else None)
    next_url = _safe_next(request, request.POST.get("next") if request.method == "POST" else request.GET.get("next"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token = form.cleaned_data["context"]
            chosen = next((choice.context for choice in choices if choice.context.token == token), None)
            if chosen is not None:
                context_choose(request, chosen)
                audit_record(
                    actor=actor_for_request(request),
                    action="access.context.choose",
                    obj=AuditedObject(
                        type="access.context", id=chosen.key, label=chosen.label, holder_id=chosen.party_id
                    ),
                    details={
                        "kind": chosen.kind,
                        "mandate": chosen.mandate_id,
                        "previous": current.token if current else "",
                    },
                )
                messages.success(request, _("You now act for %(party)s.") % {"party": chosen.label})
                return HttpResponseRedirect(next_url or _landing(chosen))
            form.add_error("context", _("You cannot act for this party now. Choose one of the list."))
        status = 400
    else:
        actor = actor_for_request(request)
        person = user.person
        audit_record(
            actor=actor,
            action="accounts.acting_for.view",
            obj=AuditedObject(
                type="access.contexts",
                id=person.personal_code if person else user.username,
                label=person.full_name if person else user.get_full_name(),
                holder_id=str(person.pk) if person else None,
            ),
        )
    return render(
        request,
        "accounts/acting_for.html",
        {
            **NAV,
            "form": form,
            "groups": _context_groups(choices, current),
            "current": current,
            "next_url": next_url,
        },
        status=status,
    )


# --- mandates ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MandateRow:
    mandate: Mandate
    status: str
    status_label: str
    status_tag: str
    services: list[str]

    @property
    def first_day(self) -> date:
        return self.mandate.first_day

    @property
    def last_day(self) -> date:
        return self.mandate.last_day


def _rows(mandates: list[Mandate], services: dict[str, Service], now: datetime) -> list[MandateRow]:
    rows = []
    for mandate in mandates:
        status = mandate.status_at(now)
        rows.append(
            MandateRow(
                mandate=mandate,
                status=status,
                status_label=mandate.status_label_at(now),
                status_tag=STATUS_TAGS[MandateStatus(status)],
                services=[
                    localized(services[code], "name") if code in services else code for code in mandate.service_codes
                ],
            )
        )
    return rows


def _grant_refusal(actor: Actor, context: ActingContext | None) -> str:
    """Why the acting party cannot give a mandate in this context, or "" when it can (ACC-5)."""
    if context is None:
        return _("Choose whom you act for first.")
    if actor.mandate_id:
        return _(
            "You act for %(party)s under mandate %(reference)s. A mandate cannot be passed on to someone else: "
            "to give a mandate of your own, act for yourself."
        ) % {"party": context.label, "reference": actor.mandate_id}
    if context.kind == ContextKind.CHILD:
        return _(
            "A mandate cannot be given on behalf of a child in the e-account. To give a mandate of your own, "
            "act for yourself."
        )
    if not context.may_grant_mandates:
        return _(
            "You may represent %(party)s only jointly with other representatives, so you cannot give its "
            "mandates alone. A representative who may represent it alone can."
        ) % {"party": context.label}
    return ""


def _party_object(actor: Actor, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=actor.acting_for, label=actor.acting_for_label, holder_id=actor.acting_for_id)


@client_required
@require_GET
def mandate_list(request: HttpRequest) -> HttpResponse:
    """The mandates the acting party gave (when it may give them) and those the signed-in person received."""
    actor = actor_for_request(request)
    context = _acting_context(request)
    person = _signed_in_person(request)
    refusal = _grant_refusal(actor, context)
    given = [] if refusal else list(mandates_given(actor=actor))
    received = list(mandates_received(person=person)) if person is not None else []
    services = mandate_services([*given, *received])
    now = timezone.now()
    audit_record(actor=actor, action="accounts.mandates.view", obj=_party_object(actor, "access.mandates"))
    return render(
        request,
        "accounts/mandates.html",
        {
            **NAV,
            "actor": actor,
            "context": context,
            "acts_for_self": person is not None and actor.acting_for_id == str(person.pk) and not actor.mandate_id,
            "refusal": refusal,
            "given": _rows(given, services, now),
            "received": _rows(received, services, now),
        },
    )


def _services_to_choose(actor: Actor) -> list[Service]:
    """The services a mandate may name: those for natural persons, or for a company those for legal persons."""
    services = services_visible_to(actor=actor).only("code", "name_lv", "name_en")
    if actor.acting_for_kind == "organisation":
        services = services.filter(for_legal_persons=True)
    else:
        services = services.filter(for_natural_persons=True)
    return sorted(services, key=lambda service: (localized(service, "name").casefold(), service.code))


def _refused(request: HttpRequest, refusal: str) -> HttpResponse:
    return render(request, "accounts/mandate_new.html", {**NAV, "refusal": refusal}, status=403)


@client_required
@require_http_methods(["GET", "POST"])
def mandate_new(request: HttpRequest) -> HttpResponse:
    """Give a mandate in two steps: fill in the form, check the summary and confirm (ACC-5)."""
    actor = actor_for_request(request)
    context = _acting_context(request)
    person = _signed_in_person(request)
    refusal = _grant_refusal(actor, context)
    if refusal or context is None or person is None:
        return _refused(request, refusal or _("Choose whom you act for first."))
    services = _services_to_choose(actor)
    page: dict[str, Any] = {**NAV, "actor": actor, "context": context, "scope_hints": SCOPE_HINTS}
    if request.method == "GET":
        form = MandateForm(initial=MandateForm.initial_period(), services=services)
        return render(request, "accounts/mandate_new.html", {**page, "form": form, "step": "form"})
    step = request.POST.get("step", "review")
    if step == "edit":
        # Back from the summary: the values as typed, in the form again, without errors.
        typed = {name: request.POST.get(name, "") for name in ("mandatary", "scope", "valid_from", "valid_until")}
        again = MandateForm(
            initial={**typed, "service_codes": request.POST.getlist("service_codes")}, services=services
        )
        return render(request, "accounts/mandate_new.html", {**page, "form": again, "step": "form"})
    form = MandateForm(request.POST, services=services)
    if not form.is_valid():
        return render(request, "accounts/mandate_new.html", {**page, "form": form, "step": "form"}, status=400)
    if step != "confirm":
        return render(
            request,
            "accounts/mandate_new.html",
            {
                **page,
                "form": form,
                "step": "review",
                "chosen_services": form.chosen_services(),
                "mandatary_code": format_personal_code(form.cleaned_data["mandatary"]),
            },
        )
    valid_from, valid_until = form.period()
    try:
        mandate = mandate_grant(
            actor=actor,
            granted_by=person,
            may_grant=context.may_grant_mandates,
            mandatary_code=form.cleaned_data["mandatary"],
            scope=form.cleaned_data["scope"],
            service_codes=form.cleaned_data.get("service_codes") or [],
            valid_from=valid_from,
            valid_until=valid_until,
        )
    except MandateInvalid as error:
        form.add_service_errors(error.invalid_params)
        return render(request, "accounts/mandate_new.html", {**page, "form": form, "step": "form"}, status=400)
    except MandateNotAllowed as error:
        return _refused(request, error.detail)
    messages.success(
        request,
        _("Mandate %(reference)s is given to %(person)s from %(first)s to %(last)s.")
        % {
            "reference": mandate.reference,
            "person": mandate.mandatary.full_name,
            "first": _day(mandate.first_day),
            "last": _day(mandate.last_day),
        },
    )
    return HttpResponseRedirect(reverse("accounts:mandate", args=[mandate.reference]))


@dataclass(frozen=True, slots=True)
class ActivityRow:
    record: AuditRecord
    what: str
    who: str


def _activity_rows(records: list[AuditRecord], mandate: Mandate) -> list[ActivityRow]:
    return [
        ActivityRow(
            record=record,
            what=str(ACTIVITY_LABELS.get(record.action, record.action)),
            who=acting_description(actor=record.actor_label, client=mandate.mandator_label, mandate=record.mandate_id),
        )
        for record in records
    ]


@client_required
@require_http_methods(["GET", "POST"])
def mandate_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One mandate, to its mandator and its mandatary: what it allows, its status and what was done under it.
    POST `action=revoke` (the mandator) or `action=decline` (the mandatary) ends it at once."""
    actor = actor_for_request(request)
    context = _acting_context(request)
    person = _signed_in_person(request)
    try:
        mandate = mandate_get(actor=actor, person=person, reference=reference)
    except MandateNotFound:
        raise Http404(reference) from None
    now = timezone.now()
    status = mandate.status_at(now)
    mandator_id = str(mandate.mandator_person_id or mandate.mandator_organisation_id)
    is_mandator = actor.acting_for_id == mandator_id and not actor.mandate_id
    is_mandatary = person is not None and mandate.mandatary_id == person.pk
    acts_for_self = person is not None and actor.acting_for_id == str(person.pk) and not actor.mandate_id
    may_grant = context is not None and context.may_grant_mandates
    if request.method == "POST":
        return _mandate_change(request, actor=actor, person=person, mandate=mandate, may_grant=may_grant)
    paginator = Paginator(mandate_activity(mandate), ACTIVITY_PER_PAGE)
    activity = paginator.get_page(request.GET.get("page"))
    audit_record(
        actor=actor,
        action="accounts.mandate.view",
        obj=AuditedObject(
            type="access.mandate", id=mandate.reference, label=mandate.mandator_label, holder_id=mandator_id
        ),
    )
    services = mandate_services([mandate])
    (row,) = _rows([mandate], services, now)
    return render(
        request,
        "accounts/mandate.html",
        {
            **NAV,
            "mandate": mandate,
            "row": row,
            "is_mandator": is_mandator,
            "is_mandatary": is_mandatary,
            "may_revoke": is_mandator and may_grant and status in OPEN_STATUSES,
            "may_decline": is_mandatary and acts_for_self and status in OPEN_STATUSES,
            "decline_elsewhere": is_mandatary and not acts_for_self and status in OPEN_STATUSES,
            "mandatary_code": format_personal_code(mandate.mandatary.personal_code),
            "activity": activity,
            "activity_rows": _activity_rows(list(activity.object_list), mandate),
        },
    )


def _mandate_change(
    request: HttpRequest, *, actor: Actor, person: Person | None, mandate: Mandate, may_grant: bool
) -> HttpResponse:
    action = request.POST.get("action")
    url = reverse("accounts:mandate", args=[mandate.reference])
    try:
        if action == "revoke":
            mandate_revoke(actor=actor, mandate=mandate, may_revoke=may_grant)
            messages.success(
                request,
                _("Mandate %(reference)s is revoked: %(person)s can no longer act for %(party)s.")
                % {
                    "reference": mandate.reference,
                    "person": mandate.mandatary.full_name,
                    "party": mandate.mandator_label,
                },
            )
        elif action == "decline" and person is not None:
            mandate_decline(actor=actor, person=person, mandate=mandate)
            messages.success(
                request,
                _("You declined mandate %(reference)s: you can no longer act for %(party)s.")
                % {"reference": mandate.reference, "party": mandate.mandator_label},
            )
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except MandateNotAllowed as error:
        return render(
            request,
            "accounts/mandate_new.html",
            {**NAV, "refusal": error.detail, "refusal_title": _("You cannot change this mandate")},
            status=403,
        )
    except MandateEnded as error:
        messages.error(request, error.detail)
    return HttpResponseRedirect(url)
