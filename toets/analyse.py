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
    doel: str
    index: int
    tekst: str
    gewicht: float
    delen: tuple[str, ...]  # stems of the words of the term (one for a single word)
    vormen: tuple[str, ...]  # roots of its last word for compound matching ("" = none)
    uitgezonderd: frozenset[str]


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


def _term(doel: str, index: int, spec: dict, globaal_uit: frozenset[str]) -> Term:
    tekst = spec["term"].lower().strip()
    ws = woorden(tekst)
    laatste = ws[-1]
    vormen = tuple(sorted({laatste, stam(laatste)}, key=len, reverse=True)) \
        if len(stam(laatste)) >= 4 and spec.get("samenstelling", True) else ()
    return Term(doel, index, tekst, float(spec.get("gewicht", 1)), tuple(stam(w) for w in ws),
                vormen, frozenset(u.lower() for u in spec.get("uitgezonderd", [])) | globaal_uit)


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
    toezegging_rij: re.Pattern
    terugverwijzing: re.Pattern
    context: re.Pattern
    context_kop: re.Pattern
    verwijzing: re.Pattern
    bijeffect: re.Pattern
    andere_groep: re.Pattern
    negeer: re.Pattern | None
    woord_termen: dict = field(default_factory=dict)  # cache: word -> single-word terms in it

    def __post_init__(self):
        self.enkel = [t for ts in self.doelen.values() for t in ts if len(t.delen) == 1]
        self.frasen: dict[str, list[Term]] = {}
        for ts in self.doelen.values():
            for t in ts:
                if len(t.delen) > 1:
                    self.frasen.setdefault(t.delen[0], []).append(t)
        self.per_stam: dict[str, list[Term]] = {}
        for t in self.enkel:
            self.per_stam.setdefault(t.delen[0], []).append(t)

    def termen_van_woord(self, woord: str) -> tuple[Term, ...]:
        """The single-word terms a word carries, by stem or as a compound part (cached). An
        excluded word excludes its compounds too ("gezondheidszorg" for "gezondheid" also
        rules out "jeugdgezondheidszorg")."""
        gevonden = self.woord_termen.get(woord)
        if gevonden is None:
            s = stam(woord)
            gevonden = tuple(t for t in self.enkel
                             if not any(u in woord for u in t.uitgezonderd)
                             and (t.delen[0] == s or _samengesteld(woord, t.vormen)))
            self.woord_termen[woord] = gevonden
        return gevonden


def _alternatie(patronen: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patronen), re.IGNORECASE)


def compileer(inhoud: dict, versie: str = "") -> Lexicon:
    globaal_uit = frozenset(inhoud.get("uitgezonderd", []))
    signalen = inhoud["signalen"]
    return Lexicon(
        versie=versie or str(inhoud.get("versie", "")),
        drempel_aangetoond=float(inhoud["drempels"]["aangetoond"]),
        drempel_beperkt=float(inhoud["drempels"]["beperkt"]),
        doelen={str(nr): [_term(str(nr), i, t, globaal_uit) for i, t in enumerate(d["termen"])]
                for nr, d in inhoud["doelen"].items()},
        jeugd=_alternatie(signalen["jeugd"]),
        jeugd_uit=_alternatie(signalen["jeugd_uitgezonderd"]),
        toezegging=_alternatie(signalen["toezegging"]),
        toezegging_kop=_alternatie(signalen["toezegging_kop"]),
        toezegging_rij=_alternatie(signalen["toezegging_rij"]),
        terugverwijzing=_alternatie(signalen["terugverwijzing"]),
        context=_alternatie(signalen["context"]),
        context_kop=_alternatie(signalen["context_kop"]),
        verwijzing=_alternatie(signalen["verwijzing"]),
        bijeffect=_alternatie(signalen["bijeffect"]),
        andere_groep=_alternatie(signalen["andere_groep"]),
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
# "A, B en C": an enumeration of three or more items of one to three words each.
_OPSOMMING = re.compile(r"(?:[\w()/'-]+(?:\s+[\w()/'-]+){0,2}\s*,\s*){1,}[\w()/'-]+"
                        r"(?:\s+[\w()/'-]+){0,2}\s+(?:en|of)\s+[\w()/'-]+(?:\s+[\w()/'-]+){0,2}")
KERN = 2  # a passage needs at least one term of this weight: supportive words alone never count


def zinnen(tekst: str) -> list[str]:
    return [z for z in (d.strip() for d in _ZIN.split(tekst)) if z]


@dataclass
class _Zin:
    termen: dict[tuple[str, int], float]  # (doel, term index) -> weight in this sentence
    toezegging: bool
    zijdelings: bool  # a reference, a by-product clause or an example
    verwijzing: bool
    andere_groep: bool  # about another group (ouderen, uitkeringsgerechtigden) and not youth
    terug: bool  # refers back ("Om dit te bereiken ...", "Hiervoor ..."): commits what came before


def _termen_in_zin(lex: Lexicon, z: str) -> dict[tuple[str, int], float]:
    """{(doel, term index): weight} of the terms in a sentence. Per doel every word counts for
    one term only (phrases and heavier terms first); a term inside an enumeration counts half."""
    ws = woorden(z)
    stammen = [stam(w) for w in ws]
    opsomming: set[int] = set()
    for m in _OPSOMMING.finditer(z):
        voor = len(woorden(z[:m.start()]))
        opsomming |= set(range(voor, voor + len(woorden(m.group()))))
    plaatsen: list[tuple[Term, tuple[int, ...]]] = []
    for i, (w, s) in enumerate(zip(ws, stammen, strict=True)):
        for t in lex.termen_van_woord(w):
            plaatsen.append((t, (i,)))
        for t in lex.frasen.get(s, ()):
            n = len(t.delen)
            if i + n <= len(ws) and all(
                    stammen[i + k] == t.delen[k] or
                    (k == n - 1 and _samengesteld(ws[i + k], t.vormen)) for k in range(1, n)):
                plaatsen.append((t, tuple(range(i, i + n))))
    plaatsen.sort(key=lambda tp: (-len(tp[0].delen), -tp[0].gewicht, -len(tp[0].tekst)))
    gebruikt: dict[str, set[int]] = {}
    uit: dict[tuple[str, int], float] = {}
    for t, pos in plaatsen:
        bezet = gebruikt.setdefault(t.doel, set())
        if bezet.intersection(pos):
            continue
        bezet.update(pos)
        gewicht = t.gewicht / 2 if opsomming.issuperset(pos) else t.gewicht
        key = (t.doel, t.index)
        uit[key] = max(uit.get(key, 0), gewicht)
    return uit


def _ontleed(lex: Lexicon, tekst: str) -> list[_Zin]:
    uit = []
    for z in zinnen(lex.negeer.sub(" ", tekst) if lex.negeer else tekst):
        verwijzing = bool(lex.verwijzing.search(z))
        uit.append(_Zin(
            _termen_in_zin(lex, z),
            toezegging=bool(lex.toezegging.search(z)) and not lex.context.search(z),
            zijdelings=verwijzing or bool(lex.bijeffect.search(z)),
            verwijzing=verwijzing,
            andere_groep=bool(lex.andere_groep.search(z)) and not _heeft_jeugd(lex, z),
            terug=bool(lex.terugverwijzing.search(z)),
        ))
    return uit


@dataclass
class Kandidaat:
    """What one passage has for one doel; the thresholds decide what it is worth."""

    passage: object
    termen: list[str]
    score: float
    score_sterk: float
    kern: bool
    jeugd: bool
    toezegging: bool
    verwijzing: bool
    context_kop: bool


def kandidaten(passages, lexicon: Lexicon, voortgang=None) -> dict[str, list[Kandidaat]]:
    """Per doel the passages that name it, with their signals (independent of thresholds).
    `voortgang(gedaan, totaal)` is called after each passage (the background task shows it)."""
    passages = list(passages)
    koppen: dict[str, tuple] = {}
    uit: dict[str, list[Kandidaat]] = {doel: [] for doel in lexicon.doelen}
    for i, p in enumerate(passages):
        # Youth context: the passage, its heading, or the passages just before it in its section.
        jeugd = _heeft_jeugd(lexicon, p.tekst) or (bool(p.kop) and _heeft_jeugd(lexicon, p.kop)) \
            or any(_heeft_jeugd(lexicon, passages[j].tekst)
                   for j in range(max(0, i - 2), i) if passages[j].kop == p.kop)
        if p.kop not in koppen:
            context_kop = bool(p.kop) and bool(lexicon.context_kop.search(p.kop))
            kop_termen: dict[tuple[str, int], float] = {}
            for z in _ontleed(lexicon, p.kop) if p.kop else []:
                _voeg(kop_termen, z.termen)
            koppen[p.kop] = (bool(p.kop) and bool(lexicon.toezegging_kop.search(p.kop))
                             and not context_kop, context_kop, kop_termen)
        kop_toezegging, context_kop, kop_termen = koppen[p.kop]
        zs = _ontleed(lexicon, p.tekst)
        rij = bool(lexicon.toezegging_rij.search(p.tekst))
        for doel, termen in lexicon.doelen.items():
            # The heading names the doel: its terms count for every passage under it.
            sterk = {k: g for k, g in kop_termen.items() if k[0] == doel}
            alle = dict(sterk)
            # A commitment counts for the doel when it stands in the sentence that names the
            # doel, in a later sentence that refers back to it, under a heading or in a table
            # row of commitments ("Wat gaan we doen?", "Activiteiten | ...").
            toezegging, eerder = rij, False
            for z in zs:
                if z.andere_groep:
                    continue  # about ouderen or uitkeringsgerechtigden: not this doel for youth
                hier = {k: g for k, g in z.termen.items() if k[0] == doel}
                _voeg(alle, hier)
                if z.toezegging and z.terug and eerder:
                    toezegging = True
                if hier and not z.zijdelings:
                    _voeg(sterk, hier)
                    toezegging |= z.toezegging
                    eerder = True
            if not alle:
                continue
            uit[doel].append(Kandidaat(
                p, [termen[k[1]].tekst for k in sorted(alle)], sum(alle.values()),
                sum(sterk.values()), any(termen[k[1]].gewicht >= KERN for k in alle), jeugd,
                bool(sterk) and (toezegging or kop_toezegging),
                any(z.verwijzing for z in zs), context_kop))
        if voortgang is not None:
            voortgang(i + 1, len(passages))
    return uit


def beslis(per_doel: dict[str, list[Kandidaat]], drempel_aangetoond: float,
           drempel_beperkt: float, max_bewijs: int = 5) -> dict[str, Uitkomst]:
    uitkomsten = {}
    for doel, lijst in per_doel.items():
        bewijzen = []
        for k in lijst:
            if not k.kern:
                continue
            niveau, regel = _niveau(k, drempel_aangetoond, drempel_beperkt)
            if niveau is not None:
                p = k.passage
                bewijzen.append(Bewijs(p.nummer, p.pagina, p.kop, p.tekst, k.termen, k.score,
                                       niveau, regel))
        uitkomsten[doel] = _besluit(doel, bewijzen, max_bewijs)
    return uitkomsten


def analyseer(passages, lexicon: Lexicon, max_bewijs: int = 5,
              voortgang=None) -> dict[str, Uitkomst]:
    """{doel nummer: Uitkomst} for every doel of the lexicon. `passages` are toets.tekst.Passage
    (or anything with nummer, pagina, kop and tekst)."""
    return beslis(kandidaten(passages, lexicon, voortgang), lexicon.drempel_aangetoond,
                  lexicon.drempel_beperkt, max_bewijs)


def _voeg(doel: dict, bron: dict) -> None:
    for k, g in bron.items():
        doel[k] = max(doel.get(k, 0), g)


def _niveau(k: Kandidaat, aangetoond: float, beperkt: float) -> tuple[str | None, str]:
    if k.score < beperkt:
        return None, ""
    if k.jeugd and k.toezegging and k.score_sterk >= aangetoond:
        return AANGETOOND, ("een toezegging (doel, maatregel, budget of resultaat) voor jeugd "
                            "of gezin die het doel noemt")
    if k.jeugd:
        if k.score_sterk < beperkt:
            if k.verwijzing:
                return BEPERKT, "alleen een verwijzing naar een ander plan"
            return BEPERKT, ("het doel wordt alleen zijdelings, als voorbeeld of als bijeffect "
                             "genoemd")
        if k.toezegging:
            return BEPERKT, "het doel wordt wel genoemd, maar de toezegging is er te zwak voor"
        return BEPERKT, "alleen context of cijfers over jeugd, zonder toezegging"
    if k.toezegging and k.score_sterk >= beperkt and not k.context_kop:
        return BEPERKT, "een maatregel voor alle inwoners die jeugd of gezin niet noemt"
    return None, ""


_VOLGORDE = {AANGETOOND: 0, BEPERKT: 1}


def _besluit(doel: str, kandidaten: list[Bewijs], max_bewijs: int) -> Uitkomst:
    if not kandidaten:
        return Uitkomst(doel, ONTBREEKT, "Geen passage gaat over dit doel voor jeugd of gezin.")
    kandidaten.sort(key=lambda b: (_VOLGORDE[b.niveau], -b.score, b.passage))
    beste = kandidaten[0]
    reden = beste.regel[:1].upper() + beste.regel[1:] + "."
    return Uitkomst(doel, beste.niveau, reden, kandidaten[:max_bewijs])
