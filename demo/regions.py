"""Demo regions and gebieden: real CBS codes (indeling 2022, see demo/data/regions/SOURCES.md)."""

from pathlib import Path

from regions.models import Gebied, Region
from regions.services import importeer, save_gebied

DEMO_DIR = Path(__file__).resolve().parent / "data" / "regions"
JAAR = 2022

# The five wijkvernieuwingsgebieden of Groningen and their CBS buurten.
GRONINGEN = {
    "csv": "cbs_regions_groningen_2022.csv",
    "gebieden": [
        ("Beijum", "", ["BU00141100", "BU00141101"]),
        ("Lewenborg", "", ["BU00141200", "BU00141201", "BU00141202"]),
        ("Selwerd, Paddepoel en Tuinwijk", "SPT",
         ["BU00141000", "BU00141001", "BU00141002", "BU00141005"]),
        ("De Hoogte en Indische Buurt", "", ["BU00140300", "BU00140301"]),
        ("De Weijert", "", ["BU00140605", "BU00140606"]),
    ],
}
ASSEN = {
    "csv": "cbs_regions_assen_2022.csv",
    "gebieden": [("Assen-Oost", "", [f"BU010603{n:02d}" for n in range(11)])],
}


def load(gemeente, ctx: dict) -> None:
    """Import the gemeente's CBS regions and define its gebieden: ctx["gebieden"], keyed by
    afkorting or naam."""
    spec = {"GM0014": GRONINGEN, "GM0106": ASSEN}[gemeente.cbs_code]
    importeer(None, gemeente, (DEMO_DIR / spec["csv"]).read_bytes(), check_permission=False)
    gebieden = {}
    for naam, afkorting, codes in spec["gebieden"]:
        regions = Region.objects.filter(gemeente=gemeente, jaar=JAAR, code__in=codes)
        gebied = Gebied(gemeente=gemeente, naam=naam, afkorting=afkorting, jaar=JAAR)
        gebieden[afkorting or naam] = save_gebied(None, gebied, regions, check_permission=False)
    ctx["gebieden"] = gebieden
