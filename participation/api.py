"""REST API of participation: elections (counts only after the window closed), public
candidates, and youth voices with their answers and follow-up. Tenant-scoped like every route."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import policy
from core.api import ServiceModelSerializer, TenantModelViewSet, TenantReadOnlyViewSet
from framework.selectors import prefetch_doelen
from participation import selectors
from participation.models import Inzending, Kandidaat, Terugkoppeling, Verkiezing, Vervolgactie


class ViewRuleMixin:
    """Only rows of gemeenten where the user has a role that may view this model."""

    def get_queryset(self):
        rule = policy.rule_for(self.model)
        ids = {m.gemeente_id for m in policy.memberships(self.request.user)
               if m.role in rule.view}
        return super().get_queryset().filter(gemeente_id__in=ids)


class VerkiezingSerializer(ServiceModelSerializer):
    fase = serializers.SerializerMethodField()
    opkomst = serializers.SerializerMethodField()
    uitslag = serializers.SerializerMethodField(
        help_text="Stemmen per kandidaat en kanaal; null zolang het stemmen niet voorbij is.")

    class Meta:
        model = Verkiezing
        fields = ["id", "gemeente", "jaar", "toelichting", "aanmelding_start", "aanmelding_eind",
                  "jury_eind", "stemmen_start", "stemmen_eind", "uitslag_datum",
                  "installatie_datum", "installatie_vergadering", "kanaal_codes",
                  "kanaal_email", "fase", "opkomst", "uitslag"]

    def get_fase(self, obj) -> str:
        return obj.fase()

    @extend_schema_field({"type": "object", "properties": {
        "totaal": {"type": "integer"}, "per_kanaal": {"type": "object"}}})
    def get_opkomst(self, obj):
        o = selectors.opkomst(obj)
        return {"totaal": o["totaal"], "per_kanaal": o["counts"]}

    @extend_schema_field({"type": "object", "nullable": True})
    def get_uitslag(self, obj):
        if not obj.stemmen_gesloten():
            return None
        t = selectors.telling(obj)
        uitslag = getattr(obj, "uitslag", None)
        return {
            "kandidaten": [{"kandidaat": r["kandidaat"].pk, "nummer": r["nummer"],
                            "per_kanaal": r["per_kanaal"], "totaal": r["totaal"]}
                           for r in t["kandidaten"]],
            "per_kanaal": t["per_kanaal"], "totaal": t["totaal"],
            "kinderburgemeester": uitslag.kinderburgemeester_id if uitslag else None,
            "loco": uitslag.loco_id if uitslag else None,
            "loting": uitslag.loting if uitslag else None,
        }


class VerkiezingViewSet(TenantModelViewSet):
    """An election with applications or votes cannot be deleted (400)."""

    model = Verkiezing
    serializer_class = VerkiezingSerializer


class KandidaatSerializer(serializers.ModelSerializer):
    voornaam = serializers.CharField(source="aanmelding.voornaam")
    school = serializers.CharField(source="aanmelding.school_naam")
    motivatie = serializers.CharField(source="aanmelding.motivatie")
    gemeente = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    pagina = serializers.SerializerMethodField()
    foto = serializers.SerializerMethodField()
    vlog = serializers.SerializerMethodField()

    class Meta:
        model = Kandidaat
        fields = ["id", "gemeente", "verkiezing", "nummer", "voornaam", "school", "motivatie",
                  "pagina", "foto", "vlog"]

    def _url(self, obj, name):
        url = reverse(name, kwargs={"gemeente": obj.gemeente.slug, "pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_pagina(self, obj) -> str:
        return self._url(obj, "participation:publiek-kandidaat")

    def get_foto(self, obj) -> str | None:
        return self._url(obj, "participation:publiek-kandidaat-foto") \
            if obj.aanmelding.foto else None

    def get_vlog(self, obj) -> str | None:
        return self._url(obj, "participation:publiek-kandidaat-vlog") \
            if obj.aanmelding.vlog else None


class KandidaatViewSet(TenantReadOnlyViewSet):
    """Candidates whose parent consented to a public page."""

    model = Kandidaat
    serializer_class = KandidaatSerializer
    select_related = ("gemeente", "aanmelding__school")

    def get_queryset(self):
        return super().get_queryset().filter(publiek=True, aanmelding__toestemming_publiek=True)


class VervolgactieSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vervolgactie
        fields = ["id", "omschrijving", "eigenaar", "status", "streefdatum"]


class TerugkoppelingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Terugkoppeling
        fields = ["id", "tekst", "datum"]


class InzendingSerializer(serializers.ModelSerializer):
    gemeente = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    status = serializers.CharField(read_only=True)
    te_laat = serializers.SerializerMethodField()
    vervolgacties = VervolgactieSerializer(many=True, read_only=True)
    terugkoppelingen = TerugkoppelingSerializer(many=True, read_only=True)
    klaverblad_doelen = serializers.SerializerMethodField()

    class Meta:
        model = Inzending
        # No e-mail address and no tracking code hash: the API does not hand out personal data.
        # `tekst` is what the child wrote (for staff); `publieke_tekst` the approved version.
        fields = ["id", "gemeente", "soort", "onderwerp", "tekst", "publiek_onderwerp",
                  "publieke_tekst", "goedgekeurd_op", "verborgen_op", "spam_op",
                  "geanonimiseerd_op", "thema", "gebied", "wijk", "adviesronde",
                  "openbaar", "ontvangen_op", "deadline", "behandelaar", "status", "antwoord",
                  "beantwoord_op", "gesloten_op", "geescaleerd_op", "te_laat", "vervolgacties",
                  "terugkoppelingen", "klaverblad_doelen"]

    def get_te_laat(self, obj) -> bool:
        return obj.te_laat()

    def get_klaverblad_doelen(self, obj) -> list[int]:
        return [d.pk for d in obj.klaverblad_doelen()]


class InzendingViewSet(ViewRuleMixin, TenantReadOnlyViewSet):
    """Youth voices with their public answer and follow-up (for the beleidsmedewerker)."""

    model = Inzending
    serializer_class = InzendingSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("vervolgacties", "terugkoppelingen",
                                                       prefetch_doelen())
