from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.channels import Channel
from onedoor.core.models import BaseModel

SERVICE_CODE_VALIDATOR = RegexValidator(r"^\d{4,6}$", _("A service code is 4 to 6 digits."), code="invalid_code")


class Lifecycle(models.TextChoices):
    """The generic lifecycle every service's status types map onto (in this order)."""

    REGISTERED = "registered", _("Registered")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CLIENT = "awaiting_client", _("Awaiting the client")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    DECIDED = "decided", _("Decided")
    RESULT_DELIVERED = "result_delivered", _("Result delivered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_LIFECYCLE = frozenset({Lifecycle.CLOSED, Lifecycle.REJECTED, Lifecycle.WITHDRAWN})


class FeeKind(models.TextChoices):
    NONE = "none", _("Free of charge")
    FIXED = "fixed", _("Fixed fee")
    STATE_DUTY = "state_duty", _("State duty")


class PaymentTiming(models.TextChoices):
    NOT_APPLICABLE = "none", _("No payment")
    PREPAYMENT = "prepayment", _("Paid before the service")
    POSTPAYMENT = "postpayment", _("Paid after the service")


class Execution(models.TextChoices):
    PLATFORM = "platform", _("Executed in OneDoor")
    HOLDER_SYSTEM = "holder_system", _("Executed in the holder's system")


class Audience(models.TextChoices):
    NATURAL = "natural", _("Natural persons")
    LEGAL = "legal", _("Legal persons")
    INTERNAL = "internal", _("Civil servants (internal service)")


class PlaceKind(models.TextChoices):
    NATIONAL_CENTRE = "national_centre", _("National customer service centre")
    REGIONAL_CENTRE = "regional_centre", _("Regional customer service centre")
    MUNICIPAL_CENTRE = "municipal_centre", _("Municipal customer service centre")
    INSTITUTION_OFFICE = "institution_office", _("Institution office")


class TaxonomyTerm(BaseModel):
    """A way to browse the catalog: a category or a life situation, named in both languages."""

    code = models.SlugField(max_length=60, unique=True)
    name_lv = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    description_lv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_lv


class Category(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name_plural = "categories"


class LifeSituation(TaxonomyTerm):
    pass


class ChannelOption(models.Model):
    """One row per value of core.channels.Channel, so services can be filtered by channel on any database."""

    code = models.CharField(max_length=30, primary_key=True, choices=Channel.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return str(Channel(self.code).label)


class Service(BaseModel):
    """A public service in the national catalog (CAT-1). Its code is unique and never reused."""

    code = models.CharField(max_length=6, unique=True, validators=[SERVICE_CODE_VALIDATOR])
    pilot_reference = models.CharField(max_length=10, blank=True, help_text=_("Pilot service reference, e.g. P.11."))
    name_lv = models.CharField(max_length=250)
    name_en = models.CharField(max_length=250)
    summary_lv = models.CharField(max_length=400, blank=True)
    summary_en = models.CharField(max_length=400, blank=True)
    description_lv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    holder = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="held_services")
    providers = models.ManyToManyField("parties.Institution", blank=True, related_name="provided_services")
    municipality = models.ForeignKey(
        "parties.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipal_services",
        help_text=_("Set for municipal services: the municipality whose residents it serves."),
    )
    fee_kind = models.CharField(max_length=12, choices=FeeKind.choices, default=FeeKind.NONE)
    fee_amount_cents = models.PositiveIntegerField(null=True, blank=True, help_text=_("Base fee in euro cents."))
    fee_note_lv = models.CharField(max_length=300, blank=True)
    fee_note_en = models.CharField(max_length=300, blank=True)
    payment_timing = models.CharField(
        max_length=12, choices=PaymentTiming.choices, default=PaymentTiming.NOT_APPLICABLE
    )
    application_channels = models.ManyToManyField(ChannelOption, related_name="services_applied")
    result_channels = models.ManyToManyField(ChannelOption, related_name="services_delivered")
    for_natural_persons = models.BooleanField(default=True)
    for_legal_persons = models.BooleanField(default=False)
    is_internal = models.BooleanField(default=False, help_text=_("An internal service for civil servants."))
    categories = models.ManyToManyField(Category, blank=True, related_name="services")
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="services")
    sla_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Target processing time in working days."),
    )
    e_assistant_allowed = models.BooleanField(default=False)
    application_form = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The application form as a JSON Schema (draft 2020-12); the e-assistant fills it (ASST-1)."),
    )
    client_view_consent_required = models.BooleanField(
        default=False,
        help_text=_("A specialist opens the client's profile for this service only with the client's consent (CLI-2)."),
    )
    execution = models.CharField(max_length=16, choices=Execution.choices, default=Execution.PLATFORM)
    external_url = models.URLField(
        blank=True, help_text=_("The e-service address when executed in the holder's system.")
    )
    is_published = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    search_title = models.CharField(max_length=600, editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name_lv"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee_kind="none") | models.Q(fee_amount_cents__isnull=False),
                name="service_fee_amount_when_charged",
            ),
            models.CheckConstraint(
                condition=~models.Q(execution="holder_system") | ~models.Q(external_url=""),
                name="service_external_url_when_hybrid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_lv}"

    @property
    def audiences(self) -> list[str]:
        flags = [
            (self.for_natural_persons, Audience.NATURAL),
            (self.for_legal_persons, Audience.LEGAL),
            (self.is_internal, Audience.INTERNAL),
        ]
        return [audience.value for enabled, audience in flags if enabled]


class ServiceStatusType(models.Model):
    """A status a case of this service can be in, shown to the client; ordered; maps to the lifecycle."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="status_types")
    code = models.SlugField(max_length=50)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices)
    name_lv = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    client_text_lv = models.CharField(max_length=500, blank=True)
    client_text_en = models.CharField(max_length=500, blank=True)
    informs_client = models.BooleanField(default=False)
    is_final = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="status_type_unique_per_service")]

    def __str__(self) -> str:
        return f"{self.service.code}:{self.code}"


class LegalBasis(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="legal_basis")
    title_lv = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    url = models.URLField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position"]
        verbose_name_plural = "legal basis"

    def __str__(self) -> str:
        return self.title_lv


class ServiceVersion(models.Model):
    """A snapshot of a service after each edit (CAT-6)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_fields = models.JSONField(default=list)
    changed_by_id = models.CharField(max_length=64, blank=True)
    changed_by_label = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"


class ApplicationPlace(BaseModel):
    """Where a client can apply in person (CAT-4)."""

    code = models.SlugField(max_length=60, unique=True)
    name_lv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="places")
    address = models.CharField(max_length=300)
    municipality_name = models.CharField(max_length=100)
    latitude = models.DecimalField(
        max_digits=8, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="places")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_lv"]

    def __str__(self) -> str:
        return self.name_lv


class OpeningHours(models.Model):
    place = models.ForeignKey(ApplicationPlace, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)], help_text="1 = Monday"
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["place", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"
