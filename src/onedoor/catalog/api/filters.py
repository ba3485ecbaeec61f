"""Query parameters of the catalog API, validated by django-filter; each filter calls a selector."""

import django_filters
from django.db.models import QuerySet

from onedoor.core.channels import Channel
from onedoor.parties.models import Institution, InstitutionKind

from ..models import Audience, Category, LifeSituation, Service
from ..selectors import services_matching


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, help_text="Words to find, in any language.")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", field_name="categories", help_text="Category code."
    )
    life_situation = django_filters.ModelChoiceFilter(
        queryset=LifeSituation.objects.all(),
        to_field_name="code",
        field_name="life_situations",
        help_text="Life situation code.",
    )
    holder = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), to_field_name="code", help_text="Holder institution code, e.g. VSAA."
    )
    audience = django_filters.ChoiceFilter(choices=Audience.choices, method="filter_audience")
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices,
        field_name="application_channels",
        help_text="A channel the service can be applied through.",
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.filter(kind=InstitutionKind.MUNICIPALITY),
        to_field_name="code",
        help_text="Municipality code: that municipality's services.",
    )

    class Meta:
        model = Service
        fields = ["q", "category", "life_situation", "holder", "audience", "channel", "municipality"]

    def filter_q(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return services_matching(queryset, value)

    def filter_audience(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        field = {
            Audience.NATURAL: "for_natural_persons",
            Audience.LEGAL: "for_legal_persons",
            Audience.INTERNAL: "is_internal",
        }[Audience(value)]
        return queryset.filter(**{field: True})

    @property
    def qs(self) -> QuerySet[Service]:
        queryset: QuerySet[Service] = super().qs
        if not self.form.cleaned_data.get("q"):
            queryset = queryset.order_by("name_lv")
        return queryset
