"""The Klaverblad-toets itself: which doelen a document carries, and the evidence.

Pure Python over the passages of toets.tekst and a lexicon (a dict, the `inhoud` of a
toets.models.Lexicon); no database. The rule it follows (issue 17, docs/toets.md):

- aangetoond: a passage commits to something for the doel (goal, measure, budget, result) for
  young people or their families, and names the doel clearly (score >= drempel "aangetoond");
- beperkt: the doel is only touched: context or statistics without commitment; a measure for all
  residents that names no youth or family; only a reference to another plan; or the doel served
  only as a by-product of another aim;
- ontbreekt: no passage concerns the doel for youth or families. Generic words without youth,
  family or a measure (sport in a list of contacts, "participatie" of adult clients, residents
  feeling "onveilig") do not count.

Three signals per passage beside the doel's terms: youth context (in the passage, its heading or
the passages just before it in its section), commitment (first person plural with a verb of
doing, a goal or budget, or a heading such as "Wat gaan we doen?"), and what weakens it (figures
only, a reference, a by-product clause). Matching is compound-aware: a term also matches inside a
longer word ("jeugdgezondheidszorg" carries "gezondheid"), unless the lexicon excludes that word.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

AANGETOOND, BEPERKT, ONTBREEKT = "aangetoond", "beperkt", "ontbreekt"
STEMMER = "snowball dutch_porter"

_WOORD = re.compile(r"[a-zà-ÿ0-9]+(?:-[a-zà-ÿ0-9]+)*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=200_000)
def stam(woord: str) -> str:
    return _stemmer().stemWord(woord)


def woorden(tekst: str) -> list[str]:
    """Lower-case words; a hyphenated word ("opvang-") also yields its parts."""
    uit = []
    for w in _WOORD.findall(tekst.lower()):
        uit.append(w.replace("-", ""))
        if "-" in w:
            uit.extend(p for p in w.split("-") if p)
    return uit


# --- the lexicon, compiled ------------------------------------------------------------------

@dataclass
class Term:
    tekst: str
    gewicht: float
    delen: tuple[str, ...]  # stems of the words of a phrase
    vormen: tuple[str, ...]  # surface roots for compound matching (single words only)
    uitgezonderd: frozenset[str]

    def posities(self, ws: list[str], stammen: list[str]) -> list[tuple[int, ...]]:
        """Each place the term stands, as the positions of the words it covers."""
        uit = []
        n = len(self.delen)
        if n > 1:
            for i in range(len(stammen) - n + 1):
                if all(stammen[i + k] == self.delen[k] or
                       (k == n - 1 and _samengesteld(ws[i + k], self.vormen))
                       for k in range(n)):
                    uit.append(tuple(range(i, i + n)))
            return uit
        for i, (w, s) in enumerate(zip(ws, stammen, strict=True)):
            if w not in self.uitgezonderd and (s == self.delen[0] or _samengesteld(w, self.vormen)):
                uit.append((i,))
        return uit



def _samengesteld(woord: str, vormen: tuple[str, ...]) -> bool:
    """`woord` is a compound that contains one of `vormen` as a part: at the start, the end or
    in the middle, with at least 3 letters on each side that has any ("jeugdgezondheidszorg"
    carries "gezondheid"; "minimaal" does not carry "minima")."""
    for v in vormen:
        i = woord.find(v)
        while i != -1:
            voor, na = i, len(woord) - i - len(v)
            if (voor == 0 or voor >= 3) and (na == 0 or na >= 3) and (voor or na):
                return True
            i = woord.find(v, i + 1)
    return False


def _term(spec: dict, globaal_uit: frozenset[str]) -> Term:
    tekst = spec["term"].lower().strip()
    ws = woorden(tekst)
    laatste = ws[-1]
    vormen = tuple(sorted({laatste, stam(laatste)}, key=len, reverse=True)) \
        if len(stam(laatste)) >= 4 and spec.get("samenstelling", True) else ()
    return Term(tekst, float(spec.get("gewicht", 1)), tuple(stam(w) for w in ws), vormen,
                frozenset(u.lower() for u in spec.get("uitgezonderd", [])) | globaal_uit)


@dataclass
class Lexicon:
    versie: str
    drempel_aangetoond: float
    drempel_beperkt: float
    doelen: dict[str, list[Term]]
    jeugd: re.Pattern
    jeugd_uit: re.Pattern
    toezegging: re.Pattern
    toezegging_kop: re.Pattern
    context: re.Pattern
    context_kop: re.Pattern
    verwijzing: re.Pattern
    bijeffect: re.Pattern
    andere_groep: re.Pattern
    toezegging_rij: re.Pattern
    terugverwijzing: re.Pattern
    negeer: re.Pattern | None


def _alternatie(patronen: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patronen), re.IGNORECASE)


def compileer(inhoud: dict, versie: str = "") -> Lexicon:
    globaal_uit = frozenset(inhoud.get("uitgezonderd", []))
    signalen = inhoud["signalen"]
    return Lexicon(
        versie=versie or str(inhoud.get("versie", "")),
        drempel_aangetoond=float(inhoud["drempels"]["aangetoond"]),
        drempel_beperkt=float(inhoud["drempels"]["beperkt"]),
        doelen={str(nr): [_term(t, globaal_uit) for t in d["termen"]]
                for nr, d in inhoud["doelen"].items()},
        jeugd=_alternatie(signalen["jeugd"]),
        jeugd_uit=_alternatie(signalen["jeugd_uitgezonderd"]),
        toezegging=_alternatie(signalen["toezegging"]),
        toezegging_kop=_alternatie(signalen["toezegging_kop"]),
        context=_alternatie(signalen["context"]),
        context_kop=_alternatie(signalen["context_kop"]),
        verwijzing=_alternatie(signalen["verwijzing"]),
        bijeffect=_alternatie(signalen["bijeffect"]),
        andere_groep=_alternatie(signalen["andere_groep"]),
        toezegging_rij=_alternatie(signalen["toezegging_rij"]),
        terugverwijzing=_alternatie(signalen["terugverwijzing"]),
        negeer=_alternatie(inhoud["negeer"]) if inhoud.get("negeer") else None,
    )


# --- the analysis ---------------------------------------------------------------------------

@dataclass
class Bewijs:
    passage: int  # Passage.nummer
    pagina: int
    kop: str
    tekst: str
    termen: list[str]
    score: float
    niveau: str  # aangetoond / beperkt (what this passage alone would give)
    regel: str  # which rule fired, one Dutch sentence


@dataclass
class Uitkomst:
    doel: str
    status: str
    reden: str
    bewijs: list[Bewijs] = field(default_factory=list)


def _heeft_jeugd(lex: Lexicon, tekst: str) -> bool:
    schoon = lex.jeugd_uit.sub(" ", tekst)
    return bool(lex.jeugd.search(schoon))


_ZIN = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\u00C0-\u00DD•\-–0-9(])|\s+[•▪●]\s+|\t+")
# "A, B, C en D": an enumeration of three or more items of one to three words each.
_OPSOMMING = re.compile(r"(?:[\w()/'-]+(?:\s+[\w()/'-]+){0,2}\s*,\s*){1,}[\w()/'-]+"
                        r"(?:\s+[\w()/'-]+){0,2}\s+(?:en|of)\s+[\w()/'-]+(?:\s+[\w()/'-]+){0,2}")
KERN = 2  # a passage needs at least one term of this weight: supportive words alone never count


def zinnen(tekst: str) -> list[str]:
    return [z for z in (d.strip() for d in _ZIN.split(tekst)) if z]


@dataclass
class _Zin:
    tekst: str
    ws: list[str]
    stammen: list[str]
    opsomming: set[int]  # word positions inside an enumeration
    toezegging: bool
    zijdelings: bool  # a reference, a by-product clause or an example
    verwijzing: bool
    andere_groep: bool  # about another group (ouderen, uitkeringsgerechtigden) and not youth
    terug: bool  # refers back ("Om dit te bereiken ...", "Hiervoor ..."): commits what came before


def _ontleed(lex: Lexicon, tekst: str) -> list[_Zin]:
    uit = []
    for z in zinnen(lex.negeer.sub(" ", tekst) if lex.negeer else tekst):
        ws = woorden(z)
        opsomming: set[int] = set()
        for m in _OPSOMMING.finditer(z):
            voor = len(woorden(z[:m.start()]))
            opsomming |= set(range(voor, voor + len(woorden(m.group()))))
        verwijzing = bool(lex.verwijzing.search(z))
        uit.append(_Zin(
            z, ws, [stam(w) for w in ws], opsomming,
            toezegging=bool(lex.toezegging.search(z)) and not lex.context.search(z),
            zijdelings=verwijzing or bool(lex.bijeffect.search(z)),
            verwijzing=verwijzing,
            andere_groep=bool(lex.andere_groep.search(z)) and not _heeft_jeugd(lex, z),
            terug=bool(lex.terugverwijzing.search(z)),
        ))
    return uit


def _termen_in(termen: list[Term], z: _Zin) -> dict[int, float]:
    """{term index: weight} of the terms in a sentence; every word counts for one term only
    (phrases and heavier terms first), and a term inside an enumeration counts half."""
    gebruikt: set[int] = set()
    uit: dict[int, float] = {}
    volgorde = sorted(range(len(termen)), key=lambda k: (-len(termen[k].delen), -termen[k].gewicht))
    for k in volgorde:
        for pos in termen[k].posities(z.ws, z.stammen):
            if gebruikt.intersection(pos):
                continue
            gebruikt.update(pos)
            gewicht = termen[k].gewicht / 2 if z.opsomming.issuperset(pos) else termen[k].gewicht
            uit[k] = max(uit.get(k, 0), gewicht)
    return uit


def analyseer(passages, lexicon: Lexicon, max_bewijs: int = 5) -> dict[str, Uitkomst]:
    """{doel nummer: Uitkomst} for every doel of the lexicon. `passages` are toets.tekst.Passage
    (or anything with nummer, pagina, kop and tekst)."""
    passages = list(passages)
    koppen: dict[str, tuple[bool, bool, list[_Zin]]] = {}
    ontleed = []
    for i, p in enumerate(passages):
        # Youth context: the passage, its heading, or the passages just before it in its section.
        jeugd = _heeft_jeugd(lexicon, p.tekst) or (bool(p.kop) and _heeft_jeugd(lexicon, p.kop)) \
            or any(_heeft_jeugd(lexicon, passages[j].tekst)
                   for j in range(max(0, i - 2), i) if passages[j].kop == p.kop)
        if p.kop not in koppen:
            context_kop = bool(lexicon.context_kop.search(p.kop))
            koppen[p.kop] = (bool(lexicon.toezegging_kop.search(p.kop)) and not context_kop,
                             context_kop, _ontleed(lexicon, p.kop) if p.kop else [])
        ontleed.append((jeugd, koppen[p.kop], _ontleed(lexicon, p.tekst)))

    uitkomsten = {}
    for doel, termen in lexicon.doelen.items():
        kop_termen = {kop: _gewichten(termen, zs) for kop, (_, _, zs) in koppen.items()}
        kandidaten: list[Bewijs] = []
        for p, (jeugd, (kop_toezegging, context_kop, _), zs) in zip(passages, ontleed,
                                                                    strict=True):
            sterk: dict[int, float] = dict(kop_termen[p.kop][0])  # the heading names the doel
            alle: dict[int, float] = dict(sterk)
            # A commitment counts for the doel when it stands in the sentence that names the doel,
            # in a later sentence that refers back to it, under a heading or in a table row of
            # commitments ("Wat gaan we doen?", "Activiteiten | ...").
            toezegging = bool(lexicon.toezegging_rij.search(p.tekst)) and bool(zs)
            eerder = False
            for z in zs:
                if z.andere_groep:
                    continue  # about ouderen or uitkeringsgerechtigden: not this doel for youth
                hier = _termen_in(termen, z)
                _voeg(alle, hier)
                if z.toezegging and z.terug and eerder:
                    toezegging = True
                if hier and not z.zijdelings:
                    _voeg(sterk, hier)
                    toezegging |= z.toezegging
                    eerder = True
            if not any(termen[k].gewicht >= KERN for k in alle):
                continue
            toezegging = bool(sterk) and (toezegging or kop_toezegging)
            niveau, regel = _niveau(lexicon, sum(alle.values()), sum(sterk.values()), jeugd,
                                    toezegging, any(z.verwijzing for z in zs), context_kop)
            if niveau is None:
                continue
            kandidaten.append(Bewijs(p.nummer, p.pagina, p.kop, p.tekst,
                                     [termen[k].tekst for k in sorted(alle)],
                                     sum(alle.values()), niveau, regel))
        uitkomsten[doel] = _besluit(doel, kandidaten, max_bewijs)
    return uitkomsten


def _gewichten(termen: list[Term], zs: list[_Zin]) -> tuple[dict[int, float], None]:
    uit: dict[int, float] = {}
    for z in zs:
        _voeg(uit, _termen_in(termen, z))
    return uit, None


def _voeg(doel: dict[int, float], bron: dict[int, float]) -> None:
    for k, g in bron.items():
        doel[k] = max(doel.get(k, 0), g)


def _niveau(lex: Lexicon, score: float, score_sterk: float, jeugd: bool, toezegging: bool,
            verwijzing: bool, context_kop: bool) -> tuple[str | None, str]:
    if score < lex.drempel_beperkt:
        return None, ""
    if jeugd and toezegging and score_sterk >= lex.drempel_aangetoond:
        return AANGETOOND, ("een toezegging (doel, maatregel, budget of resultaat) voor jeugd "
                            "of gezin die het doel noemt")
    if jeugd:
        if score_sterk < lex.drempel_beperkt:
            if verwijzing:
                return BEPERKT, "alleen een verwijzing naar een ander plan"
            return BEPERKT, "het doel wordt alleen zijdelings, als voorbeeld of als bijeffect genoemd"
        if toezegging:
            return BEPERKT, "het doel wordt wel genoemd, maar de toezegging is er te zwak voor"
        return BEPERKT, "alleen context of cijfers over jeugd, zonder toezegging"
    if toezegging and score_sterk >= lex.drempel_beperkt and not context_kop:
        return BEPERKT, "een maatregel voor alle inwoners die jeugd of gezin niet noemt"
    return None, ""


_VOLGORDE = {AANGETOOND: 0, BEPERKT: 1}


def _besluit(doel: str, kandidaten: list[Bewijs], max_bewijs: int) -> Uitkomst:
    if not kandidaten:
        return Uitkomst(doel, ONTBREEKT, "geen passage gaat over dit doel voor jeugd of gezin")
    kandidaten.sort(key=lambda b: (_VOLGORDE[b.niveau], -b.score, b.passage))
    beste = kandidaten[0]
    status = beste.niveau
    reden = beste.regel[:1].upper() + beste.regel[1:] + "."
    return Uitkomst(doel, status, reden, kandidaten[:max_bewijs])
