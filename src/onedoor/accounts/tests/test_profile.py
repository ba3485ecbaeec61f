"""The profile pages as a person uses them (ACC-2, ACC-6): base data, e-mail confirmed by a link, phone
confirmed by an SMS code, bank account, notification preferences; only for the person acting for
themself (SEC-2), every change audited, every form protected by CSRF."""

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.audit.models import AuditRecord
from onedoor.notifications.models import (
    OPT_IN_KINDS,
    ContactConfirmation,
    ContactKind,
    ContactPoint,
    NoticeKind,
    NotificationPreference,
    RecipientSettings,
)
from onedoor.notifications.sms_simulator import SmsSimulator
from onedoor.parties.models import BankAccount, Person

pytestmark = pytest.mark.django_db

ANNA, JANIS, ELZA = "32871452034", "14037812342", "05030920418"
KOKMATERIALI = "40003512877"
ANNA_EMAIL = "anna.kalnina@example.lv"
ANNA_MOBILE = "+37129123456"
VALID_IBAN = "LV80BANK0000435195001"
LINK = re.compile(r"https?://[^\s]+/account/profile/email/confirm/[^\s]+/")

SignIn = Callable[..., object]


@pytest.fixture
def anna(client: Client, sign_in: SignIn, demo_catalog: None) -> Person:
    sign_in(client, ANNA)
    return Person.objects.get(personal_code=ANNA)


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def actions(prefix: str) -> list[str]:
    return list(
        AuditRecord.objects.filter(action__startswith=prefix).order_by("sequence").values_list("action", flat=True)
    )


def link_path(body: str) -> str:
    match = LINK.search(body)
    assert match is not None, body
    return urlsplit(match.group(0)).path


def add_email(client: Client, address: str = ANNA_EMAIL, lang: str = "en") -> str:
    """Add the address on the page and return the path of the link the e-mail brought."""
    sent_before = len(mail.outbox)
    response = client.post(f"/{lang}/account/profile/email/add/", {"email": address})
    assert response.status_code == 302, page(response)
    assert response["Location"] == f"/{lang}/account/profile/"
    assert len(mail.outbox) == sent_before + 1
    return link_path(str(mail.outbox[-1].body))


def sms_code(simulator: SmsSimulator) -> str:
    match = re.search(r"\b(\d{6})\b", simulator.messages[-1].text)
    assert match is not None, simulator.messages[-1].text
    return match.group(1)


# --- who may open the pages ---------------------------------------------------------------------


def test_profile_pages_need_sign_in(client: Client, demo_catalog: None) -> None:
    for path in ("/lv/account/profile/", "/lv/account/preferences/", "/lv/account/my-data/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/oidc/authenticate/" in response["Location"]


# --- the profile page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "municipality"), [("lv", "Rīgas valstspilsētas pašvaldība"), ("en", "Riga State City Municipality")]
)
def test_profile_shows_register_data_contacts_bank_account_and_language(
    client: Client, anna: Person, lang: str, municipality: str
) -> None:
    ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value=ANNA_EMAIL, confirmed_at=timezone.now())
    ContactPoint.objects.create(person=anna, kind=ContactKind.PHONE, value=ANNA_MOBILE)
    BankAccount.objects.create(person=anna, iban=VALID_IBAN, holder_name="Anna Kalniņa", added_at=timezone.now())

    response = client.get(f"/{lang}/account/profile/")

    assert response.status_code == 200
    content = page(response)
    assert f'<html lang="{lang}"' in content
    assert "Anna Kalniņa" in content
    assert "328714-52034" in content
    assert "Krišjāņa Barona iela 55-7, Rīga, LV-1011" in content
    assert municipality in content
    assert ANNA_EMAIL in content
    assert ANNA_MOBILE in content
    assert "LV80 BANK 0000 4351 9500 1" in content
    assert response.context["emails"][0].confirmed_at is not None
    assert response.context["phones"][0].confirmed_at is None
    assert response.context["notice_language"] == "lv"
    assert response.context["active_nav"] == "account"
    record = AuditRecord.objects.get(action="accounts.profile.read")
    assert (record.holder_id, record.object_type, record.acting_for) == (str(anna.pk), "parties.person", ANNA)


def test_the_profile_page_reads_in_the_same_number_of_queries_for_few_and_many_contacts(
    client: Client, anna: Person
) -> None:
    ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value="a1@example.lv")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/account/profile/").status_code == 200
    for number in range(2, 6):
        ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value=f"a{number}@example.lv")
        ContactPoint.objects.create(person=anna, kind=ContactKind.PHONE, value=f"+3712912345{number}")

    with CaptureQueriesContext(connection) as many:
        response = client.get("/en/account/profile/")

    assert len(response.context["emails"]) == 5
    assert len(response.context["phones"]) == 4
    assert len(many) == len(few)


def test_a_company_context_sees_the_company_read_only_and_cannot_change_anything(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, JANIS, acting_for=KOKMATERIALI)

    response = client.get("/en/account/profile/")
    assert response.status_code == 200
    content = page(response)
    assert response.context["read_only"] is True
    assert KOKMATERIALI in content
    assert "Kokmateriāli" in content
    assert "cannot change anything here" in content
    assert "Add an e-mail address" not in content

    refused = [
        client.post("/en/account/profile/email/add/", {"email": "sia@example.lv"}),
        client.post("/en/account/profile/phone/add/", {"phone": "29123456"}),
        client.post("/en/account/profile/bank-account/", {"iban": VALID_IBAN, "holder_name": "SIA Kokmateriāli"}),
        client.post("/en/account/preferences/", {"language": "en"}),
        client.post("/en/account/my-data/"),
        client.get("/en/account/preferences/"),
    ]
    assert [response.status_code for response in refused] == [403] * len(refused)
    assert "Only for your own profile" in page(refused[0])
    assert ContactPoint.objects.count() == 0
    assert BankAccount.objects.count() == 0
    assert RecipientSettings.objects.count() == 0


def test_a_parent_acting_for_a_child_cannot_change_the_childs_contacts(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, JANIS, acting_for=ELZA)

    profile = client.get("/en/account/profile/")
    added = client.post("/en/account/profile/email/add/", {"email": "elza@example.lv"})

    assert profile.context["read_only"] is True
    assert "050309-20418" in page(profile)
    assert added.status_code == 403
    assert ContactPoint.objects.count() == 0


# --- e-mail confirmed by a link -----------------------------------------------------------------


def test_an_email_address_is_confirmed_by_the_link_sent_to_it(client: Client, anna: Person, locmem_mail: None) -> None:
    path = add_email(client)

    (email,) = mail.outbox
    assert email.to == [ANNA_EMAIL]
    assert email.subject == "Confirm your e-mail address for OneDoor"
    assert "within 24 hours" in email.body
    contact = ContactPoint.objects.get(person=anna)
    assert (contact.value, contact.confirmed_at) == (ANNA_EMAIL, None)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in ContactConfirmation.objects.get().secret_hash  # only a hash is stored

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/en/account/profile/"
    contact.refresh_from_db()
    assert contact.confirmed_at is not None
    assert ContactConfirmation.objects.get().used_at is not None
    assert actions("notifications.contact_point") == [
        "notifications.contact_point.add",
        "notifications.contact_point.confirmation_send",
        "notifications.contact_point.confirm",
    ]
    assert "is confirmed" in page(client.get("/en/account/profile/"))


def test_the_link_in_latvian(client: Client, anna: Person, locmem_mail: None) -> None:
    add_email(client, lang="lv")
    assert mail.outbox[0].subject == "Apstipriniet savu e-pasta adresi OneDoor"
    assert mail.outbox[0].extra_headers["Content-Language"] == "lv"
    assert "/lv/account/profile/email/confirm/" in mail.outbox[0].body


def test_a_link_works_once(client: Client, anna: Person, locmem_mail: None) -> None:
    path = add_email(client)
    client.get(path)
    audited = AuditRecord.objects.count()

    again = client.get(path)

    assert again.status_code == 400
    assert "already been used" in page(again)
    assert AuditRecord.objects.count() == audited


def test_an_expired_link_changes_nothing(client: Client, anna: Person, locmem_mail: None) -> None:
    path = add_email(client)
    ContactConfirmation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get(path)

    assert response.status_code == 400
    assert "has expired" in page(response)
    assert "accounts/contact_confirm_failed.html" in [template.name for template in response.templates]
    assert ContactPoint.objects.get().confirmed_at is None
    assert ContactConfirmation.objects.get().used_at is None


def test_a_forged_link_changes_nothing(client: Client, anna: Person, locmem_mail: None) -> None:
    path = add_email(client)
    forged = path.rstrip("/")[:-3] + "abc/"

    response = client.get(forged)

    assert response.status_code == 400
    assert "not valid" in page(response)
    assert ContactPoint.objects.get().confirmed_at is None


def test_a_link_opened_by_someone_else_changes_nothing(
    client: Client, sign_in: SignIn, anna: Person, locmem_mail: None
) -> None:
    path = add_email(client)
    other = Client()
    sign_in(other, JANIS)

    response = other.get(path)

    assert response.status_code == 400
    assert "sent to someone else" in page(response)
    assert ContactPoint.objects.get().confirmed_at is None
    denied = AuditRecord.objects.get(action="notifications.contact_point.confirm_denied")
    assert denied.outcome == "denied"
    # The refusal did not use the link up: Anna can still confirm.
    assert client.get(path).status_code == 302
    assert ContactPoint.objects.get().confirmed_at is not None


def test_a_new_link_replaces_the_earlier_one(client: Client, anna: Person, locmem_mail: None) -> None:
    first = add_email(client)
    contact = ContactPoint.objects.get()
    client.post(f"/en/account/profile/contacts/{contact.pk}/send/")
    second = link_path(str(mail.outbox[-1].body))

    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 302
    contact.refresh_from_db()
    assert contact.confirmed_at is not None


def test_a_bad_email_address_is_shown_on_the_form(client: Client, anna: Person, locmem_mail: None) -> None:
    response = client.post("/en/account/profile/email/add/", {"email": "anna@"})

    assert response.status_code == 200
    content = page(response)
    assert "govuk-error-summary" in content
    assert 'href="#id_email"' in content
    assert "Enter an e-mail address in the right format" in content
    assert ContactPoint.objects.count() == 0
    assert mail.outbox == []


def test_the_mail_server_refusing_is_said_on_the_form(client: Client, anna: Person, settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    settings.ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS = 2

    response = client.post("/en/account/profile/email/add/", {"email": ANNA_EMAIL})

    assert response.status_code == 200
    assert "could not be sent just now" in page(response)
    # The address waits, unconfirmed, for a new link; the void link cannot be used.
    assert ContactPoint.objects.get().confirmed_at is None
    assert ContactConfirmation.objects.get().expires_at <= timezone.now()


# --- phone confirmed by an SMS code -------------------------------------------------------------


def test_a_phone_number_is_confirmed_by_the_code_sent_by_sms(client: Client, anna: Person, sms: SmsSimulator) -> None:
    response = client.post("/en/account/profile/phone/add/", {"phone": "29 123 456"})

    contact = ContactPoint.objects.get(person=anna)
    assert contact.value == ANNA_MOBILE
    assert response.status_code == 302
    assert response["Location"] == f"/en/account/profile/phone/{contact.pk}/code/"
    (message,) = sms.messages
    assert message.to == ANNA_MOBILE
    assert message.reference == str(ContactConfirmation.objects.get().pk)
    code = sms_code(sms)
    assert message.text == (
        f"OneDoor: your code to confirm this phone number is {code}. It is valid for 10 minutes. "
        "Do not give it to anyone."
    )
    assert code not in ContactConfirmation.objects.get().secret_hash

    page_with_form = client.get(response["Location"])
    assert f"We sent a 6-digit code to {ANNA_MOBILE}" in page(page_with_form)

    confirmed = client.post(response["Location"], {"code": f"{code[:3]} {code[3:]}"})

    assert confirmed.status_code == 302
    contact.refresh_from_db()
    assert contact.confirmed_at is not None


def test_five_wrong_codes_lock_the_code_until_a_new_one_is_sent(
    client: Client, anna: Person, sms: SmsSimulator
) -> None:
    client.post("/en/account/profile/phone/add/", {"phone": ANNA_MOBILE})
    contact = ContactPoint.objects.get()
    code = sms_code(sms)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    url = f"/en/account/profile/phone/{contact.pk}/code/"

    answers = [page(client.post(url, {"code": wrong})) for _ in range(5)]

    assert "You can try 4 more times." in answers[0]
    assert "You can try 1 more time." in answers[3]
    assert "entered wrongly too many times" in answers[4]
    assert ContactConfirmation.objects.get().failed_attempts == 5
    right_too_late = client.post(url, {"code": code})
    assert right_too_late.status_code == 200
    assert "entered wrongly too many times" in page(right_too_late)
    contact.refresh_from_db()
    assert contact.confirmed_at is None
    assert actions("notifications.contact_point.confirm_failed") == ["notifications.contact_point.confirm_failed"] * 5

    resent = client.post(f"/en/account/profile/contacts/{contact.pk}/send/")
    assert resent.status_code == 302
    assert len(sms.messages) == 2
    assert client.post(url, {"code": sms_code(sms)}).status_code == 302
    contact.refresh_from_db()
    assert contact.confirmed_at is not None


def test_an_expired_code_is_refused(client: Client, anna: Person, sms: SmsSimulator) -> None:
    client.post("/en/account/profile/phone/add/", {"phone": ANNA_MOBILE})
    contact = ContactPoint.objects.get()
    ContactConfirmation.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    ContactConfirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(f"/en/account/profile/phone/{contact.pk}/code/", {"code": sms_code(sms)})

    assert response.status_code == 200
    assert "The code has expired" in page(response)
    contact.refresh_from_db()
    assert contact.confirmed_at is None


@pytest.mark.parametrize(
    ("phone", "error"),
    [
        ("12", "not a valid phone number"),
        ("67 123 456", "Text messages need a mobile phone number."),  # a Latvian landline
        ("", "Enter your mobile phone number."),
    ],
)
def test_a_bad_phone_number_is_shown_on_the_form(
    client: Client, anna: Person, sms: SmsSimulator, phone: str, error: str
) -> None:
    response = client.post("/en/account/profile/phone/add/", {"phone": phone})

    assert response.status_code == 200
    assert error in page(response)
    assert 'href="#id_phone"' in page(response)
    assert ContactPoint.objects.count() == 0
    assert sms.messages == []


def test_a_code_of_the_wrong_shape_is_refused_without_using_a_try(
    client: Client, anna: Person, sms: SmsSimulator
) -> None:
    client.post("/en/account/profile/phone/add/", {"phone": ANNA_MOBILE})
    contact = ContactPoint.objects.get()

    response = client.post(f"/en/account/profile/phone/{contact.pk}/code/", {"code": "12ab"})

    assert "Enter the 6-digit code from the SMS." in page(response)
    assert ContactConfirmation.objects.get().failed_attempts == 0


def test_the_gateway_failing_is_said_on_the_form(client: Client, anna: Person, sms: SmsSimulator) -> None:
    sms.control(fail_next=1)

    response = client.post("/en/account/profile/phone/add/", {"phone": ANNA_MOBILE})

    assert response.status_code == 200
    assert "could not be sent just now" in page(response)
    assert ContactPoint.objects.get().confirmed_at is None


def test_too_many_codes_in_an_hour_are_refused(
    client: Client, anna: Person, sms: SmsSimulator, settings: Settings
) -> None:
    settings.ONEDOOR_CONTACT_CONFIRMATIONS_PER_HOUR = 2
    client.post("/en/account/profile/phone/add/", {"phone": ANNA_MOBILE})
    contact = ContactPoint.objects.get()
    client.post(f"/en/account/profile/contacts/{contact.pk}/send/")

    third = client.post(f"/en/account/profile/contacts/{contact.pk}/send/", follow=True)

    assert "too many confirmations in the last hour" in page(third)
    assert len(sms.messages) == 2


# --- removing a contact -------------------------------------------------------------------------


def test_a_contact_is_removed(client: Client, anna: Person) -> None:
    contact = ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value=ANNA_EMAIL)

    response = client.post(f"/en/account/profile/contacts/{contact.pk}/remove/")

    assert response.status_code == 302
    assert ContactPoint.objects.count() == 0
    assert actions("notifications.contact_point.remove") == ["notifications.contact_point.remove"]


def test_another_persons_contact_is_not_found(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    janis = Person.objects.get(personal_code=JANIS)
    contact = ContactPoint.objects.create(person=janis, kind=ContactKind.PHONE, value=ANNA_MOBILE)
    sign_in(client, ANNA)

    responses = [
        client.post(f"/en/account/profile/contacts/{contact.pk}/remove/"),
        client.post(f"/en/account/profile/contacts/{contact.pk}/send/"),
        client.get(f"/en/account/profile/phone/{contact.pk}/code/"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert ContactPoint.objects.filter(pk=contact.pk).exists()
    assert ContactConfirmation.objects.count() == 0


# --- bank account -------------------------------------------------------------------------------


def test_a_bank_account_is_saved_compact_and_shown_grouped(client: Client, anna: Person) -> None:
    response = client.post(
        "/en/account/profile/bank-account/", {"iban": "lv80 bank 0000 4351 9500 1", "holder_name": " Anna  Kalniņa "}
    )

    assert response.status_code == 302
    account = BankAccount.objects.get(person=anna)
    assert (account.iban, account.holder_name) == (VALID_IBAN, "Anna Kalniņa")
    assert "LV80 BANK 0000 4351 9500 1" in page(client.get("/en/account/profile/"))
    record = AuditRecord.objects.get(action="accounts.bank_account.set")
    assert record.holder_id == str(anna.pk)
    assert VALID_IBAN not in str(record.details)


@pytest.mark.parametrize(
    ("iban", "error"),
    [
        ("LV80BANK0000435195002", "check digits do not match"),
        ("LV80 BANK 0000 4351 9500", "check digits do not match"),
        ("hello", "Enter an account number in IBAN format"),
        ("", "Enter the account number."),
    ],
)
def test_a_bad_iban_is_shown_on_the_form_and_nothing_is_saved(
    client: Client, anna: Person, iban: str, error: str
) -> None:
    response = client.post("/en/account/profile/bank-account/", {"iban": iban, "holder_name": "Anna Kalniņa"})

    assert response.status_code == 200
    content = page(response)
    assert error in content
    assert 'href="#id_iban"' in content
    assert "govuk-input--error" in content
    assert BankAccount.objects.count() == 0


def test_a_bank_account_is_replaced_and_removed(client: Client, anna: Person) -> None:
    BankAccount.objects.create(person=anna, iban=VALID_IBAN, holder_name="Anna Kalniņa", added_at=timezone.now())

    form = client.get("/en/account/profile/bank-account/")
    assert 'value="LV80 BANK 0000 4351 9500 1"' in page(form)
    assert AuditRecord.objects.get(action="accounts.bank_account.read").holder_id == str(anna.pk)
    client.post("/en/account/profile/bank-account/", {"iban": "EE38 2200 2210 2014 5685", "holder_name": "Anna K."})
    assert BankAccount.objects.get().iban == "EE382200221020145685"

    removed = client.post("/en/account/profile/bank-account/remove/")

    assert removed.status_code == 302
    assert BankAccount.objects.count() == 0
    assert actions("accounts.bank_account") == [
        "accounts.bank_account.read",
        "accounts.bank_account.set",
        "accounts.bank_account.remove",
    ]


# --- notification preferences -------------------------------------------------------------------


def test_preferences_show_the_current_choices_and_hint_at_missing_contacts(client: Client, anna: Person) -> None:
    ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value=ANNA_EMAIL, confirmed_at=timezone.now())

    response = client.get("/en/account/preferences/")

    assert response.status_code == 200
    content = page(response)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Case status changes</legend>' in content
    assert 'name="channel_case_status" type="radio" value="email" checked' in content
    assert 'name="channel_proactive_offer" type="radio" value="off" checked' in content
    assert 'name="channel_result" type="radio" value="off"' not in content  # official notices cannot be switched off
    assert content.count("You have no confirmed mobile number") == len(NoticeKind)
    assert "You have no confirmed e-mail address" not in content
    assert AuditRecord.objects.get(action="accounts.preferences.read").holder_id == str(anna.pk)


def test_preferences_are_saved_and_audited(client: Client, anna: Person) -> None:
    unchanged = {f"channel_{kind}": "email" for kind in NoticeKind if kind not in OPT_IN_KINDS}
    response = client.post(
        "/en/account/preferences/",
        {
            **unchanged,
            "channel_case_status": "sms",
            "channel_invoice": "inbox_only",
            "channel_proactive_offer": "email",
            "language": "en",
        },
    )

    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(person=anna).values_list("kind", "channel")) == {
        "case_status": "sms",
        "invoice": "inbox_only",
        "proactive_offer": "email",
    }
    assert RecipientSettings.objects.get(person=anna).language == "en"
    assert actions("notifications.") == [
        "notifications.preference.set",
        "notifications.preference.set",
        "notifications.preference.set",
        "notifications.language.set",
    ]
    saved = client.get("/en/account/preferences/")
    assert 'name="channel_case_status" type="radio" value="sms" checked' in page(saved)


def test_a_bad_preference_saves_nothing(client: Client, anna: Person) -> None:
    response = client.post(
        "/en/account/preferences/",
        {
            "channel_case_status": "sms",
            "channel_result": "off",
            "channel_invoice": "inbox_only",
            "channel_appointment": "email",
            "language": "de",
        },
    )

    assert response.status_code == 200
    content = page(response)
    assert "govuk-error-summary" in content
    assert 'href="#id_channel_result"' in content
    assert 'href="#id_channel_proactive_offer"' in content
    assert 'href="#id_language"' in content
    assert NotificationPreference.objects.count() == 0
    assert RecipientSettings.objects.count() == 0


# --- CSRF ---------------------------------------------------------------------------------------


def test_every_form_needs_the_csrf_token(sign_in: SignIn, demo_catalog: None) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, ANNA)
    anna = Person.objects.get(personal_code=ANNA)
    contact = ContactPoint.objects.create(person=anna, kind=ContactKind.PHONE, value=ANNA_MOBILE)
    posts = {
        "/en/account/profile/email/add/": {"email": ANNA_EMAIL},
        "/en/account/profile/phone/add/": {"phone": "29111222"},
        f"/en/account/profile/phone/{contact.pk}/code/": {"code": "123456"},
        f"/en/account/profile/contacts/{contact.pk}/send/": {},
        f"/en/account/profile/contacts/{contact.pk}/remove/": {},
        "/en/account/profile/bank-account/": {"iban": VALID_IBAN, "holder_name": "Anna"},
        "/en/account/profile/bank-account/remove/": {},
        "/en/account/preferences/": {"language": "en"},
        "/en/account/my-data/": {},
    }
    audited = AuditRecord.objects.count()

    statuses = {path: client.post(path, data).status_code for path, data in posts.items()}

    assert set(statuses.values()) == {403}, statuses
    assert list(ContactPoint.objects.values_list("value", flat=True)) == [ANNA_MOBILE]
    assert ContactConfirmation.objects.count() == 0
    assert BankAccount.objects.count() == 0
    assert RecipientSettings.objects.count() == 0
    assert AuditRecord.objects.count() == audited
    # The pages themselves carry the token.
    for path in ("/en/account/profile/email/add/", "/en/account/profile/bank-account/", "/en/account/preferences/"):
        assert 'name="csrfmiddlewaretoken"' in page(client.get(path)), path
