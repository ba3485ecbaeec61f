"""Profile pages (ACC-2, ACC-6, SEC-3): contact data and its confirmation, bank account, notification
preferences, download my data.

Only the person, acting for themself, sees and changes their profile; in any other context (a child,
a company, under a mandate) the profile page shows the acting party's base data read-only, and
every other page says why it cannot be used. Views stay thin: a form checks the input, one
service does the change (and audits it), a refusal is shown on the form.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from onedoor.audit.services import audit_record
from onedoor.core.actors import Actor
from onedoor.core.errors import ApplicationError
from onedoor.core.forms import add_service_errors
from onedoor.core.i18n import current_language
from onedoor.identity.selectors import actor_for_request
from onedoor.notifications.errors import (
    ConfirmationInvalid,
    ConfirmationLimit,
    ConfirmationNotSent,
    ContactNotFound,
    InvalidContact,
)
from onedoor.notifications.models import (
    OPT_IN_KINDS,
    ContactKind,
    ContactPoint,
    Language,
    NoticeKind,
    PreferredChannel,
)
from onedoor.notifications.selectors import (
    contact_confirmation_open,
    contact_point_get,
    contact_points_for,
    preferred_channel,
    recipient_language,
)
from onedoor.notifications.services import (
    EMAIL_LINK_VALIDITY,
    SMS_CODE_VALIDITY,
    contact_confirmation_send,
    contact_point_add,
    contact_point_confirm_by_code,
    contact_point_confirm_by_link,
    contact_point_remove,
)

from .decorators import client_required
from .export import my_data_chunks, my_data_download_audit, my_data_filename
from .forms_profile import (
    BankAccountForm,
    CodeForm,
    EmailAddForm,
    PhoneAddForm,
    PreferencesForm,
    channel_choices,
)
from .profile import (
    InvalidBankAccount,
    acting_party_facts,
    bank_account_of,
    bank_account_remove,
    bank_account_set,
    iban_grouped,
    notification_settings_set,
    person_facts,
    person_object,
    self_person,
)


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, template, {"active_nav": "account", **context}, status=status)


def _not_self(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The page every profile action shows outside the person's own context: what it is and how to switch."""
    facts = acting_party_facts(actor=actor, language=current_language())
    return _page(request, "accounts/profile_not_self.html", {"facts": facts}, status=403)


def _to_profile() -> HttpResponseRedirect:
    return redirect("accounts:profile")


def _confirmation_link(token: str) -> str:
    # The public address, not the request's Host header: the link goes out by e-mail.
    path = reverse("accounts:contact-confirm", kwargs={"token": token})
    return f"{settings.ONEDOOR_PUBLIC_URL.rstrip('/')}{path}"


def _send_confirmation(request: HttpRequest, actor: Actor, contact: ContactPoint) -> None:
    """Send the link or code; ConfirmationLimit / ConfirmationNotSent propagate to the caller."""
    contact_confirmation_send(
        actor=actor, contact_point=contact, language=current_language(), link_for=_confirmation_link
    )
    if contact.kind == ContactKind.EMAIL:
        messages.success(
            request,
            _("We sent a confirmation link to %(address)s. Open it within %(hours)d hours.")
            % {"address": contact.value, "hours": int(EMAIL_LINK_VALIDITY.total_seconds() // 3600)},
        )


def _own_contact(actor: Actor, contact_id: Any) -> ContactPoint:
    try:
        return contact_point_get(actor=actor, contact_point_id=contact_id)
    except ContactNotFound:
        raise Http404(_("No such e-mail address or phone number in your profile.")) from None


# --- the profile --------------------------------------------------------------------------------


@client_required
@require_http_methods(["GET", "HEAD"])
def profile(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    person = self_person(actor=actor)
    if person is None:
        facts = acting_party_facts(actor=actor, language=current_language())
        return _page(request, "accounts/profile.html", {"read_only": True, "facts": facts})
    contacts = list(contact_points_for(person=person))
    account = bank_account_of(person=person)
    audit_record(actor=actor, action="accounts.profile.read", obj=person_object(person))
    return _page(
        request,
        "accounts/profile.html",
        {
            "read_only": False,
            "facts": person_facts(person, language=current_language()),
            "emails": [contact for contact in contacts if contact.kind == ContactKind.EMAIL],
            "phones": [contact for contact in contacts if contact.kind == ContactKind.PHONE],
            "bank_account": account,
            "bank_account_iban": iban_grouped(account.iban) if account else "",
            "notice_language": recipient_language(person=person),
        },
    )


# --- contact points -----------------------------------------------------------------------------


def _contact_add(
    request: HttpRequest,
    *,
    kind: str,
    form_class: type[EmailAddForm | PhoneAddForm],
    field: str,
    template: str,
    already_confirmed: Callable[[ContactPoint], str],
    after_sending: Callable[[ContactPoint], HttpResponse],
) -> HttpResponse:
    """Adds the person's own e-mail address or phone number from `field` of the form and sends its confirmation."""
    actor = actor_for_request(request)
    person = self_person(actor=actor)
    if person is None:
        return _not_self(request, actor)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contact = contact_point_add(actor=actor, person=person, kind=kind, value=form.cleaned_data[field])
            if contact.confirmed_at is not None:
                messages.info(request, already_confirmed(contact))
                return _to_profile()
            _send_confirmation(request, actor, contact)
            return after_sending(contact)
        except InvalidContact as error:
            add_service_errors(form, error, field_for={"value": field})
        except (ConfirmationLimit, ConfirmationNotSent) as error:
            form.add_error(None, error.detail)
    return _page(request, template, {"form": form})


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_email_add(request: HttpRequest) -> HttpResponse:
    return _contact_add(
        request,
        kind=ContactKind.EMAIL,
        form_class=EmailAddForm,
        field="email",
        template="accounts/contact_email_add.html",
        already_confirmed=lambda contact: _("%(address)s is already confirmed.") % {"address": contact.value},
        after_sending=lambda contact: _to_profile(),
    )


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_phone_add(request: HttpRequest) -> HttpResponse:
    return _contact_add(
        request,
        kind=ContactKind.PHONE,
        form_class=PhoneAddForm,
        field="phone",
        template="accounts/contact_phone_add.html",
        already_confirmed=lambda contact: _("%(number)s is already confirmed.") % {"number": contact.value},
        after_sending=lambda contact: redirect("accounts:contact-code", contact_id=contact.pk),
    )


@never_cache
@client_required
@require_http_methods(["GET"])  # not HEAD: a link checker must not use the link up
def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail: confirms the address for the person signed in as themself."""
    actor = actor_for_request(request)
    if self_person(actor=actor) is None:
        return _not_self(request, actor)
    try:
        contact = contact_point_confirm_by_link(actor=actor, token=token)
    except ConfirmationInvalid as error:
        return _page(request, "accounts/contact_confirm_failed.html", {"problem": error.detail}, status=error.status)
    messages.success(
        request, _("%(address)s is confirmed. Notices can now be sent to it.") % {"address": contact.value}
    )
    return _to_profile()


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_code(request: HttpRequest, contact_id: str) -> HttpResponse:
    """Type back the code sent to a phone number."""
    actor = actor_for_request(request)
    if self_person(actor=actor) is None:
        return _not_self(request, actor)
    contact = _own_contact(actor, contact_id)
    if contact.kind != ContactKind.PHONE:
        raise Http404
    if contact.confirmed_at is not None:
        messages.info(request, _("%(number)s is already confirmed.") % {"number": contact.value})
        return _to_profile()
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contact_point_confirm_by_code(actor=actor, contact_point=contact, code=form.cleaned_data["code"])
        except ConfirmationInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(number)s is confirmed. Notices can now be sent to it.") % {"number": contact.value}
            )
            return _to_profile()
    return _page(
        request,
        "accounts/contact_code.html",
        {
            "form": form,
            "contact": contact,
            "pending": contact_confirmation_open(contact_point=contact),
            "valid_minutes": int(SMS_CODE_VALIDITY.total_seconds() // 60),
        },
    )


@client_required
@require_POST
def contact_resend(request: HttpRequest, contact_id: str) -> HttpResponse:
    """Send a new link or code (the earlier one stops working)."""
    actor = actor_for_request(request)
    if self_person(actor=actor) is None:
        return _not_self(request, actor)
    contact = _own_contact(actor, contact_id)
    if contact.confirmed_at is not None:
        return _to_profile()
    try:
        _send_confirmation(request, actor, contact)
    except (ConfirmationLimit, ConfirmationNotSent) as error:
        messages.error(request, error.detail)
        return _to_profile()
    if contact.kind == ContactKind.PHONE:
        messages.success(request, _("We sent a new code to %(number)s.") % {"number": contact.value})
        return redirect("accounts:contact-code", contact_id=contact.pk)
    return _to_profile()


@client_required
@require_POST
def contact_remove(request: HttpRequest, contact_id: str) -> HttpResponse:
    actor = actor_for_request(request)
    if self_person(actor=actor) is None:
        return _not_self(request, actor)
    contact = _own_contact(actor, contact_id)
    contact_point_remove(actor=actor, contact_point=contact)
    messages.success(request, _("%(contact)s is removed from your profile.") % {"contact": contact.value})
    return _to_profile()


# --- bank account -------------------------------------------------------------------------------


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def bank_account(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    person = self_person(actor=actor)
    if person is None:
        return _not_self(request, actor)
    current = bank_account_of(person=person)
    if request.method == "POST":
        form = BankAccountForm(request.POST)
        if form.is_valid():
            try:
                bank_account_set(
                    actor=actor, iban=form.cleaned_data["iban"], holder_name=form.cleaned_data["holder_name"]
                )
            except InvalidBankAccount as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your bank account is saved."))
                return _to_profile()
    elif current is not None:
        audit_record(actor=actor, action="accounts.bank_account.read", obj=person_object(person))
        form = BankAccountForm(initial={"iban": iban_grouped(current.iban), "holder_name": current.holder_name})
    else:
        form = BankAccountForm(initial={"holder_name": person.full_name})
    return _page(request, "accounts/profile_bank_account.html", {"form": form, "current": current})


@client_required
@require_POST
def bank_account_delete(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    if self_person(actor=actor) is None:
        return _not_self(request, actor)
    if bank_account_remove(actor=actor):
        messages.success(request, _("Your bank account is removed."))
    return _to_profile()


# --- notification preferences (ACC-6) -----------------------------------------------------------


def _choices(field: BoundField, choices: list[tuple[str, Any]], hints: dict[str, str]) -> list[dict[str, Any]]:
    chosen = str(field.value())
    return [
        {"value": value, "label": label, "checked": chosen == value, "hint": hints.get(value, "")}
        for value, label in choices
    ]


def _preference_rows(form: PreferencesForm, confirmed: set[str]) -> list[dict[str, Any]]:
    """What the page shows per kind of notice: its radios, with a hint on a channel that has no confirmed contact."""
    hints = {}
    if ContactKind.EMAIL not in confirmed:
        hints[PreferredChannel.EMAIL.value] = _(
            "You have no confirmed e-mail address: until you confirm one, these notices reach only your inbox."
        )
    if ContactKind.PHONE not in confirmed:
        hints[PreferredChannel.SMS.value] = _(
            "You have no confirmed mobile number: until you confirm one, these notices reach only your inbox."
        )
    rows = []
    for kind in NoticeKind:
        field = form[PreferencesForm.field_name(kind)]
        rows.append(
            {
                "field": field,
                "hint": _("Sent only if you choose to receive them.")
                if kind in OPT_IN_KINDS
                else _("Always kept in your e-account inbox."),
                "choices": _choices(field, channel_choices(kind), hints),
            }
        )
    return rows


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    person = self_person(actor=actor)
    if person is None:
        return _not_self(request, actor)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                notification_settings_set(
                    actor=actor, person=person, channels=form.channels(), language=form.cleaned_data["language"]
                )
            except ApplicationError as error:
                add_service_errors(form, error, field_for={"language": "language"})
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("accounts:preferences")
    else:
        audit_record(actor=actor, action="accounts.preferences.read", obj=person_object(person))
        initial: dict[str, Any] = {"language": recipient_language(person=person)}
        for kind in NoticeKind:
            initial[PreferencesForm.field_name(kind)] = preferred_channel(person=person, kind=kind)
        form = PreferencesForm(initial=initial)
    confirmed = {contact.kind for contact in contact_points_for(person=person) if contact.confirmed_at is not None}
    return _page(
        request,
        "accounts/preferences.html",
        {
            "form": form,
            "rows": _preference_rows(form, confirmed),
            "language_field": form["language"],
            "language_choices": _choices(form["language"], list(Language.choices), {}),
        },
    )


# --- download my data (SEC-3) -------------------------------------------------------------------


@client_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request: HttpRequest) -> HttpResponseBase:
    actor = actor_for_request(request)
    person = self_person(actor=actor)
    if person is None:
        return _not_self(request, actor)
    if request.method != "POST":
        return _page(request, "accounts/my_data.html", {})
    my_data_download_audit(actor=actor, person=person, via="page")
    response = StreamingHttpResponse(my_data_chunks(person=person), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{my_data_filename(timezone.localdate())}"'
    response["Cache-Control"] = "no-store"
    return response
