from pathlib import Path

import pytest

from monitor import services
from monitor.models import Indicator

FILES = Path(__file__).resolve().parent / "files"
ARMOEDE_KOLOMMEN = {"KinderenInLaagInkomen_1": ("armoede_kind", "teller"),
                    "MinderjarigeKinderen_2": ("armoede_kind", "noemer")}

CBS_FILES = {"cbs_armoede_2022.csv", "cbs_armoede_2022_verbeterd.csv", "fout_komma.csv",
             "fout_onbekende_regio.csv", "fout_tekst.csv"}


def read(name):
    return (FILES / name).read_bytes()


@pytest.fixture(autouse=True)
def _zonder_berekende_cijfers(db):
    """The monitor tests start from a monitor without figures, as the file imports they test
    assume: the demo's figures computed from the sociale kaart (ImportBatch formaat 'berekend',
    tested in tests/kaart/test_indicator.py) are removed for the test (rolled back after)."""
    from monitor import rollup
    from monitor.models import ImportBatch, Meting

    batches = ImportBatch.objects.filter(formaat=ImportBatch.Formaat.BEREKEND)
    indicator_ids = set(batches.values_list("indicatoren", flat=True))
    Meting.objects.filter(batch__in=batches).delete()
    batches.delete()
    rollup.herbereken(indicator_ids)


@pytest.fixture
def beleid(demo_user):
    return demo_user("groningen", "beleid")


@pytest.fixture
def importeer(groningen, beleid):
    """importeer("file.csv", **kwargs) → imports.Resultaat, as the beleidsmedewerker."""

    def run(name, gemeente=None, actor=None, **kwargs):
        if name in CBS_FILES:
            kwargs.setdefault("kolommen", ARMOEDE_KOLOMMEN)
        kwargs.setdefault("bron", "CBS" if name.startswith("cbs_") else "")
        return services.importeer(actor or beleid, gemeente or groningen, read(name), name,
                                  **kwargs)

    return run


@pytest.fixture
def armoede(groningen):
    return Indicator.objects.get(gemeente=groningen, code="armoede_kind")
