"""Klaverblad-toets through the API: list and read tested documents with the judgement per doel
(the same JSON as `manage.py toets --json`), and test a new one (multipart upload)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.parsers import FormParser, MultiPartParser

from core import policy
from core.api import GemeenteField, TenantRelatedField, request_user
from core.models import Gemeente
from network.models import Organisatie
from toets import selectors, services, tekst
from toets.models import Beleidsdocument, Beleidsterrein, Status


class BewijsSerializer(serializers.Serializer):
    pagina = serializers.IntegerField(help_text="Pagina (PDF) of hoofdstuk (andere formaten).")
    kop = serializers.CharField(allow_blank=True)
    tekst = serializers.CharField()
    termen = serializers.ListField(child=serializers.CharField())


class DoelOordeelSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, help_text="Het oordeel (na "
                                     "beoordeling door een beleidsmedewerker).")
    machine_status = serializers.ChoiceField(choices=Status.choices,
                                             help_text="Wat de toets zelf zei.")
    reden = serializers.CharField()
    bewijs = BewijsSerializer(many=True)


class ToetsStandSerializer(serializers.Serializer):
    stand = serializers.ChoiceField(
        choices=["wacht", "bezig", "klaar", "mislukt"],
        help_text="Een lang document wordt op de achtergrond getoetst: tot de stand 'klaar' is, "
                  "is 'doelen' leeg (of de uitkomst van de vorige toetsing).")
    gedaan = serializers.IntegerField(help_text="Passages getoetst.")
    totaal = serializers.IntegerField(help_text="Passages in het document.")


class ToetsDocumentSerializer(serializers.ModelSerializer):
    gemeente = GemeenteField()
    organisatie = TenantRelatedField(queryset=Organisatie.objects.all(), allow_null=True,
                                     required=False)
    bestand = serializers.FileField(write_only=True, required=False,
                                    help_text="PDF, DOCX, ODT, HTML, Markdown of tekst.")
    tekst = serializers.CharField(write_only=True, required=False,
                                  help_text="Of de tekst zelf (in plaats van een bestand).")
    sleutel = serializers.UUIDField(
        write_only=True, required=False,
        help_text="Eenmalige sleutel (UUID): dezelfde aanvraag twee keer gestuurd slaat één "
                  "document op.")
    lexicon_versie = serializers.SerializerMethodField()
    toets = serializers.SerializerMethodField()
    doelen = serializers.SerializerMethodField()

    class Meta:
        model = Beleidsdocument
        fields = ["id", "gemeente", "titel", "beleidsterrein", "jaar", "eigenaar", "organisatie",
                  "bestandsnaam", "soort", "paginas", "bestand", "tekst", "sleutel",
                  "lexicon_versie", "toets", "doelen"]
        read_only_fields = ["bestandsnaam", "soort", "paginas"]
        # No unique-together check for (gemeente, sleutel): a repeated sleutel is not an error,
        # the service answers with the document of the first request.
        validators = []

    def get_lexicon_versie(self, obj) -> int | None:
        toetsing = obj.laatste_toetsing
        return toetsing.lexicon.versie if toetsing else None

    @extend_schema_field(ToetsStandSerializer)
    def get_toets(self, obj) -> dict:
        opdracht = obj.opdrachten.order_by("-pk").first()
        if opdracht is None:
            return {"stand": "klaar", "gedaan": 0, "totaal": 0}
        return {"stand": opdracht.stand, "gedaan": opdracht.gedaan, "totaal": opdracht.totaal}

    @extend_schema(responses=DoelOordeelSerializer)
    def get_doelen(self, obj) -> dict[str, dict]:
        toetsing = obj.laatste_toetsing
        if toetsing is None:
            return {}
        return {str(o.doel.nummer): {
            "status": o.status, "machine_status": o.machine_status,
            "reden": o.reden if o.overschreven else o.machine_reden,
            "bewijs": [{"pagina": b.passage.pagina, "kop": b.passage.kop,
                        "tekst": b.passage.tekst, "termen": b.termen}
                       for b in o.bewijzen.all() if b.beoordeling != "afgewezen"]}
            for o in selectors.oordelen(toetsing)}

    def validate(self, attrs):
        bestand, geplakt = attrs.get("bestand"), (attrs.get("tekst") or "").strip()
        if not bestand and not geplakt:
            raise serializers.ValidationError({"bestand": "Stuur een bestand of de tekst."})
        if bestand and bestand.size > tekst.MAX_BYTES:
            raise serializers.ValidationError(
                {"bestand": f"Het bestand is te groot; hoogstens "
                            f"{tekst.MAX_BYTES // (1024 * 1024)} MB."})
        if attrs["beleidsterrein"] not in Beleidsterrein.values:
            raise serializers.ValidationError({"beleidsterrein": "Onbekend beleidsterrein."})
        return attrs

    def create(self, validated_data):
        bestand = validated_data.pop("bestand", None)
        geplakt = validated_data.pop("tekst", "")
        data, naam = (bestand.read(), bestand.name) if bestand else (geplakt.encode(), "")
        try:
            return services.toets_document(request_user(self.context), data=data,
                                           bestandsnaam=naam, **validated_data)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None


class ToetsDocumentViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents held against the Klaverblad: a beleidsmedewerker sees every document of the
    gemeente, a partner only those of their own organisatie."""

    serializer_class = ToetsDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        qs = selectors.documenten(self.request.user)
        code = self.request.query_params.get("gemeente")
        if code:
            qs = qs.filter(gemeente__cbs_code=code.upper())
        return qs.order_by("pk")

    def perform_create(self, serializer):
        gemeente: Gemeente = serializer.validated_data["gemeente"]
        if not policy.is_member(self.request.user, gemeente):
            raise exceptions.ValidationError({"gemeente": "Onbekende gemeente."})
        serializer.save()
