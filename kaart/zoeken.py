"""Dutch search for the sociale kaart: one way of turning text into search terms, used both when
an aanbod is indexed and when a visitor searches, so the two always meet.

A word becomes a term in four steps: lower case without accents; Snowball's `dutch_porter`
stemmer (pinned in pyproject.toml); a spelling normalisation that makes verb forms meet
(doubled letters single, a final z as s, a final v as f: voorlezen → voorlez → vorles,
voorlees(ochtend) → vorles...); and, for compounds, the known words a word ends in are added as
terms of their own (voorleesochtend also gives ochtend). A query term matches every indexed term
it is the start of (prefix), so "voorlezen" finds "voorleesochtend" and "kind" finds
"kinderen". A query term that matches nothing is tried again with the indexed terms one edit
away (typo tolerance; only for words of 3 letters or more).

The terms are stored space-separated in Aanbod.zoektekst. PostgreSQL indexes them with the
`simple` text-search configuration (no stemming of its own: the terms already are stems), as a
stored tsvector column `zoekvector` the database generates from zoektekst, with a GIN index
(migration 0006); SQLite with an FTS5 table kept in step by triggers (migration 0002).
Zoekterm holds every distinct term per gemeente, for the typo tolerance.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
_DOUBLE = re.compile(r"(.)\1+")
_STEMMER = snowballstemmer.stemmer("dutch_porter")

# Words a compound often ends in (youth, family and leisure services). A word ending in one of
# these (with at least three letters before it) is also indexed under it.
DELEN = """
ochtend middag avond dag week uur les lessen club groep training cursus spreekuur hulp
begeleiding ondersteuning zorg opvang opvoeding opvoeden ouder ouders kind kinderen jeugd
jongeren baby peuter school huiswerk taal lezen voorlezen sport sporten zwemmen dans dansen
muziek theater kunst spel spelen speeltuin bewegen gezondheid voeding armoede geld schuld
schulden werk stage inloop loket team coach coaching maatje maatjes moeder vader gezin gezinnen
buurt wijk centrum huis thuis tuin koken kook vakantie zomer feest markt fiets voetbal
""".split()


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _canon(stem: str) -> str:
    stem = _DOUBLE.sub(r"\1", stem)
    if stem.endswith("z"):
        stem = stem[:-1] + "s"
    elif stem.endswith("v"):
        stem = stem[:-1] + "f"
    return stem


@lru_cache(maxsize=50_000)
def term(word: str) -> str:
    """One plain word → its search term."""
    return _canon(_STEMMER.stemWord(word))


@lru_cache(maxsize=1)
def _delen():
    return sorted({_plain(d) for d in DELEN}, key=len, reverse=True)


def woorden(text: str) -> list[str]:
    return _WORD.findall(_plain(text or ""))


def grenzen(word: str) -> list[int]:
    """Where a compound splits, found from its end: zomerspelweek → [9, 5] (zomer|spel|week).
    A linking s or e before a part stays with the part before it (voorlees|ochtend)."""
    found = []
    rest = word
    while True:
        deel = next((d for d in _delen() if len(rest) - len(d) >= 3 and rest.endswith(d)), None)
        if deel is None:
            return found
        rest = rest[: -len(deel)]
        found.append(len(rest))
        if rest.endswith(("s", "e")) and len(rest) > 4:
            rest = rest[:-1]


@lru_cache(maxsize=50_000)
def _termen_van_woord(word: str) -> tuple[str, ...]:
    """The word's own term; for a compound also the terms of every tail (zomerspelweek →
    spelweek, week) and of its head (zomerspel), so a query for any part finds it."""
    found = [term(word)]
    splits = grenzen(word)
    for b in splits:
        found.append(term(word[b:]))
    if splits:
        found.append(term(word[: splits[0]]))
    return tuple(dict.fromkeys(t for t in found if t))


def index_termen(*texts: str) -> list[str]:
    """The terms under which a text is found (distinct, in order of appearance)."""
    terms = []
    for text in texts:
        for word in woorden(text):
            terms.extend(_termen_van_woord(word))
    return list(dict.fromkeys(terms))


def query_termen(query: str) -> list[str]:
    """The terms of a search query (each must match, as the start of an indexed term)."""
    return list(dict.fromkeys(term(w) for w in woorden(query) if len(w) >= 2 or w.isdigit()))


def een_bewerking(a: str, b: str) -> bool:
    """Are a and b at most one edit apart (insert, delete, replace, swap of neighbours)?"""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]
