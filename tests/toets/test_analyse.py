"""The rule of the toets on small passages: what makes aangetoond, beperkt and ontbreekt."""

import json

import pytest

from toets import analyse, services
from toets.tekst import Passage


@pytest.fixture(scope="module")
def lexicon():
    return analyse.compileer(json.loads(services.STANDAARD.read_text(encoding="utf-8")))


def toets(lexicon, *teksten, kop=""):
    passages = [Passage(i + 1, 1, kop, t) for i, t in enumerate(teksten)]
    return {nr: u.status for nr, u in analyse.analyseer(passages, lexicon).items()}


def test_commitment_for_youth_is_aangetoond(lexicon):
    uit = toets(lexicon, "Wij zetten in op de aanpak van kinderarmoede: elk kind in een "
                         "minimagezin krijgt een Kindpakket.")
    assert uit["7"] == "aangetoond"


def test_statistics_only_is_beperkt(lexicon):
    uit = toets(lexicon, "In 2022 groeide 11 procent van de kinderen op in armoede, vergeleken "
                         "met 7 procent landelijk.")
    assert uit["7"] == "beperkt"


def test_measure_for_all_residents_is_beperkt(lexicon):
    uit = toets(lexicon, "We breiden de schuldhulpverlening uit en pakken armoede aan voor alle "
                         "inwoners van de stad.")
    assert uit["7"] == "beperkt"


def test_generic_words_without_youth_do_not_count(lexicon):
    uit = toets(
        lexicon,
        "In het keukentafelgesprek komen alle leefgebieden aan bod: wonen, gezondheid, werk, "
        "sport, vervoer en sociale contacten.",
        "De participatie van bijstandsgerechtigden verhogen we met participatiebanen.",
        "Eenzaamheid onder ouderen is een groeiend probleem; we zetten in op buurtkamers.")
    assert uit["2"] == uit["9"] == uit["8"] == "ontbreekt"


def test_compounds_are_matched_but_not_lookalikes(lexicon):
    passages = [Passage(1, 1, "", "De jeugdgezondheidszorgteams en de kinderarmoedeaanpak.")]
    gevonden = {doel: [t for k in lijst for t in k.termen]
                for doel, lijst in analyse.kandidaten(passages, lexicon).items()}
    assert "jeugdgezondheidszorg" in gevonden["4"] and "kinderarmoede" in gevonden["7"]
    assert not gevonden["2"]  # "gezondheidszorg" is excluded for "gezondheid", compounds too
    # "minimaal" is no "minima", "transport" no "sport".
    uit = toets(lexicon, "We zorgen voor minimaal vijf busjes voor het transport van kinderen.")
    assert uit["7"] == uit["2"] == "ontbreekt"


def test_heading_gives_youth_context_and_commitment(lexicon):
    uit = toets(lexicon, "Zwemles in groep 3 en 4 en een sportaanbod na schooltijd; we trekken "
                         "er € 450.000 per jaar voor uit.", kop="Wat gaan we doen voor kinderen?")
    assert uit["2"] == "aangetoond"


def test_a_reference_or_by_product_is_only_beperkt(lexicon):
    assert toets(lexicon, "Voor de aanpak van kinderarmoede verwijzen we naar het "
                          "armoedebeleid.")["7"] == "beperkt"
    assert toets(lexicon, "Het Kindpakket draagt ook bij aan een gezonde leefstijl van "
                          "kinderen.")["2"] == "beperkt"


def test_every_result_explains_itself(lexicon):
    passages = [Passage(1, 3, "Armoede", "Wij geven elk kind in armoede een Kindpakket.")]
    uitkomst = analyse.analyseer(passages, lexicon)["7"]
    assert uitkomst.reden.endswith(".") and uitkomst.bewijs[0].pagina == 3
    assert "kindpakket" in uitkomst.bewijs[0].termen
