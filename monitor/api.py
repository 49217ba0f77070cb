"""Monitor API: indicators, measurements, targets and aggregated series.

Every number comes from the rollup or, for measurements, from RegioWaarde (the view over Meting
the rollup copies its region rows from); in both, values on fewer than the gemeente's minimum are
already suppressed, and so are the values that would let someone compute them (complementary
suppression, monitor.suppressie): such a point has status 'onderdrukt' and no waarde, teller,
noemer or n.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from core.api import ServiceModelSerializer, TenantModelViewSet, TenantReadOnlyViewSet, request_user
from framework.api import DoelenSerializerMixin
from framework.selectors import prefetch_doelen
from monitor import selectors, services
from monitor.models import Indicator, RegioWaarde, Status, Streefwaarde
from regions.models import Gebied


class IndicatorSerializer(DoelenSerializerMixin, ServiceModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "gemeente", "code", "naam", "definitie", "eenheid", "richting", "bron",
                  "niveaus", "periodetype", "is_ratio", "teller_definitie", "noemer_definitie",
                  "toelichting", "volgorde", "ondergrens", "bovengrens", "klaverblad_doelen"]

    def save_instance(self, instance, m2m):
        return services.save_indicator(request_user(self.context), instance,
                                       doelen=getattr(self, "_doelen", None))


class IndicatorViewSet(TenantModelViewSet):
    """The indicator catalogue; `klaverblad_doelen` are the Klaverblad doelen it is tagged
    with."""

    model = Indicator
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related(prefetch_doelen())


class MetingSerializer(serializers.ModelSerializer):
    indicator = serializers.PrimaryKeyRelatedField(read_only=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True)
    periode = serializers.CharField(source="periode.code", read_only=True)

    class Meta:
        model = RegioWaarde
        fields = ["id", "indicator", "region", "regio_code", "soort", "periode", "waarde",
                  "teller", "noemer", "n", "status", "indeling_jaar", "breuk"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("indicator", OpenApiTypes.INT, description="Id van de indicator."),
    OpenApiParameter("periode", OpenApiTypes.STR, description="Bijvoorbeeld 2022."),
    OpenApiParameter("soort", OpenApiTypes.STR,
                     description="gemeente, wijk, buurt of land (Nederland)."),
    OpenApiParameter("regio", OpenApiTypes.STR,
                     description="CBS-code, bijvoorbeeld WK001410; NL01 is Nederland."),
]))
class MetingViewSet(TenantReadOnlyViewSet):
    """Measurements per CBS region and periode, as published: small numbers suppressed
    (status 'onderdrukt', no numbers), and so are figures from which a suppressed one could be
    computed (a gebied minus its other buurten), CBS-secret values without numbers (status
    'geheim'), randomly rounded CBS wijk/buurt figures marked 'afgerond' (they do not add up
    exactly)."""

    model = RegioWaarde
    serializer_class = MetingSerializer
    select_related = ()

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if params.get("indicator", "").isdigit():
            qs = qs.filter(indicator_id=int(params["indicator"]))
        if params.get("periode"):
            qs = qs.filter(periode=params["periode"])
        if params.get("soort"):
            qs = qs.filter(soort=params["soort"])
        if params.get("regio"):
            qs = qs.filter(regio_code=params["regio"].strip().upper())
        return qs


class StreefwaardeSerializer(ServiceModelSerializer):
    class Meta:
        model = Streefwaarde
        fields = ["id", "gemeente", "indicator", "gebied", "region", "periode", "waarde",
                  "toelichting"]

    def save_instance(self, instance, m2m):
        return services.save_streefwaarde(request_user(self.context), instance)


class StreefwaardeViewSet(TenantModelViewSet):
    """Targets per gebied or for the gemeente as a whole (its CBS gemeente region)."""

    model = Streefwaarde
    serializer_class = StreefwaardeSerializer


class PuntSerializer(serializers.Serializer):
    periode = serializers.CharField()
    waarde = serializers.FloatField(allow_null=True)
    teller = serializers.FloatField(allow_null=True)
    noemer = serializers.FloatField(allow_null=True)
    n = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    breuk = serializers.BooleanField(help_text="Dit punt ligt op een andere CBS-indeling dan "
                                               "het vorige: trek geen lijn er doorheen.")
    indeling_jaar = serializers.IntegerField()


class ReeksSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id van de indicator.")
    code = serializers.CharField()
    naam = serializers.CharField()
    eenheid = serializers.CharField()
    gebied = serializers.IntegerField(allow_null=True)
    regio = serializers.CharField(allow_null=True)
    punten = PuntSerializer(many=True)


def _punt_dict(p):
    return {"periode": p.periode.code, "waarde": p.waarde, "teller": p.teller,
            "noemer": p.noemer, "n": p.n, "status": p.status, "breuk": p.breuk,
            "indeling_jaar": p.indeling_jaar}


SCOPE_PARAMS = [
    OpenApiParameter("gebied", OpenApiTypes.INT, description="Id van een gebied."),
    OpenApiParameter("regio", OpenApiTypes.STR,
                     description="CBS-code; NL01 is Nederland (het landelijke cijfer, als dat "
                                 "is ingelezen); zonder gebied of regio: de hele gemeente."),
]


@extend_schema_view(list=extend_schema(parameters=SCOPE_PARAMS),
                    retrieve=extend_schema(parameters=SCOPE_PARAMS))
class ReeksViewSet(TenantReadOnlyViewSet):
    """Aggregated series per indicator (detail: /reeksen/<indicator id>/), for the gemeente,
    a gebied (?gebied=<id>), a CBS region (?regio=<code>) or Nederland (?regio=NL01, as
    imported by this gemeente). A gebied's value is computed from its wijken/buurten with
    teller and noemer; suppressed points carry no numbers."""

    model = Indicator
    serializer_class = ReeksSerializer

    def _scope(self, gemeente_id):
        params = self.request.query_params
        if params.get("gebied"):
            gebied = Gebied.objects.filter(pk=params["gebied"] if params["gebied"].isdigit()
                                           else 0, gemeente_id=gemeente_id).first()
            if gebied is None:
                raise Http404
            return gebied, gebied.pk, None
        if params.get("regio"):
            code = params["regio"].strip().upper()
            return selectors.RegioCode(code), None, code
        return None, None, None

    def _reeks(self, indicator):
        scope, gebied_id, code = self._scope(indicator.gemeente_id)
        punten = selectors.reeks(self.request.user, indicator.gemeente, indicator, scope)
        return {"id": indicator.pk, "code": indicator.code, "naam": indicator.naam,
                "eenheid": indicator.eenheid, "gebied": gebied_id,
                "regio": code or (None if gebied_id else indicator.gemeente.cbs_code),
                "punten": [_punt_dict(p) for p in punten]}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self._reeks(i) for i in page])

    def retrieve(self, request, *args, **kwargs):
        from rest_framework.response import Response

        return Response(self._reeks(self.get_object()))
