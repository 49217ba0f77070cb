"""One router for the whole API; each app contributes its viewsets from `<app>/api.py`."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from core.api import BerichtViewSet, GemeenteViewSet
from finance import api as finance_api
from framework import api as framework_api
from kaart import api as kaart_api
from monitor import api as monitor_api
from network import api as network_api
from participation import api as participation_api
from plans import api as plans_api
from regions import api as regions_api
from toets import api as toets_api

router = DefaultRouter()
router.register("gemeenten", GemeenteViewSet, basename="gemeente")
router.register("berichten", BerichtViewSet, basename="bericht")
router.register("regios", regions_api.RegionViewSet, basename="region")
router.register("gebieden", regions_api.GebiedViewSet, basename="gebied")
router.register("organisaties", network_api.OrganisatieViewSet, basename="organisatie")
router.register("personen", network_api.PersoonViewSet, basename="persoon")
router.register("stuurgroepen", network_api.StuurgroepViewSet, basename="stuurgroep")
router.register("stuurgroeprollen", network_api.StuurgroepRolViewSet, basename="stuurgroeprol")
router.register("kaders", framework_api.KaderViewSet, basename="kader")
router.register("themas", framework_api.ThemaViewSet, basename="thema")
router.register("doelen", framework_api.DoelViewSet, basename="doel")
router.register("wijkplannen", plans_api.WijkplanViewSet, basename="wijkplan")
router.register("wijkplanversies", plans_api.VersieViewSet, basename="wijkplanversie")
router.register("pijlers", plans_api.PijlerViewSet, basename="pijler")
router.register("activiteiten", plans_api.ActiviteitViewSet, basename="activiteit")
router.register("voortgang", plans_api.RapportageViewSet, basename="voortgangrapportage")
router.register("verkiezingen", participation_api.VerkiezingViewSet, basename="verkiezing")
router.register("kandidaten", participation_api.KandidaatViewSet, basename="kandidaat")
router.register("inzendingen", participation_api.InzendingViewSet, basename="inzending")
router.register("programmabudgetten", finance_api.ProgrammabudgetViewSet,
                basename="programmabudget")
router.register("gebiedsbudgetten", finance_api.GebiedsbudgetViewSet, basename="gebiedsbudget")
router.register("subsidieregelingen", finance_api.RegelingViewSet, basename="regeling")
router.register("aanvragen", finance_api.AanvraagViewSet, basename="aanvraag")
router.register("beschikkingen", finance_api.BeschikkingViewSet, basename="beschikking")
router.register("betalingen", finance_api.BetalingViewSet, basename="betaling")
router.register("indicatoren", monitor_api.IndicatorViewSet, basename="indicator")
router.register("metingen", monitor_api.MetingViewSet, basename="meting")
router.register("streefwaarden", monitor_api.StreefwaardeViewSet, basename="streefwaarde")
router.register("reeksen", monitor_api.ReeksViewSet, basename="reeks")
router.register("toets-documenten", toets_api.ToetsDocumentViewSet, basename="toetsdocument")
router.register("aanbod", kaart_api.AanbodViewSet, basename="aanbod")
router.register("aanbieders", kaart_api.AanbiederViewSet, basename="aanbieder")


class TokenThrottle(AnonRateThrottle):
    rate = "10/minute"


class ObtainToken(ObtainAuthToken):
    """Exchange username and password for an API token (throttled against guessing)."""

    throttle_classes = [TokenThrottle]
    permission_classes = []


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("token/", ObtainToken.as_view(), name="api-token"),
    *router.urls,
]
