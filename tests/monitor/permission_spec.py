from core.periods import JAAR, Periode
from monitor import services
from monitor.models import ImportBatch, Indicator, RegioWaarde, Streefwaarde
from regions.models import Gebied, Region
from tests.permissions import ALL, BELEID, Page

# The read pages are for every member; when the gemeente makes its monitor public they are
# open to anyone too (tests/monitor/test_pages.py; the demo monitor is not public).
PAGES = {
    "monitor:klaverblad": Page(ALL),
    "monitor:gebied-list": Page(ALL),
    "monitor:gebied": Page(ALL, "monitor_gebied"),
    "monitor:indicator-list": Page(ALL),
    "monitor:indicator-detail": Page(ALL, "monitor_indicator"),
    "monitor:vergelijking": Page(ALL, "monitor_indicator"),
    "monitor:export-csv": Page(ALL, "monitor_indicator"),
    "monitor:export-xlsx": Page(ALL, "monitor_indicator"),
    "monitor:batch-list": Page(BELEID),
    "monitor:import": Page(BELEID),
    "monitor:import-sjabloon": Page(BELEID),
    "monitor:batch-detail": Page(BELEID, "monitor_batch"),
    "monitor:batch-delete": Page(BELEID, "monitor_batch"),
    "monitor:instellingen": Page(BELEID),
    "monitor:streefwaarde-add": Page(BELEID, "monitor_indicator", kw="indicator_pk"),
    "monitor:streefwaarde-edit": Page(BELEID, "monitor_streefwaarde"),
    "monitor:streefwaarde-delete": Page(BELEID, "monitor_streefwaarde"),
}

API = {
    "indicator": ("monitor_indicator", BELEID, BELEID),
    "meting": ("monitor_meting", None, None),
    "streefwaarde": ("monitor_streefwaarde", BELEID, BELEID),
    "reeks": ("monitor_indicator", None, None),
}


def world(gemeente):
    """A demo indicator with an imported figure for the gemeente (its GM region) and a
    target."""
    indicator = Indicator.objects.get(gemeente=gemeente, code="vve_bereik")
    data = (f"indicator;regio;periode;teller;noemer\nvve_bereik;{gemeente.cbs_code};2022;800;"
            f"1000\n").encode()
    services.importeer(None, gemeente, data, "vve.csv", check_permission=False)
    region = Region.objects.get(gemeente=gemeente, code=gemeente.cbs_code, jaar=2022)
    streefwaarde, _ = Streefwaarde.objects.get_or_create(
        gemeente=gemeente, indicator=indicator, region=region, periode=Periode(JAAR, 2023),
        defaults={"waarde": 85})
    return {"monitor_indicator": indicator, "monitor_streefwaarde": streefwaarde,
            "monitor_gebied": Gebied.objects.filter(gemeente=gemeente).order_by("pk").first(),
            "monitor_batch": ImportBatch.objects.filter(gemeente=gemeente,
                                                        bestandsnaam="vve.csv").first(),
            "monitor_meting": RegioWaarde.objects.get(indicator=indicator,
                                                      regio_code=gemeente.cbs_code)}
