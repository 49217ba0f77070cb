"""API for finance: regelingen (beleidsmedewerker writes, through the service that guards the
plafond), budgets, and read-only aanvragen, beschikkingen and betalingen. A partner sees only
its own organisatie's aanvragen; a coördinator or stuurgroeplid those of its gebied. Decisions
are taken on the pages (or by calling finance.services), not through generic PATCHes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import policy
from core.api import ServiceModelSerializer, TenantModelViewSet, TenantReadOnlyViewSet
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
                  "voorschot_percentage", "beoordelingspunten", "klaverblad_doelen"]
        read_only_fields = ["toegekend"]

    def get_klaverblad_doelen(self, obj) -> list[int]:
        return _doel_ids(obj)

    def save_instance(self, instance, m2m):
        return services.save_regeling(self.context["request"].user, instance)


class RegelingViewSet(TenantModelViewSet):
    model = Regeling
    serializer_class = RegelingSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("doel_koppelingen")


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
                  "terugvordering"]
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
                  "terugvordering", "klaverblad_doelen", "jaren", "termijnen"]
        read_only_fields = fields

    def get_klaverblad_doelen(self, obj) -> list[int]:
        return _doel_ids(obj)


class _ScopedAanvragen:
    """Only the aanvragen (and their beschikkingen and betalingen) the user may see."""

    aanvraag_path = "aanvraag__"

    def get_queryset(self):
        qs = super().get_queryset()
        scope = selectors.aanvraag_scope(self.request.user)
        if self.aanvraag_path:
            return qs.filter(aanvraag__in=Aanvraag.objects.filter(scope).values("pk"))
        return qs.filter(scope)


class AanvraagViewSet(_ScopedAanvragen, TenantReadOnlyViewSet):
    model = Aanvraag
    serializer_class = AanvraagSerializer
    aanvraag_path = ""
    select_related = ("gemeente",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("jaren", "termijnen__betaling",
                                                       "doel_koppelingen")


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
