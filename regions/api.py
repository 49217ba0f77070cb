from rest_framework import serializers

from core.api import ServiceModelSerializer, TenantModelViewSet, TenantReadOnlyViewSet
from regions import services
from regions.models import Gebied, Region


class RegionSerializer(ServiceModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "gemeente", "jaar", "soort", "code", "naam", "parent"]


class RegionViewSet(TenantReadOnlyViewSet):
    """CBS regions per indeling year. Filters: ?gemeente=GM0014&jaar=2022&soort=wijk.
    Regions are written by the CSV import only."""

    model = Region
    serializer_class = RegionSerializer
    select_related = ("gemeente", "parent")

    def get_queryset(self):
        qs = super().get_queryset()
        jaar, soort = self.request.query_params.get("jaar"), self.request.query_params.get("soort")
        if jaar and jaar.isdigit():
            qs = qs.filter(jaar=int(jaar))
        if soort:
            qs = qs.filter(soort=soort)
        return qs


class GebiedSerializer(ServiceModelSerializer):
    class Meta:
        model = Gebied
        fields = ["id", "gemeente", "naam", "afkorting", "beschrijving", "jaar", "regions"]

    def save_instance(self, instance, m2m):
        regions = m2m.get("regions")
        if regions is None:
            regions = list(instance.regions.all()) if instance.pk else []
        return services.save_gebied(self.context["request"].user, instance, regions)


class GebiedViewSet(TenantModelViewSet):
    model = Gebied
    serializer_class = GebiedSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("regions")
