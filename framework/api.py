from rest_framework import serializers

from core.api import ServiceModelSerializer, TenantModelViewSet, TenantRelatedField, request_user
from framework import selectors, services
from framework.models import Doel, Kader, Thema


class DoelenSerializerMixin(serializers.Serializer):
    """`klaverblad_doelen`: ids of the Klaverblad doelen an object is tagged with. Writing it
    goes through framework.services.set_doelen (in the serializer's save_instance)."""

    klaverblad_doelen = TenantRelatedField(
        many=True, required=False,
        queryset=Doel.objects.filter(kader__soort=Kader.Soort.KLAVERBLAD),
        help_text="Ids van doelen van het Klaverblad.")

    def create(self, validated_data):
        self._doelen = validated_data.pop("klaverblad_doelen", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        self._doelen = validated_data.pop("klaverblad_doelen", None)
        return super().update(instance, validated_data)


class KaderSerializer(ServiceModelSerializer):
    class Meta:
        model = Kader
        fields = ["id", "gemeente", "soort", "naam", "missie", "visie", "kern", "leeftijd_van",
                  "leeftijd_tot", "geldig_van", "geldig_tot", "bron"]


class KaderViewSet(TenantModelViewSet):
    """Goal frameworks: the Klaverblad (soort 'klaverblad') and other kaders mapped onto it."""

    model = Kader
    serializer_class = KaderSerializer


class ThemaSerializer(ServiceModelSerializer):
    class Meta:
        model = Thema
        fields = ["id", "gemeente", "kader", "naam", "volgorde"]


class ThemaViewSet(TenantModelViewSet):
    model = Thema
    serializer_class = ThemaSerializer


class DoelSerializer(DoelenSerializerMixin, ServiceModelSerializer):
    class Meta:
        model = Doel
        fields = ["id", "gemeente", "kader", "nummer", "tekst", "toelichting", "thema",
                  "klaverblad_doelen"]

    def save_instance(self, instance, m2m):
        return services.save_doel(request_user(self.context), instance,
                                  klaverblad_doelen=getattr(self, "_doelen", None))


class DoelViewSet(TenantModelViewSet):
    """Doelen of every kader. For a doel of another kader, `klaverblad_doelen` is its mapping
    onto the Klaverblad. Filter: ?kader=<id>."""

    model = Doel
    serializer_class = DoelSerializer
    select_related = ("gemeente", "kader")

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related(selectors.prefetch_doelen())
        kader = self.request.query_params.get("kader")
        if kader and kader.isdigit():
            qs = qs.filter(kader_id=int(kader))
        return qs
