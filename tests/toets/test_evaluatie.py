"""The evaluation set (tests/toets/documenten + labels.json, labelled by the rule of issue 17)
meets the goals with the product's lexicon and thresholds, and also when the thresholds are
chosen without the document they are measured on (leave one document out)."""

import json
from pathlib import Path

import pytest

from toets import kalibratie, services

SET = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def voorbereid():
    inhoud = json.loads(services.STANDAARD.read_text(encoding="utf-8"))
    return kalibratie.voorbereid(kalibratie.laad_set(SET), inhoud)


def test_the_set_is_big_enough():
    labels = json.loads((SET / "labels.json").read_text(encoding="utf-8"))["documenten"]
    assert len(labels) >= 8
    assert sum(len(d["doelen"]) for d in labels.values()) >= 80


def goals(m):
    ontbreekt = m["per_status"]["ontbreekt"]
    assert ontbreekt["recall"] >= 0.95, m
    assert ontbreekt["precision"] >= 0.8, m
    assert m["accuracy"] >= 0.75, m


def test_goals_with_the_shipped_lexicon(voorbereid):
    goals(kalibratie.meet(kalibratie.voorspel(voorbereid)))


def test_goals_leave_one_document_out(voorbereid):
    m, _ = kalibratie.kruisvalidatie(voorbereid)
    goals(m)
