"""Measuring and calibrating the toets on a labelled evaluation set.

An evaluation set is a folder of documents and a labels.json: {"documenten": {file name:
{"doelen": {nummer: [status, evidence or reason]}}}} (tests/toets/ holds the product's own).
`meet` gives per status precision and recall, 3-class accuracy and the confusion counts;
`kalibreer` chooses the two thresholds of a lexicon on a set: first an "ontbreekt" recall of at
least 0.95 (missing an absent doel hides a gap in policy) with a precision of at least 0.8, then
the best accuracy.
`kruisvalidatie` does that leave-one-document-out: thresholds chosen without the document they
are measured on.
"""

import json
from collections import Counter
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from toets import analyse, tekst

STATUSSEN = (analyse.AANGETOOND, analyse.BEPERKT, analyse.ONTBREEKT)
AANGETOOND_DREMPELS = (2, 2.5, 3, 3.5, 4, 5)
BEPERKT_DREMPELS = (1.5, 2, 2.5, 3)
MIN_RECALL_ONTBREEKT = 0.95
MIN_PRECISION_ONTBREEKT = 0.8


@dataclass
class Voorbeeld:
    naam: str
    passages: list
    labels: dict[str, str]  # doel nummer -> status


def laad_set(map_: Path) -> list[Voorbeeld]:
    labels = json.loads((map_ / "labels.json").read_text(encoding="utf-8"))["documenten"]
    uit = []
    for naam, d in labels.items():
        doc = tekst.lees((map_ / "documenten" / naam).read_bytes(), naam)
        uit.append(Voorbeeld(naam, doc.passages, {nr: v[0] for nr, v in d["doelen"].items()}))
    return uit


def voorbereid(voorbeelden, inhoud: dict) -> list:
    """The thresholds-independent part of the analysis, once per document."""
    lexicon = analyse.compileer(inhoud)
    return [(v, analyse.kandidaten(v.passages, lexicon), lexicon) for v in voorbeelden]


def voorspel(voorbereide, drempels: tuple[float, float] | None = None):
    """[(naam, doel, gold, predicted)] for every label of the set."""
    uit = []
    for v, per_doel, lexicon in voorbereide:
        a, b = drempels or (lexicon.drempel_aangetoond, lexicon.drempel_beperkt)
        uitkomsten = analyse.beslis(per_doel, a, b)
        for nr, gold in v.labels.items():
            uit.append((v.naam, nr, gold, uitkomsten[nr].status if nr in uitkomsten
                        else analyse.ONTBREEKT))
    return uit


def meet(paren) -> dict:
    conf = Counter((g, p) for _, _, g, p in paren)
    n = sum(conf.values())
    per = {}
    for s in STATUSSEN:
        tp = conf[(s, s)]
        voorspeld = sum(conf[(g, s)] for g in STATUSSEN)
        echt = sum(conf[(s, q)] for q in STATUSSEN)
        per[s] = {"precision": tp / voorspeld if voorspeld else 0.0,
                  "recall": tp / echt if echt else 0.0, "n": echt}
    return {"n": n, "accuracy": sum(conf[(s, s)] for s in STATUSSEN) / n if n else 0.0,
            "per_status": per,
            "confusion": {f"{g}->{p}": c for (g, p), c in sorted(conf.items())}}


def _waarde(m: dict) -> tuple:
    o = m["per_status"][analyse.ONTBREEKT]
    return (o["recall"] >= MIN_RECALL_ONTBREEKT and o["precision"] >= MIN_PRECISION_ONTBREEKT,
            o["recall"] >= MIN_RECALL_ONTBREEKT, m["accuracy"], o["recall"], o["precision"])


def kalibreer(voorbereide) -> tuple[tuple[float, float], dict]:
    """The (aangetoond, beperkt) thresholds that do best on the set (see the module's doc)."""
    beste = None
    for a, b in product(AANGETOOND_DREMPELS, BEPERKT_DREMPELS):
        if b > a:
            continue
        m = meet(voorspel(voorbereide, (a, b)))
        if beste is None or _waarde(m) > _waarde(beste[1]):
            beste = ((a, b), m)
    return beste


def kruisvalidatie(voorbereide) -> tuple[dict, list]:
    """Leave one document out: thresholds calibrated on the others, measured on it."""
    paren, gekozen = [], []
    for i, item in enumerate(voorbereide):
        drempels, _ = kalibreer(voorbereide[:i] + voorbereide[i + 1:])
        gekozen.append((item[0].naam, drempels))
        paren.extend(voorspel([item], drempels))
    return meet(paren), gekozen
