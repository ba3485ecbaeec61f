"""Acting contexts (ACC-1, SEC-2): whom a signed-in user acts for in this request.

After sign-in the user chooses: themself, a minor child in their custody, a company they represent,
a person who gave them a mandate or, for staff, their institution. The `access` app works out which
contexts a user has and puts the chosen one on the request as `request.acting_context`; this module
only describes a context and turns it into the `Actor` that services and the audit log receive.
"""

from dataclasses import dataclass
from enum import StrEnum


class ContextKind(StrEnum):
    SELF = "self"
    CHILD = "child"
    ORGANISATION = "organisation"
    MANDATOR = "mandator"
    INSTITUTION = "institution"


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    INSTITUTION = "institution"


@dataclass(frozen=True, slots=True)
class ActingContext:
    """One party the user may act for, with what they may do for it."""

    kind: ContextKind
    party_kind: PartyKind
    party_id: str  # Person, Organisation or Institution primary key
    key: str  # personal code, registration number or institution code
    label: str  # the party's name as shown on every page
    mandate_id: str = ""  # the mandate's reference when acting under one
    service_codes: frozenset[str] | None = None  # None: every service
    may_act: bool = True  # False under a mandate for result retrieval only
    may_grant_mandates: bool = False  # themself, or a company they may represent alone; never under a mandate

    @property
    def token(self) -> str:
        """What the context switcher posts and the session keeps: stable while the right holds."""
        return f"{self.kind}:{self.key}:{self.mandate_id}"

    @property
    def is_client(self) -> bool:
        return self.party_kind != PartyKind.INSTITUTION


SESSION_KEY = "onedoor.acting_context"
