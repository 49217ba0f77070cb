"""The version comparison: whitespace-only differences are no change; a changed text shows
the changed words."""

import pytest

from plans import compare, selectors, services


def test_line_endings_and_spacing_are_no_change():
    assert compare.gelijk("Eén\r\ntwee  drie\n", "Eén\ntwee drie")
    assert compare.gelijk(None, "  ")
    assert not compare.gelijk("Eén twee", "Eén drie")


def test_the_changed_words_are_marked():
    delen = compare.woordverschil("De kinderen spelen op het plein.",
                                  "De jongeren spelen\r\nop het grote plein.")
    assert delen == [("gelijk", "De "), ("weg", "kinderen "), ("nieuw", "jongeren "),
                     ("gelijk", "spelen\nop het "), ("nieuw", "grote "), ("gelijk", "plein.")]
    assert compare.woordverschil("", "Nieuw") == [("nieuw", "Nieuw")]
    assert compare.woordverschil("Oud", "") == [("weg", "Oud ")]


@pytest.mark.django_db
def test_vergelijk_ignores_a_crlf_paste_and_shows_words(concept, demo_user, client_for):
    from django.urls import reverse

    coordinator = demo_user("groningen", "coordinator")
    oud = concept.bijgesteld_van
    act = concept.activiteiten.exclude(beschrijving="").first()
    act.beschrijving = act.beschrijving.replace(" ", "  ").replace("\n", "\r\n") + "\r\n"
    services.save_activiteit(coordinator, act, revisie=concept.revisie)
    concept.refresh_from_db()
    concept.inleiding = oud.inleiding.replace("wijk", "buurt", 1)
    services.save_versie(coordinator, concept, revisie=concept.revisie)
    diff = compare.vergelijk(selectors.versie_met_inhoud(oud.pk),
                             selectors.versie_met_inhoud(concept.pk))
    assert not diff["activiteiten"]
    [inleiding] = [w for w in diff["tekst"] if w.veld == "inleiding"]
    changed = [(soort, tekst.strip()) for soort, tekst in inleiding.delen if soort != "gelijk"]
    assert len(changed) == 2 and changed[0][0] == "weg" and changed[1][0] == "nieuw"
    assert changed[0][1].replace("wijk", "buurt", 1) == changed[1][1]
    html = client_for("groningen", "coordinator").get(reverse(
        "plans:versie-vergelijk", kwargs={"gemeente": "groningen", "pk": concept.pk})
    ).content.decode()
    assert f'<span class="og-visually-hidden">nieuw: </span>{changed[1][1]}' in html
