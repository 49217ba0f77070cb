"""API for finance: regelingen (beleidsmedewerker writes, through the service that guards the
plafond), budgets, and read-only aanvragen, beschikkingen and betalingen. A partner sees only
its own organisatie's aanvragen; a coördinator or stuurgroeplid those of its gebied; a partner
sees published regelingen only. Decisions are POST actions on an aanvraag (verlenen, wijzigen,
intrekken, betalen, terugbetalen) that call the same services as the pages; the state machine
(`services.waarom_niet`) refuses a step that is not allowed now with its Dutch reason (400), and
`mogelijke_stappen` on each aanvraag says which steps its status allows. Send an
`Idempotency-Key` header to make a retry safe: the same key is answered with the first result.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core import policy
from core.api import ServiceModelSerializer, TenantModelViewSet, TenantReadOnlyViewSet, call_service
from finance import selectors, services
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Beschikking,
    Betaling,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    Termijn,
)


def _doel_ids(obj) -> list[int]:
    """The ids of the Klaverblad doelen the object is tagged with (read-only in the API;
    tagging goes through the pages and framework.services.set_doelen)."""
    return sorted(k.doel_id for k in obj.doel_koppelingen.all())


class RegelingSerializer(ServiceModelSerializer):
    klaverblad_doelen = serializers.SerializerMethodField()

    class Meta:
        model = Regeling
        fields = ["id", "gemeente", "naam", "omschrijving", "criteria", "plafond", "toegekend",
                  "jaar_van", "jaar_tot", "aanvragen_van", "aanvragen_tot",
                  "beslistermijn_weken", "max_jaren", "gebiedsgebonden", "voorschot_ritme",
                  "voorschot_percentage", "beoordelingspunten", "klaverblad_doelen",
                  "gepubliceerd_op", "verantwoording_weken", "tussentijds_verantwoorden",
                  "ondertekenaar_naam", "ondertekenaar_functie"]
        read_only_fields = ["toegekend", "gepubliceerd_op"]

    def get_klaverblad_doelen(self, obj) -> list[int]:
        return _doel_ids(obj)

    def save_instance(self, instance, m2m):
        return services.save_regeling(self.context["request"].user, instance)


class RegelingViewSet(TenantModelViewSet):
    model = Regeling
    serializer_class = RegelingSerializer

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("doel_koppelingen")
        # A concept regeling only for those who may change it (the pages do the same).
        editors = [m.gemeente_id for m in policy.memberships(self.request.user)
                   if m.role in policy.rule_for(Regeling).grants(policy.CHANGE)]
        return qs.filter(Q(gemeente_id__in=editors) | Q(gepubliceerd_op__isnull=False))

    @extend_schema(request=None, responses={200: RegelingSerializer})
    @action(detail=True, methods=["post"])
    def publiceren(self, request, pk=None):
        regeling = self.get_object()
        call_service(lambda: services.publiceren(request.user, regeling))
        regeling.refresh_from_db()
        return Response(self.get_serializer(regeling).data)


class ProgrammabudgetSerializer(ServiceModelSerializer):
    class Meta:
        model = Programmabudget
        fields = ["id", "gemeente", "jaar", "naam", "bedrag", "toegewezen", "toelichting"]
        read_only_fields = fields


class _BudgetViewers:
    """Budgets are for the roles that may see them (not partners or the jury)."""

    def get_queryset(self):
        qs = super().get_queryset()
        allowed = [m.gemeente_id for m in policy.memberships(self.request.user)
                   if m.role in policy.rule_for(self.model).view]
        return qs.filter(gemeente_id__in=allowed)


class ProgrammabudgetViewSet(_BudgetViewers, TenantReadOnlyViewSet):
    model = Programmabudget
    serializer_class = ProgrammabudgetSerializer


class GebiedsbudgetSerializer(ServiceModelSerializer):
    jaar = serializers.IntegerField(source="programmabudget.jaar", read_only=True)

    class Meta:
        model = Gebiedsbudget
        fields = ["id", "gemeente", "programmabudget", "jaar", "gebied", "bedrag", "toegekend"]
        read_only_fields = fields


class GebiedsbudgetViewSet(_BudgetViewers, TenantReadOnlyViewSet):
    model = Gebiedsbudget
    serializer_class = GebiedsbudgetSerializer
    select_related = ("gemeente", "programmabudget")


class AanvraagJaarSerializer(serializers.ModelSerializer):
    class Meta:
        model = AanvraagJaar
        fields = ["jaar", "gevraagd", "toegekend", "betaald", "besteed", "vastgesteld",
                  "terugvordering", "vrijgevallen"]
        read_only_fields = fields


class TermijnSerializer(serializers.ModelSerializer):
    betaald = serializers.SerializerMethodField()

    class Meta:
        model = Termijn
        fields = ["id", "jaar", "datum", "bedrag", "vervallen", "betaald"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_betaald(self, obj) -> bool:
        return hasattr(obj, "betaling")


class AanvraagSerializer(ServiceModelSerializer):
    nummer = serializers.CharField(read_only=True)
    jaren = AanvraagJaarSerializer(many=True, read_only=True)
    termijnen = TermijnSerializer(many=True, read_only=True)
    klaverblad_doelen = serializers.SerializerMethodField()

    class Meta:
        model = Aanvraag
        fields = ["id", "nummer", "gemeente", "regeling", "organisatie", "initiatiefnemer",
                  "gebied", "titel", "activiteiten", "status", "ingediend_op",
                  "uiterste_beslisdatum", "besloten_op", "besluit_toelichting", "eis",
                  "voorschot_percentage", "gevraagd", "toegekend", "betaald", "vastgesteld",
                  "terugvordering", "vrijgevallen", "terugbetaald", "terugbetalen_voor",
                  "klaverblad_doelen", "jaren", "termijnen", "mogelijke_stappen"]
        read_only_fields = fields

    mogelijke_stappen = serializers.SerializerMethodField()

    def get_klaverblad_doelen(self, obj) -> list[int]:
        return _doel_ids(obj)

    def get_mogelijke_stappen(self, obj) -> list[str]:
        return sorted(services.mogelijke_stappen(obj))


class BedragenSerializer(serializers.Serializer):
    bedragen = serializers.DictField(child=serializers.CharField(), help_text=(
        "Per jaar het bedrag, bijvoorbeeld {\"2026\": \"12500.00\"}."))


class VerlenenSerializer(BedragenSerializer):
    motivering = serializers.CharField(required=False, allow_blank=True, default="")
    voorschot_percentage = serializers.IntegerField(required=False, min_value=0,
                                                    max_value=100)


class WijzigenSerializer(BedragenSerializer):
    reden = serializers.CharField()


class RedenSerializer(serializers.Serializer):
    reden = serializers.CharField()


class BetalenSerializer(serializers.Serializer):
    termijn = serializers.IntegerField()
    datum = serializers.DateField(required=False)


class TerugbetalenSerializer(serializers.Serializer):
    bedrag = serializers.CharField()
    datum = serializers.DateField(required=False)


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Een eigen sleutel per besluit: dezelfde sleutel nog eens krijgt het eerste "
                "antwoord, er wordt niets twee keer gedaan.")


class _ScopedAanvragen:
    """Only the aanvragen (and their beschikkingen and betalingen) the user may see."""

    aanvraag_path = "aanvraag__"

    def get_queryset(self):
        qs = super().get_queryset()
        scope = selectors.aanvraag_scope(self.request.user)
        if self.aanvraag_path:
            return qs.filter(aanvraag__in=Aanvraag.objects.filter(scope).values("pk"))
        return qs.filter(scope)


@extend_schema_view(create=extend_schema(exclude=True))  # POST only for the step actions
class AanvraagViewSet(_ScopedAanvragen, TenantReadOnlyViewSet):
    model = Aanvraag
    serializer_class = AanvraagSerializer
    aanvraag_path = ""
    select_related = ("gemeente", "regeling")
    http_method_names = ["get", "head", "options", "post"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("jaren", "termijnen__betaling",
                                                       "doel_koppelingen")

    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed("POST")

    def _step(self, request, serializer_class, fn):
        try:
            aanvraag = self.get_object()
        except Http404:
            # Of the user's own gemeente but not theirs to see: not allowed (403); of another
            # gemeente: does not exist (404).
            pk = str(self.kwargs["pk"])
            if pk.isdigit() and Aanvraag.objects.filter(
                    pk=pk, gemeente_id__in=policy.gemeente_ids(request.user)).exists():
                raise exceptions.PermissionDenied("U mag dit niet doen.") from None
            raise
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        sleutel = request.headers.get("Idempotency-Key", "")[:64]
        call_service(lambda: fn(aanvraag, data.validated_data, sleutel))
        aanvraag = self.get_queryset().get(pk=aanvraag.pk)
        return Response(self.get_serializer(aanvraag).data)

    @extend_schema(request=VerlenenSerializer, responses={200: AanvraagSerializer},
                   parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def verlenen(self, request, pk=None):
        return self._step(request, VerlenenSerializer, lambda a, d, k: services.verlenen(
            request.user, a, bedragen=d["bedragen"], motivering=d["motivering"],
            voorschot_percentage=d.get("voorschot_percentage"), sleutel=k))

    @extend_schema(request=WijzigenSerializer, responses={200: AanvraagSerializer},
                   parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def wijzigen(self, request, pk=None):
        return self._step(request, WijzigenSerializer, lambda a, d, k: services.wijzigen(
            request.user, a, bedragen=d["bedragen"], reden=d["reden"], sleutel=k))

    @extend_schema(request=RedenSerializer, responses={200: AanvraagSerializer},
                   parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def intrekken(self, request, pk=None):
        return self._step(request, RedenSerializer, lambda a, d, k: services.intrekken(
            request.user, a, reden=d["reden"], sleutel=k))

    @extend_schema(request=BetalenSerializer, responses={200: AanvraagSerializer},
                   parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def betalen(self, request, pk=None):
        def pay(a, d, k):
            policy.require(request.user, policy.ADD, Betaling(gemeente_id=a.gemeente_id,
                                                              aanvraag=a))
            termijn = Termijn.objects.filter(aanvraag=a, pk=d["termijn"]).first()
            if termijn is None:
                raise DjangoValidationError({"termijn": "Deze termijn hoort niet bij de "
                                                        "aanvraag."})
            return services.betaal_termijn(request.user, termijn, datum=d.get("datum"),
                                           sleutel=k)
        return self._step(request, BetalenSerializer, pay)

    @extend_schema(request=TerugbetalenSerializer, responses={200: AanvraagSerializer},
                   parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def terugbetalen(self, request, pk=None):
        return self._step(request, TerugbetalenSerializer, lambda a, d, k: services.terugbetalen(
            request.user, a, bedrag=d["bedrag"], datum=d.get("datum"), sleutel=k))


class BeschikkingSerializer(ServiceModelSerializer):
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Beschikking
        fields = ["id", "gemeente", "aanvraag", "soort", "kenmerk", "datum", "inhoud", "pdf"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_pdf(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_pdf_url()
        return request.build_absolute_uri(url) if request else url


class BeschikkingViewSet(_ScopedAanvragen, TenantReadOnlyViewSet):
    model = Beschikking
    serializer_class = BeschikkingSerializer


class BetalingSerializer(ServiceModelSerializer):
    class Meta:
        model = Betaling
        fields = ["id", "gemeente", "aanvraag", "termijn", "soort", "jaar", "datum", "bedrag"]
        read_only_fields = fields


class BetalingViewSet(_ScopedAanvragen, TenantReadOnlyViewSet):
    model = Betaling
    serializer_class = BetalingSerializer
