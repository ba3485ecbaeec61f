from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.models import BaseModel

from .identifiers import format_personal_code, validate_personal_code, validate_registration_number


class InstitutionKind(models.TextChoices):
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")
    MINISTRY = "ministry", _("Ministry")
    STATE_AGENCY = "state_agency", _("State institution")
    MUNICIPALITY = "municipality", _("Municipality")


class Institution(BaseModel):
    """A public body: the tenant. Holds services, employs staff, runs systems."""

    code = models.CharField(max_length=20, unique=True, help_text=_("Short code, e.g. VSAA."))
    name_lv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=InstitutionKind.choices)
    registration_number = models.CharField(max_length=11, unique=True, validators=[validate_registration_number])
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_platform_operator(self) -> bool:
        return self.kind == InstitutionKind.PLATFORM_OPERATOR


class Person(BaseModel):
    """A natural person known to the platform (from the population or persons register)."""

    personal_code = models.CharField(max_length=11, unique=True, validators=[validate_personal_code])
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True, blank=True)
    is_resident = models.BooleanField(default=True)
    municipality = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        limit_choices_to={"kind": InstitutionKind.MUNICIPALITY},
        help_text=_("Municipality of the declared residence."),
    )
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({format_personal_code(self.personal_code)})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Organisation(BaseModel):
    """A legal person (company, association, public body) from the company register."""

    registration_number = models.CharField(max_length=11, unique=True, validators=[validate_registration_number])
    name = models.CharField(max_length=300)
    legal_form = models.CharField(max_length=20, blank=True, help_text=_("e.g. SIA, AS, IK, biedrība"))
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.registration_number})"


class BankAccount(BaseModel):
    """The account a person gives for payments from institutions (ACC-2: benefits, refunds), one per person.

    It lives with the person in `parties` rather than in the e-account app: whatever pays a person
    (PAY) or exports their data reads it from this lower layer without depending on the portal.
    The IBAN is stored compact (no spaces, upper case) and checked with stdnum.iban.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField(max_length=34)
    holder_name = models.CharField(max_length=200)
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person"], name="bank_account_one_per_person")]

    def __str__(self) -> str:
        # Not the number: administrators see that an account exists, not which one.
        return f"{self.person_id}: {self.iban[:2]}…{self.iban[-4:]}"
