from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onedoor.parties.models import Institution

from ..models import Audience, Category, ChannelOption, LifeSituation, Service, ServiceStatusType
from ..selectors import PlaceDistance


class TextSerializer(serializers.Serializer):
    """A text in both content languages."""

    lv = serializers.CharField()
    en = serializers.CharField()


def bilingual(obj: Any, field: str) -> dict[str, str]:
    return {"lv": getattr(obj, f"{field}_lv"), "en": getattr(obj, f"{field}_en")}


class InstitutionRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = ["code", "name"]

    @extend_schema_field(TextSerializer)
    def get_name(self, obj: Institution) -> dict[str, str]:
        return bilingual(obj, "name")


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    service_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "description", "service_count"]

    @extend_schema_field(TextSerializer)
    def get_name(self, obj: Category | LifeSituation) -> dict[str, str]:
        return bilingual(obj, "name")

    @extend_schema_field(TextSerializer)
    def get_description(self, obj: Category | LifeSituation) -> dict[str, str]:
        return bilingual(obj, "description")


class LifeSituationSerializer(CategorySerializer):
    class Meta:
        model = LifeSituation
        fields = ["code", "name", "description", "service_count"]


class FeeSerializer(serializers.Serializer):
    kind = serializers.CharField(source="fee_kind")
    amount_cents = serializers.IntegerField(source="fee_amount_cents", allow_null=True)
    currency = serializers.SerializerMethodField()
    payment_timing = serializers.CharField()
    note = serializers.SerializerMethodField()

    def get_currency(self, obj: Service) -> str:
        return "EUR"

    @extend_schema_field(TextSerializer)
    def get_note(self, obj: Service) -> dict[str, str]:
        return bilingual(obj, "fee_note")


class ServiceListSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    holder = InstitutionRefSerializer()
    municipality: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Municipality code for municipal services."
    )
    audiences = serializers.ListField(child=serializers.ChoiceField(choices=Audience.choices))
    application_channels: serializers.SlugRelatedField[ChannelOption] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    categories: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "code",
            "pilot_reference",
            "name",
            "summary",
            "holder",
            "municipality",
            "audiences",
            "application_channels",
            "categories",
            "e_assistant_allowed",
            "version",
            "url",
        ]

    @extend_schema_field(TextSerializer)
    def get_name(self, obj: Service) -> dict[str, str]:
        return bilingual(obj, "name")

    @extend_schema_field(TextSerializer)
    def get_summary(self, obj: Service) -> dict[str, str]:
        return bilingual(obj, "summary")

    def get_url(self, obj: Service) -> str:
        request = self.context.get("request")
        path = f"/api/v1/services/{obj.code}"
        return request.build_absolute_uri(path) if request else path


class StatusTypeSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    client_text = serializers.SerializerMethodField()

    class Meta:
        model = ServiceStatusType
        fields = ["code", "lifecycle", "name", "client_text", "informs_client", "is_final"]

    @extend_schema_field(TextSerializer)
    def get_name(self, obj: ServiceStatusType) -> dict[str, str]:
        return bilingual(obj, "name")

    @extend_schema_field(TextSerializer)
    def get_client_text(self, obj: ServiceStatusType) -> dict[str, str]:
        return bilingual(obj, "client_text")


class LegalBasisSerializer(serializers.Serializer):
    title = serializers.SerializerMethodField()
    url = serializers.URLField()

    @extend_schema_field(TextSerializer)
    def get_title(self, obj: Any) -> dict[str, str]:
        return bilingual(obj, "title")


class ServiceDetailSerializer(ServiceListSerializer):
    description = serializers.SerializerMethodField()
    providers = InstitutionRefSerializer(many=True)
    result_channels: serializers.SlugRelatedField[ChannelOption] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    life_situations: serializers.SlugRelatedField[LifeSituation] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    fee = serializers.SerializerMethodField()
    legal_basis = LegalBasisSerializer(many=True)
    statuses = StatusTypeSerializer(many=True, source="status_types")

    class Meta(ServiceListSerializer.Meta):
        fields = [
            *ServiceListSerializer.Meta.fields,
            "description",
            "providers",
            "result_channels",
            "life_situations",
            "fee",
            "sla_days",
            "execution",
            "external_url",
            "legal_basis",
            "statuses",
            "updated_at",
        ]

    @extend_schema_field(TextSerializer)
    def get_description(self, obj: Service) -> dict[str, str]:
        return bilingual(obj, "description")

    @extend_schema_field(FeeSerializer)
    def get_fee(self, obj: Service) -> dict[str, Any]:
        return FeeSerializer(obj).data


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:30"})
class HourMinuteField(serializers.TimeField):
    def __init__(self, **kwargs: Any):
        super().__init__(format="%H:%M", **kwargs)


class OpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="1 = Monday … 7 = Sunday")
    opens = HourMinuteField()
    closes = HourMinuteField()


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(source="place.code")
    name = serializers.SerializerMethodField()
    kind = serializers.CharField(source="place.kind")
    institution = InstitutionRefSerializer(source="place.institution")
    address = serializers.CharField(source="place.address")
    municipality_name = serializers.CharField(source="place.municipality_name")
    latitude = serializers.FloatField(source="place.latitude")
    longitude = serializers.FloatField(source="place.longitude")
    phone = serializers.CharField(source="place.phone")
    email = serializers.CharField(source="place.email")
    opening_hours = OpeningHoursSerializer(source="place.opening_hours.all", many=True)
    distance_km = serializers.FloatField(allow_null=True)

    @extend_schema_field(TextSerializer)
    def get_name(self, obj: PlaceDistance) -> dict[str, str]:
        return bilingual(obj.place, "name")
