from core.api import ServiceModelSerializer, TenantModelViewSet
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol


class OrganisatieSerializer(ServiceModelSerializer):
    class Meta:
        model = Organisatie
        fields = ["id", "gemeente", "naam", "type", "beschrijving", "adres", "website", "email",
                  "telefoon", "gebieden"]


class OrganisatieViewSet(TenantModelViewSet):
    model = Organisatie
    serializer_class = OrganisatieSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("gebieden")


class PersoonSerializer(ServiceModelSerializer):
    class Meta:
        model = Persoon
        fields = ["id", "gemeente", "naam", "organisatie", "functie", "email", "telefoon"]


class PersoonViewSet(TenantModelViewSet):
    model = Persoon
    serializer_class = PersoonSerializer


class StuurgroepSerializer(ServiceModelSerializer):
    class Meta:
        model = Stuurgroep
        fields = ["id", "gemeente", "naam", "gebied", "werkwijze"]


class StuurgroepViewSet(TenantModelViewSet):
    model = Stuurgroep
    serializer_class = StuurgroepSerializer
    select_related = ("gemeente", "gebied")


class StuurgroepRolSerializer(ServiceModelSerializer):
    class Meta:
        model = StuurgroepRol
        fields = ["id", "gemeente", "stuurgroep", "rol", "titel", "organisatie", "persoon",
                  "taken", "volgorde"]


class StuurgroepRolViewSet(TenantModelViewSet):
    model = StuurgroepRol
    serializer_class = StuurgroepRolSerializer
    select_related = ("gemeente", "stuurgroep")
