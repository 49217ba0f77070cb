"""REST API for wijkplannen. Writes go through plans.services, like the pages.

Optimistic locking: a change of a concept (its fields, a pijler, an activiteit) must send the
version's `revisie` as the client last read it. If the concept changed since, the answer is
409 Conflict and nothing is written. A vastgestelde version answers 400 to any change.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import (
    ServiceModelSerializer,
    TenantModelViewSet,
    TenantRelatedField,
    call_service,
    request_user,
)
from framework.api import DoelenSerializerMixin
from framework.selectors import prefetch_doelen
from monitor.models import Streefwaarde
from plans import services
from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("De versie is intussen gewijzigd.")
    default_code = "conflict"


def call_concept_service(fn):
    """core.api.call_service, and a concept changed since the client read it answers 409."""
    def met_conflict():
        try:
            return fn()
        except services.VersieGewijzigd as exc:
            raise Conflict({"detail": exc.messages[0], "versie": exc.versie.pk,
                            "revisie": exc.versie.revisie}) from None
    return call_service(met_conflict)


class WijkplanSerializer(ServiceModelSerializer):
    class Meta:
        model = Wijkplan
        fields = ["id", "gemeente", "gebied", "naam", "jaar_van", "jaar_tot", "beschrijving"]

    def save_instance(self, instance, m2m):
        if instance._state.adding:
            services.create_wijkplan(request_user(self.context), instance)
            return instance
        return services.save_wijkplan(request_user(self.context), instance)


class WijkplanViewSet(TenantModelViewSet):
    """Wijkplannen. Creating one also creates its first concept version."""

    model = Wijkplan
    serializer_class = WijkplanSerializer
    select_related = ("gemeente", "gebied")

    def perform_destroy(self, instance):
        call_concept_service(lambda: services.delete_wijkplan(self.request.user, instance))


class RevisieField(serializers.IntegerField):
    """The version's lock counter: read it with the object, send it back with a change."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Revisie van de versie zoals u die las; verplicht bij "
                          "een wijziging.")
        super().__init__(**kwargs)


class LockedSerializerMixin:
    """Pops `revisie` and refuses a real change without it. An empty PATCH changes nothing."""

    def _revisie(self, validated_data, instance=None):
        revisie = validated_data.pop("revisie", None)
        changes = bool(validated_data) or getattr(self, "_doelen", None) is not None
        if changes and revisie is None:
            raise exceptions.ValidationError({"revisie": _("Stuur de revisie van de versie mee, "
                                                           "zoals u die las.")})
        return revisie, changes


class VersieSerializer(LockedSerializerMixin, ServiceModelSerializer):
    revisie = RevisieField()

    class Meta:
        model = WijkplanVersie
        fields = ["id", "gemeente", "wijkplan", "nummer", "jaar", "titel", "inleiding",
                  "organisatie", "speerpunten", "status", "revisie", "bijgesteld_van",
                  "aangeboden_op", "aanbieding", "teruggestuurd_op", "terugstuurreden",
                  "vastgesteld_op", "vastgesteld_als", "rollen_snapshot"]
        read_only_fields = ["wijkplan", "nummer", "status", "bijgesteld_van", "aangeboden_op",
                            "aanbieding", "teruggestuurd_op", "terugstuurreden",
                            "vastgesteld_op", "vastgesteld_als", "rollen_snapshot"]

    def update(self, instance, validated_data):
        revisie, changes = self._revisie(validated_data, instance)
        if not changes:
            return instance
        for key, value in validated_data.items():
            if key == "gemeente" and value.pk != instance.gemeente_id:
                raise exceptions.ValidationError(
                    {"gemeente": _("De gemeente kan niet veranderen.")})
            setattr(instance, key, value)
        return call_concept_service(lambda: services.save_versie(
            request_user(self.context), instance, revisie=revisie))


class VaststellenSerializer(serializers.Serializer):
    revisie = serializers.IntegerField(help_text="De revisie van de versie zoals u die las.")


class AanbiedenSerializer(VaststellenSerializer):
    bericht = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                    help_text="Bericht aan de stuurgroep.")


class TerugsturenSerializer(VaststellenSerializer):
    redenen = serializers.CharField(max_length=4000,
                                    help_text="Waarom de versie teruggaat naar de coördinator.")


class BijstellenSerializer(serializers.Serializer):
    jaar = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


@extend_schema_view(create=extend_schema(exclude=True))  # always 405: see create()
class VersieViewSet(TenantModelViewSet):
    """Versions of wijkplannen. New versions come from creating a wijkplan or from
    `bijstellen`. A concept is offered to the stuurgroep with `aanbieden`; the stuurgroep
    `vaststellen` it or `terugsturen` it (with reasons) to concept."""

    model = WijkplanVersie
    serializer_class = VersieSerializer
    select_related = ("gemeente", "wijkplan__gebied")
    http_method_names = ["get", "head", "options", "patch", "put", "delete", "post"]

    def get_queryset(self):
        qs = super().get_queryset()
        wijkplan = self.request.query_params.get("wijkplan")
        if wijkplan and wijkplan.isdigit():
            qs = qs.filter(wijkplan_id=int(wijkplan))
        return qs

    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed("POST", detail=_(
            "Maak een nieuwe versie met 'bijstellen' of een nieuw wijkplan."))

    def perform_destroy(self, instance):
        call_concept_service(lambda: services.delete_concept(self.request.user, instance))

    def _stap(self, request, serializer_class, step):
        versie = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        call_concept_service(lambda: step(request.user, versie, **data.validated_data))
        versie.refresh_from_db()
        return Response(self.get_serializer(versie).data)

    @extend_schema(request=AanbiedenSerializer, responses=VersieSerializer)
    @action(detail=True, methods=["post"])
    def aanbieden(self, request, pk=None):
        return self._stap(request, AanbiedenSerializer, services.aanbieden)

    @extend_schema(request=TerugsturenSerializer, responses=VersieSerializer)
    @action(detail=True, methods=["post"])
    def terugsturen(self, request, pk=None):
        return self._stap(request, TerugsturenSerializer, services.terugsturen)

    @extend_schema(request=VaststellenSerializer, responses=VersieSerializer)
    @action(detail=True, methods=["post"])
    def vaststellen(self, request, pk=None):
        return self._stap(request, VaststellenSerializer, services.vaststellen)

    @extend_schema(request=BijstellenSerializer, responses={201: VersieSerializer})
    @action(detail=True, methods=["post"])
    def bijstellen(self, request, pk=None):
        versie = self.get_object()
        data = BijstellenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        nieuw = call_concept_service(lambda: services.bijstellen(
            request.user, versie, jaar=data.validated_data.get("jaar")))
        return Response(self.get_serializer(nieuw).data, status=status.HTTP_201_CREATED)

    def check_object_permissions(self, request, obj):
        # The steps are decided by services.weigering (vaststellen and terugsturen by the
        # voorzitter or a beleidsmedewerker, bijstellen by ADD on a new version), not by
        # CHANGE on this one.
        if self.action in services.STAPPEN:
            return
        super().check_object_permissions(request, obj)


class OnderdeelSerializer(LockedSerializerMixin, DoelenSerializerMixin, ServiceModelSerializer):
    revisie = RevisieField(write_only=True)
    versie_revisie = serializers.IntegerField(source="versie.revisie", read_only=True,
                                              help_text="De huidige revisie van de versie.")

    def validate(self, attrs):
        if self.instance is not None and "versie" in attrs and \
                attrs["versie"].pk != self.instance.versie_id:
            raise exceptions.ValidationError({"versie": _("Een onderdeel verhuist niet naar een "
                                                        "andere versie.")})
        return attrs

    def create(self, validated_data):
        self._doelen = validated_data.pop("klaverblad_doelen", None)
        revisie = validated_data.pop("revisie", None)
        if revisie is None:
            raise exceptions.ValidationError({"revisie": _("Stuur de revisie van de versie mee.")})
        data, m2m = self._split(validated_data)
        instance = self.Meta.model(**data)
        return call_concept_service(lambda: self.save_onderdeel(instance, revisie, m2m))

    def update(self, instance, validated_data):
        self._doelen = validated_data.pop("klaverblad_doelen", None)
        revisie, changes = self._revisie(validated_data, instance)
        if not changes:
            return instance
        data, m2m = self._split(validated_data)
        for key, value in data.items():
            if key == "gemeente" and value.pk != instance.gemeente_id:
                raise exceptions.ValidationError(
                    {"gemeente": _("De gemeente kan niet veranderen.")})
            setattr(instance, key, value)
        return call_concept_service(lambda: self.save_onderdeel(instance, revisie, m2m))


class PijlerSerializer(OnderdeelSerializer):
    class Meta:
        model = Pijler
        fields = ["id", "gemeente", "versie", "sleutel", "naam", "doelen", "volgorde",
                  "klaverblad_doelen", "revisie", "versie_revisie"]
        read_only_fields = ["sleutel"]

    def save_onderdeel(self, instance, revisie, m2m):
        return services.save_pijler(request_user(self.context), instance, revisie=revisie,
                                    doelen=self._doelen)


class ActiviteitSerializer(OnderdeelSerializer):
    # Declared: DRF makes a many-to-many with its own through model read-only by default.
    streefwaarden = TenantRelatedField(
        many=True, required=False, queryset=Streefwaarde.objects.all(),
        help_text="Ids van de streefwaarden uit de monitor (te behalen resultaten) waar de "
                  "activiteit aan werkt: van het gebied van het wijkplan of van de hele "
                  "gemeente. Alleen te wijzigen in een conceptversie.")

    class Meta:
        model = Activiteit
        fields = ["id", "gemeente", "versie", "pijler", "sleutel", "naam", "beschrijving",
                  "trekker", "partners", "locaties", "locatie_omschrijving", "leeftijd_van",
                  "leeftijd_tot", "start", "eind", "beoogde_resultaten", "streefwaarden",
                  "status", "volgorde", "klaverblad_doelen", "revisie", "versie_revisie"]
        read_only_fields = ["sleutel"]

    def save_onderdeel(self, instance, revisie, m2m):
        return services.save_activiteit(request_user(self.context), instance, revisie=revisie,
                                        m2m=m2m or None, doelen=self._doelen)


class OnderdeelViewSet(TenantModelViewSet):
    select_related = ("gemeente", "versie__wijkplan")

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related(prefetch_doelen())
        versie = self.request.query_params.get("versie")
        if versie and versie.isdigit():
            qs = qs.filter(versie_id=int(versie))
        return qs

    def perform_destroy(self, instance):
        revisie = self.request.query_params.get("revisie") or instance.versie.revisie
        call_concept_service(lambda: self.delete_onderdeel(instance, revisie))


class PijlerViewSet(OnderdeelViewSet):
    """Pijlers of versions. Filter: ?versie=<id>. DELETE takes ?revisie=<n>."""

    model = Pijler
    serializer_class = PijlerSerializer

    def delete_onderdeel(self, instance, revisie):
        services.delete_pijler(self.request.user, instance, revisie=revisie)


class ActiviteitViewSet(OnderdeelViewSet):
    """Activiteiten of versions. Filter: ?versie=<id>. DELETE takes ?revisie=<n>."""

    model = Activiteit
    serializer_class = ActiviteitSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("partners", "locaties", "streefwaarden")

    def delete_onderdeel(self, instance, revisie):
        services.delete_activiteit(self.request.user, instance, revisie=revisie)


class RapportageSerializer(ServiceModelSerializer):
    periode = serializers.CharField(help_text="Kwartaal, bijvoorbeeld 2021-K1.")

    class Meta:
        model = VoortgangRapportage
        fields = ["id", "gemeente", "activiteit", "periode", "status", "percentage",
                  "bereikte_deelnemers", "toelichting", "gewijzigd_op"]
        read_only_fields = ["gewijzigd_op"]

    def save_instance(self, instance, m2m):
        return services.rapporteren(request_user(self.context), instance)


class RapportageViewSet(TenantModelViewSet):
    """Progress reports per activiteit per quarter. Filter: ?activiteit=<id>."""

    model = VoortgangRapportage
    serializer_class = RapportageSerializer
    select_related = ("gemeente", "activiteit__versie__wijkplan")

    def get_queryset(self):
        qs = super().get_queryset()
        activiteit = self.request.query_params.get("activiteit")
        if activiteit and activiteit.isdigit():
            qs = qs.filter(activiteit_id=int(activiteit))
        return qs

