"""The sociale kaart in the staff API (/api/v1/aanbod/): read-only; changes go through the
pages (change requests, checks). The public, standard exchange format is the HSDS API
(kaart/api_hsds.py)."""

from rest_framework import serializers

from core.api import ServiceModelSerializer, TenantReadOnlyViewSet
from kaart.models import Aanbod


class AanbodSerializer(ServiceModelSerializer):
    levensdomeinen = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Aanbod
        fields = ["id", "uuid", "gemeente", "organisatie", "naam", "korte_beschrijving",
                  "beschrijving", "levensdomeinen", "leeftijd_van", "leeftijd_tot", "doelgroep",
                  "kosten", "prijs", "aanmelden", "wachttijd", "talen", "website", "email",
                  "telefoon", "locaties", "verwijzen", "contactpersoon", "status",
                  "gewijzigd_op", "gecontroleerd_op", "controle_voor"]


class AanbodViewSet(TenantReadOnlyViewSet):
    model = Aanbod
    serializer_class = AanbodSerializer
    select_related = ("gemeente",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("levensdomeinen", "locaties")
