"""The sociale kaart in the staff API (/api/v1/aanbod/, /api/v1/aanbieders/ with the share of
current aanbod per aanbieder): read-only; changes go through the pages (change requests,
checks). The public, standard exchange format is the HSDS API
(kaart/api_hsds.py)."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from core import policy
from core.api import ServiceModelSerializer, TenantReadOnlyViewSet
from kaart import selectors
from kaart.models import Aanbieder, Aanbod


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


class VersheidSerializer(serializers.Serializer):
    actueel = serializers.IntegerField()
    controle_nodig = serializers.IntegerField()
    verouderd = serializers.IntegerField()
    totaal = serializers.IntegerField(help_text="Aanbod dat niet beëindigd is.")
    aandeel_actueel = serializers.FloatField(
        source="aandeel", allow_null=True,
        help_text="Percentage actueel (leeg zonder aanbod): dezelfde regel als de indicator "
                  "'Aandeel actueel aanbod op de sociale kaart' in de monitor.")


class AanbiederSerializer(serializers.ModelSerializer):
    gemeente = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    naam = serializers.CharField(source="organisatie.naam", read_only=True)
    versheid = serializers.SerializerMethodField()

    class Meta:
        model = Aanbieder
        fields = ["id", "uuid", "gemeente", "organisatie", "naam", "versheid"]
        read_only_fields = fields

    @extend_schema_field(VersheidSerializer)
    def get_versheid(self, obj) -> dict:
        versheid = self.context["versheid"].get(obj.organisatie_id, selectors.Versheid())
        return VersheidSerializer(versheid).data


class AanbiederViewSet(TenantReadOnlyViewSet):
    """Aanbieders (organisaties with aanbod on the sociale kaart) and how current their aanbod
    is today. The redacteur (beleidsmedewerker) sees every aanbieder of the gemeente, a
    partner only their own organisation; other roles see none."""

    model = Aanbieder
    serializer_class = AanbiederSerializer
    select_related = ("gemeente", "organisatie")

    def get_queryset(self):
        qs, user = super().get_queryset(), self.request.user
        zichtbaar = Q(pk__in=[])
        for gemeente in policy.gemeenten(user):
            ids = policy.organisatie_ids(user, policy.VIEW, Aanbieder, gemeente)
            if ids is None:
                zichtbaar |= Q(gemeente=gemeente)
            elif ids:
                zichtbaar |= Q(gemeente=gemeente, organisatie_id__in=ids)
        return qs.filter(zichtbaar)

    def _context(self, aanbieders) -> dict:
        per_gemeente: dict = {}
        for a in aanbieders:
            per_gemeente.setdefault(a.gemeente, []).append(a.organisatie_id)
        versheid = {}
        for gemeente, org_ids in per_gemeente.items():
            versheid.update({org.pk: v for org, v in
                             selectors.versheid_per_organisatie(gemeente, org_ids)})
        return {**self.get_serializer_context(), "versheid": versheid}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = AanbiederSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(AanbiederSerializer(obj, context=self._context([obj])).data)
