"""Default names and client texts of the generic lifecycle statuses every service starts with."""

from dataclasses import dataclass

from .models import FINAL_LIFECYCLE, Lifecycle


@dataclass(frozen=True, slots=True)
class StatusDefaults:
    name_lv: str
    name_en: str
    client_text_lv: str
    client_text_en: str
    informs_client: bool


GENERIC_STATUSES: dict[str, StatusDefaults] = {
    Lifecycle.REGISTERED: StatusDefaults(
        "Reģistrēts", "Registered", "Pieteikums ir reģistrēts.", "Your request has been registered.", False
    ),
    Lifecycle.SUBMITTED: StatusDefaults(
        "Iesniegts",
        "Submitted",
        "Pieteikums ir nosūtīts izskatīšanai iestādei.",
        "Your application has been sent to the institution for processing.",
        True,
    ),
    Lifecycle.IN_PROGRESS: StatusDefaults(
        "Izskatīšanā",
        "In progress",
        "Iestāde izskata jūsu pieteikumu.",
        "The institution is processing your application.",
        False,
    ),
    Lifecycle.AWAITING_CLIENT: StatusDefaults(
        "Gaida klienta darbību",
        "Awaiting the client",
        "Lai turpinātu, iestādei nepieciešama jūsu rīcība vai papildu informācija.",
        "The institution needs an action or more information from you to continue.",
        True,
    ),
    Lifecycle.AWAITING_PAYMENT: StatusDefaults(
        "Gaida samaksu",
        "Awaiting payment",
        "Pakalpojums tiks turpināts pēc maksājuma saņemšanas.",
        "The service continues once the payment has been received.",
        True,
    ),
    Lifecycle.DECIDED: StatusDefaults(
        "Lēmums pieņemts", "Decided", "Iestāde ir pieņēmusi lēmumu.", "The institution has made a decision.", True
    ),
    Lifecycle.RESULT_DELIVERED: StatusDefaults(
        "Rezultāts izsniegts",
        "Result delivered",
        "Pakalpojuma rezultāts ir izsniegts.",
        "The result of the service has been delivered.",
        True,
    ),
    Lifecycle.CLOSED: StatusDefaults("Slēgts", "Closed", "Lieta ir slēgta.", "The case is closed.", False),
    Lifecycle.REJECTED: StatusDefaults(
        "Noraidīts", "Rejected", "Pieteikums ir noraidīts.", "The application has been rejected.", True
    ),
    Lifecycle.WITHDRAWN: StatusDefaults(
        "Atsaukts", "Withdrawn", "Pieteikums ir atsaukts.", "The application has been withdrawn.", True
    ),
}


def is_final(lifecycle: str) -> bool:
    return lifecycle in FINAL_LIFECYCLE
