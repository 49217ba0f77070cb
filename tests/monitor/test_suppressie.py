"""No figure given away (issue 13): complementary suppression.

An attacker, written here independently of monitor.suppressie, takes every sum relation of the
published figures (a wijk = its buurten, the gemeente = its wijken, a gebied = its wijken and
buurten; by Region.parent and Gebied.regions, not by the module's code nesting) and tries
every subtraction and every linear combination (exact Gauss-Jordan over fractions, the
published cells moved to the right-hand side), for teller and noemer apart, on every output:
the public CSV (anonymous visitor), the XLSX, the API (metingen and reeksen) and the selectors
that the pages and charts draw. No suppressed value may come out. The same attack on the rollup
without complementary suppression does recover the small figure: the test can fail.

Data: the Groningen demo indeling (every wijk and buurt, the five demo gebieden) with invented
figures that add up exactly, as in the issue (Tuinwijk's VVE figure 6 of 9); and generated
data: random figures, random small cells and random extra gebieden on that indeling (seeded),
and for the pure rule many random small structures (seeded).
"""

import csv
import io
import random
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import User
from monitor import rollup, selectors, services, suppressie
from monitor.models import Afscherming, Indicator, MonitorInstelling, ReeksWaarde
from regions.models import Gebied, Region
from regions.services import save_gebied

JAAR = 2022


# --- the attacker ------------------------------------------------------------------------------

def herleid(bekend: dict, onbekend: set, sommen) -> dict:
    """{cell: value} of every unknown cell that follows from the known ones through `sommen`
    ([(totaal, [delen])], totaal = sum of delen): Gauss-Jordan over Fractions."""
    basis = []  # [pivot, {cell: coef}, rhs]
    for totaal, delen in sommen:
        coef, rhs = {}, Fraction(0)
        for cel, teken in [(totaal, 1)] + [(d, -1) for d in delen]:
            if cel in onbekend:
                coef[cel] = coef.get(cel, 0) + teken
            else:
                rhs -= teken * Fraction(bekend[cel])
        coef = {k: Fraction(v) for k, v in coef.items() if v}
        for pivot, b_coef, b_rhs in basis:
            if pivot in coef:
                f = coef[pivot] / b_coef[pivot]
                coef = _min(coef, b_coef, f)
                rhs -= f * b_rhs
        if not coef:
            continue
        pivot = min(coef, key=str)
        for rij in basis:
            if pivot in rij[1]:
                f = rij[1][pivot] / coef[pivot]
                rij[1] = _min(rij[1], coef, f)
                rij[2] -= f * rhs
        basis.append([pivot, coef, rhs])
    return {p: r / c[p] for p, c, r in basis if len(c) == 1}


def _min(a, b, f):
    result = {k: a.get(k, 0) - f * b.get(k, 0) for k in a.keys() | b.keys()}
    return {k: v for k, v in result.items() if v}


def sommen_van(gemeente, cellen) -> list:
    """The sum relations among `cellen` (keys: CBS code, or ("gebied", naam)) from the
    database: Region.parent and Gebied.regions."""
    kinderen = {}
    for r in Region.objects.filter(gemeente=gemeente, jaar=JAAR, parent__isnull=False
                                   ).select_related("parent"):
        if r.code in cellen:
            kinderen.setdefault(r.parent.code, []).append(r.code)
    result = [(ouder, delen) for ouder, delen in kinderen.items() if ouder in cellen]
    for g in Gebied.objects.filter(gemeente=gemeente).prefetch_related("regions"):
        if ("gebied", g.naam) in cellen:
            result.append((("gebied", g.naam), [r.code for r in g.regions.all()]))
    return result


def aanval(gemeente, gepubliceerd: dict) -> dict:
    """gepubliceerd: {periode: {cell: (teller, noemer) | None (hidden)}} → {(periode, cell,
    'teller' | 'noemer'): recovered value} for every hidden cell that can be computed."""
    gevonden = {}
    for periode, cellen in gepubliceerd.items():
        onbekend = {c for c, v in cellen.items() if v is None}
        sommen = sommen_van(gemeente, cellen)
        for i, veld in enumerate(("teller", "noemer")):
            bekend = {c: v[i] for c, v in cellen.items() if v is not None}
            for cel, waarde in herleid(bekend, onbekend, sommen).items():
                gevonden[(periode, cel, veld)] = waarde
    return gevonden


# --- the outputs, read as a visitor reads them --------------------------------------------------

def _getal(tekst):
    return None if tekst in ("", None) else Fraction(str(tekst).replace(",", "."))


def _cel(soort, code, naam):
    return ("gebied", naam) if soort == "gebied" else code


def uit_tabel(rijen) -> dict:
    """Rows of the CSV/XLSX export (EXPORT_KOPPEN) → {periode: {cell: (teller, noemer)|None}}."""
    kop, *rijen = rijen
    k = {naam: i for i, naam in enumerate(kop)}
    result = {}
    for r in rijen:
        if r[k["soort"]] == "land":
            continue
        verborgen = r[k["status"]] == "onderdrukt"
        result.setdefault(str(r[k["periode"]]), {})[
            _cel(r[k["soort"]], r[k["code"]], r[k["naam"]])] = None if verborgen else (
            _getal(r[k["teller"]]), _getal(r[k["noemer"]]))
    return result


def uit_csv(response) -> dict:
    tekst = response.content.decode("utf-8-sig")
    return uit_tabel(list(csv.reader(io.StringIO(tekst), delimiter=";")))


def uit_xlsx(response) -> dict:
    ws = load_workbook(io.BytesIO(response.content)).active
    return uit_tabel([list(r) for r in ws.iter_rows(values_only=True)])


def uit_api(client, gemeente, indicator) -> dict:
    """Region cells from /metingen/ (every page), gebieden and the gemeente from /reeksen/."""
    result = {}
    url = reverse("meting-list") + f"?indicator={indicator.pk}"
    while url:
        data = client.get(url).json()
        for r in data["results"]:
            if r["soort"] != "land":
                result.setdefault(r["periode"], {})[r["regio_code"]] = _paar(r)
        url = data.get("next")
    for g in Gebied.objects.filter(gemeente=gemeente):
        reeks = client.get(reverse("reeks-detail", kwargs={"pk": indicator.pk}),
                           {"gebied": g.pk}).json()
        for p in reeks["punten"]:
            result.setdefault(p["periode"], {})[("gebied", g.naam)] = _paar(p)
    for p in client.get(reverse("reeks-detail", kwargs={"pk": indicator.pk})).json()["punten"]:
        assert result[p["periode"]][gemeente.cbs_code] == _paar(p)
    return result


def _paar(r):
    if r["status"] == "onderdrukt":
        assert r["waarde"] is None and r["teller"] is None and r["noemer"] is None
        return None
    return (_getal(r["teller"]), _getal(r["noemer"]))


def uit_selectors(gemeente, indicator) -> dict:
    """What the pages and charts draw: indicator page (gemeente and gebied series, wijken and
    buurten), comparison, gebied and Klaverblad dashboards (their latest points)."""
    result = {}

    def zet(periode, cel, punt):
        waarde = None if punt.onderdrukt else (_getal(punt.teller), _getal(punt.noemer))
        assert not punt.onderdrukt or (punt.waarde, punt.teller, punt.noemer, punt.n) == (
            None, None, None, None)
        eerder = result.setdefault(periode.code, {}).setdefault(cel, waarde)
        assert eerder == waarde, (periode, cel)  # every page shows the same

    reeksen = selectors.indicator_reeksen(None, gemeente, indicator)
    for p, punt in reeksen["gemeente"].items():
        zet(p, gemeente.cbs_code, punt)
    for g in reeksen["gebieden"]:
        for p, punt in g["punten"].items():
            zet(p, ("gebied", g["gebied"].naam), punt)
    for p in reeksen["periodes"]:
        for soort in ("wijk", "buurt"):
            for code, _naam, punt in selectors.regio_onderdelen(None, gemeente, indicator, p,
                                                                soort):
                zet(p, code, punt)
        vergelijking = selectors.vergelijking(None, gemeente, indicator, p)
        for g in vergelijking["gebieden"]:
            if g["punt"] is not None:
                zet(p, ("gebied", g["gebied"].naam), g["punt"])
    for g in Gebied.objects.filter(gemeente=gemeente):
        for rij in selectors.gebied_overzicht(None, gemeente, g):
            if rij["indicator"] == indicator and rij["gebied"]["laatste"] is not None:
                laatste = rij["gebied"]["laatste"]
                zet(laatste.periode, ("gebied", g.naam), laatste)
    return result


def alle_uitvoer(client_publiek, client_lid, gemeente, indicator) -> dict:
    kwargs = {"gemeente": gemeente.slug, "pk": indicator.pk}
    return {
        "csv (publiek)": uit_csv(client_publiek.get(reverse("monitor:export-csv",
                                                            kwargs=kwargs))),
        "xlsx": uit_xlsx(client_lid.get(reverse("monitor:export-xlsx", kwargs=kwargs))),
        "api": uit_api(client_lid, gemeente, indicator),
        "pagina's en grafieken": uit_selectors(gemeente, indicator),
    }


# --- data that adds up exactly -------------------------------------------------------------------

def cijfers(gemeente, rng, klein: dict) -> dict:
    """{code: (teller, noemer)} for every buurt of the indeling (the `klein` ones as given,
    the rest random and at least 20), and every wijk and the gemeente as the exact sum."""
    buurten = list(Region.objects.filter(gemeente=gemeente, jaar=JAAR, soort="buurt")
                   .select_related("parent").order_by("code"))
    result = {}
    for b in buurten:
        noemer = rng.randint(20, 400)
        result[b.code] = klein.get(b.code, (rng.randint(0, noemer), noemer))
    for b in buurten:
        for ouder in (b.parent.code, b.parent.parent.code):
            t, n = result.get(ouder, (0, 0))
            result[ouder] = (t + result[b.code][0], n + result[b.code][1])
    return result


def importeer(gemeente, code, per_periode: dict):
    regels = ["indicator;regio;periode;teller;noemer"]
    for periode, waarden in per_periode.items():
        regels += [f"{code};{regio};{periode};{t};{n}" for regio, (t, n) in waarden.items()]
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    result = services.importeer(beleid, gemeente, "\n".join(regels).encode(), f"{code}.csv")
    assert result.status == "ingelezen", result


def controleer(gemeente, indicator, client, client_for, waarheid: dict):
    """Every output: every primary cell hidden, nothing hidden recoverable; returns the
    outputs."""
    instelling = MonitorInstelling.objects.get(gemeente=gemeente)
    instelling.publiek = True
    instelling.save()
    uitvoer = alle_uitvoer(client, client_for(gemeente.slug, "raad"), gemeente, indicator)
    for naam, gepubliceerd in uitvoer.items():
        for periode, cellen in waarheid.items():
            for code, (_t, n) in cellen.items():
                if n < instelling.minimum_n:
                    assert gepubliceerd[periode][code] is None, (naam, periode, code)
        assert aanval(gemeente, gepubliceerd) == {}, naam
    return uitvoer


@pytest.fixture
def vve(groningen):
    return Indicator.objects.get(gemeente=groningen, code="vve_bereik")


@pytest.mark.django_db
def test_tuinwijk_cannot_be_computed_from_spt_and_the_other_buurten(groningen, vve, client,
                                                                    client_for):
    rng = random.Random(13)
    waarheid = {"2022": cijfers(groningen, rng, {"BU00141005": (6, 9)}),
                "2023": cijfers(groningen, rng, {"BU00141005": (4, 7),
                                                 "BU00141202": (2, 5)})}
    importeer(groningen, "vve_bereik", waarheid)
    uitvoer = controleer(groningen, vve, client, client_for, waarheid)
    spt = uitvoer["csv (publiek)"]["2022"]
    assert spt["BU00141005"] is None and spt[("gebied", "Selwerd, Paddepoel en Tuinwijk")]
    # Few cells more than needed: per periode and small cell, one or two in each sum.
    assert 0 < Afscherming.objects.count() + ReeksWaarde.objects.filter(
        indicator=vve, gebied__isnull=False, status="onderdrukt").count() <= 8
    # The indicator page shows the hidden buurt of the latest periode as text.
    page = client.get(reverse("monitor:indicator-detail",
                              kwargs={"gemeente": groningen.slug, "pk": vve.pk})).content
    verborgen = [c for c, v in uitvoer["csv (publiek)"]["2023"].items()
                 if v is None and isinstance(c, str) and c.startswith("BU")]
    assert len(verborgen) >= 4 and page.decode().count("onderdrukt (privacy, minimum 10)") >= 4

    # Without complementary suppression the public CSV gives Tuinwijk away: 6 of 9.
    rollup.herbereken_alles(afschermen=False)
    lek = aanval(groningen, uit_csv(client.get(reverse(
        "monitor:export-csv", kwargs={"gemeente": groningen.slug, "pk": vve.pk}))))
    assert lek[("2022", "BU00141005", "teller")] == 6
    assert lek[("2022", "BU00141005", "noemer")] == 9
    rollup.herbereken_alles()
    assert aanval(groningen, uit_csv(client.get(reverse(
        "monitor:export-csv", kwargs={"gemeente": groningen.slug, "pk": vve.pk})))) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_figures_and_gebieden_give_nothing_away(seed, groningen, vve, client,
                                                          client_for):
    rng = random.Random(seed)
    regios = list(Region.objects.filter(gemeente=groningen, jaar=JAAR,
                                        soort__in=["wijk", "buurt"]).order_by("code"))
    buurten = [r for r in regios if r.soort == "buurt"]
    for i in range(4):  # extra gebieden: random buurten, or whole wijken
        keuze = rng.sample(buurten, rng.randint(2, 8)) if i % 2 else rng.sample(
            [r for r in regios if r.soort == "wijk"], rng.randint(1, 3))
        save_gebied(None, Gebied(gemeente=groningen, naam=f"Gebied {seed}-{i}", jaar=JAAR),
                    keuze, check_permission=False)
    waarheid = {}
    for jaar in (2022, 2023):
        klein = {}
        for b in rng.sample(buurten, rng.randint(1, 6)):
            n = rng.randint(1, 9)
            klein[b.code] = (rng.randint(0, n), n)
        waarheid[str(jaar)] = cijfers(groningen, rng, klein)
    importeer(groningen, "vve_bereik", waarheid)
    controleer(groningen, vve, client, client_for, waarheid)


# --- the rule alone, on many random structures ----------------------------------------------------

def _willekeurige_groep(rng):
    """A random gemeente: wijken of buurten, gebieden of buurten or wijken, some cells missing,
    some small. Returns (cijfers, gebied_regios, sommen for the attacker)."""
    cijfers_, gebied_regios, codes = {}, {}, []
    gm = "GM0001"
    cijfers_[gm] = suppressie.Cijfer(gm, "gemeente", "waargenomen", 1000.0)
    for w in range(rng.randint(1, 5)):
        wk = f"WK0001{w:02d}"
        codes.append(wk)
        for b in range(rng.randint(1, 5)):
            codes.append(f"BU0001{w:02d}{b:02d}")
    for code in codes:
        if rng.random() < 0.1:
            continue  # no figure: counts as known
        soort = "wijk" if code.startswith("WK") else "buurt"
        klein = soort == "buurt" and rng.random() < 0.25 or rng.random() < 0.05
        cijfers_[code] = suppressie.Cijfer(code, soort, "onderdrukt" if klein else "waargenomen",
                                          None if klein else float(rng.randint(10, 500)))
    for g in range(rng.randint(0, 3)):
        leden = set(rng.sample(codes, rng.randint(1, min(4, len(codes)))))
        if not leden <= set(cijfers_):
            continue
        sleutel = ("gebied", g)
        gebied_regios[g] = leden
        klein = all(cijfers_[c].primair for c in leden) and rng.random() < 0.5
        cijfers_[sleutel] = suppressie.Cijfer(sleutel, "gebied",
                                             "onderdrukt" if klein else "waargenomen",
                                             None if klein else 100.0)
    return cijfers_, gebied_regios


def test_the_rule_on_many_random_structures():
    rng = random.Random(2026)
    getest = 0
    for _ in range(400):
        cijfers_, gebied_regios = _willekeurige_groep(rng)
        extra = suppressie.aanvullend(cijfers_, suppressie.sommen(cijfers_, gebied_regios))
        assert all(cijfers_[c].zichtbaar for c in extra)
        verborgen = {c for c, v in cijfers_.items() if v.primair} | extra
        # The attacker's relations, including those with a missing (known) total or part.
        alle = set(cijfers_) | {f"WK0001{c[6:8]}" for c in cijfers_ if c[:2] == "BU"}
        sommen = [(g, sorted(leden)) for g, leden in
                  ((("gebied", g), leden) for g, leden in gebied_regios.items())]
        for ouder in sorted(c for c in alle if isinstance(c, str) and c[:2] in ("WK", "GM")):
            delen = [c for c in alle if isinstance(c, str) and (
                c[:2] == "BU" and c[6:8] == ouder[6:8] if ouder[:2] == "WK"
                else c[:2] == "WK")]
            if delen:
                sommen.append((ouder, delen))
        bekend = {c: 1 for c in alle if c not in verborgen}  # any value: structure only
        gevonden = herleid(bekend, verborgen, sommen)
        # A small cell that follows from cells we do not publish alone cannot be helped.
        buiten = herleid({c: 1 for c in alle}, set(cijfers_), sommen)
        assert not set(gevonden) - set(buiten)
        getest += bool(extra)
    assert getest > 100


# --- the database step: the groepen it finds, computed in worker processes or here --------------

def _afgeschermd(indicator) -> tuple:
    return (set(Afscherming.objects.values_list("meting_id", flat=True)),
            set(ReeksWaarde.objects.filter(indicator=indicator, status="onderdrukt")
                .values_list("gebied_id", "regio_code", "periode")))


@pytest.mark.django_db
def test_a_higher_minimum_of_the_gemeente_is_protected_too(groningen, vve, client, client_for):
    """The groepen are picked by a pre-test against the largest minimum of all gemeenten: a
    cell with n 25 under a minimum of 30 is primary, and its groep is protected."""
    MonitorInstelling.objects.update_or_create(gemeente=groningen, defaults={"minimum_n": 30})
    rng = random.Random(5)
    waarheid = {"2022": cijfers(groningen, rng, {"BU00141005": (12, 25)})}
    importeer(groningen, "vve_bereik", waarheid)
    controleer(groningen, vve, client, client_for, waarheid)
    assert Afscherming.objects.filter(indicator=vve).exists()


@pytest.mark.django_db
def test_worker_processes_hide_the_same_cells_as_one_process(groningen, vve, monkeypatch):
    rng = random.Random(21)
    buurten = list(Region.objects.filter(gemeente=groningen, jaar=JAAR, soort="buurt"))
    waarheid = {}
    for jaar in range(2022, 2026):
        klein = {b.code: (0, rng.randint(1, 9)) for b in rng.sample(buurten, rng.randint(1, 5))}
        waarheid[str(jaar)] = cijfers(groningen, rng, klein)
    importeer(groningen, "vve_bereik", waarheid)
    monkeypatch.setattr(suppressie, "PARALLEL_VANAF", 10 ** 9)
    rollup.herbereken_alles()
    een_proces = _afgeschermd(vve)
    monkeypatch.setattr(suppressie, "PARALLEL_VANAF", 1)
    monkeypatch.setattr(suppressie.os, "cpu_count", lambda: 2)
    rollup.herbereken_alles()
    assert _afgeschermd(vve) == een_proces
    assert len(een_proces[0]) + len(een_proces[1]) >= 4
