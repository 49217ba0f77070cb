"""Spotting likely personal data in what a child wrote, before staff approve a public text.

A helper for the moderator, not a filter: it flags what looks like a Dutch phone number, an
e-mail address, a postcode (with or without a house number), a street with a house number, or a
first name that comes with a class or a street ("Sanne uit groep 7", "Daan van de
Hoofdstraat", "ik heet Daan"). It errs on the side of flagging; a person decides. Children do
not write tidy text, so separators (spaces, dashes, dots), lower case and missing spaces are
allowed where they are common.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# 06-12345678, 06 1234 5678, +31 6 12345678, 0031612345678, 050-1234567, (050) 123 45 67:
# a Dutch prefix and then nine digits with optional separators.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+31|0031|\(?0)[\s.\-]*(?:\(0\)[\s.\-]*)?\d(?:[\s.\-)]*\d){8}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+\s?@\s?[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_STREET_WORDS = (r"straat|weg|laan|plein|singel|dreef|pad|kade|gracht|steeg|hof|dijk|park|ring"
                 r"|wal|diep|markt|erf|lane|zijl|borg|kamp|veld|akker|hoek")
_STREET = rf"[A-Z][a-zà-ÿ]*(?:{_STREET_WORDS})\b"
# 9741 AB (capitals), or any case when a house number follows: 9741ab 12 (but not "2024 en
# 2025": common two-letter words are no postcode letters in lower case).
_WORDS = r"(?i:en|in|op|te|of|is|om|de|al|na|nu|zo|ik|je|we|ze|er|ja|ok|of|at|to|un)\b"
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?:[A-Z]{2}\b(?:[\s,]*\d{1,4}[a-zA-Z]?\b)?"
                       rf"|(?!{_WORDS})[a-zA-Z]{{2}}[\s,]+\d{{1,4}}[a-zA-Z]?\b)")
_ADDRESS = re.compile(rf"\b{_STREET}\s+\d{{1,4}}\s?[a-zA-Z]?\b")
_NAME = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
# Capitalised words that start sentences and are no names ("Wij uit groep 7 ...").
_NOT_NAMES = {"Ik", "Wij", "We", "Jij", "Je", "Jullie", "Zij", "Ze", "Hij", "De", "Het", "Een",
              "Mijn", "Onze", "Ons", "Die", "Dat", "Deze", "Kinderen", "Iedereen", "Alle",
              "Veel", "Groep", "Klas", "School", "Meester", "Juf"}
_NAME_WITH_CLASS = re.compile(
    rf"\b(?P<naam>{_NAME})\s+(?:(?:uit|van|in|zit in|zit op|op)\s+)?(?:de\s+|het\s+)?"
    r"(?:groep|klas)\s*\d", re.UNICODE)
_NAME_WITH_STREET = re.compile(
    rf"\b(?P<naam>{_NAME})\s+(?:uit|van|in|op|aan|bij)\s+(?:de\s+|het\s+)?{_STREET}",
    re.UNICODE)
_NAME_INTRODUCED = re.compile(
    rf"\b(?:[Ii]k\s+heet|[Mm]ijn\s+naam\s+is|[Ii]k\s+ben)\s+(?P<naam>{_NAME})", re.UNICODE)


@dataclass(frozen=True)
class Signaal:
    soort: str  # telefoon, email, postcode, adres, naam
    tekst: str  # what was found
    start: int
    end: int

    @property
    def label(self):
        return SOORTEN[self.soort]


SOORTEN = {
    "telefoon": _("telefoonnummer"),
    "email": _("e-mailadres"),
    "postcode": _("postcode"),
    "adres": _("straat met huisnummer"),
    "naam": _("naam met klas of straat"),
}


def _names(pattern, text):
    for m in pattern.finditer(text):
        if m.group("naam") not in _NOT_NAMES:
            yield m.start(), m.end()


def signaleer(*teksten: str) -> list[Signaal]:
    """Every likely piece of personal data in the texts (joined), in order; overlapping
    matches are merged into one (of the kind that starts first)."""
    text = "\n".join(t for t in teksten if t)
    found = []
    for soort, pattern in (("email", _EMAIL), ("telefoon", _PHONE), ("postcode", _POSTCODE),
                           ("adres", _ADDRESS)):
        found += [(m.start(), m.end(), soort) for m in pattern.finditer(text)]
    for pattern in (_NAME_WITH_CLASS, _NAME_WITH_STREET, _NAME_INTRODUCED):
        found += [(start, end, "naam") for start, end in _names(pattern, text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    spans = []
    for start, end, soort in found:
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end, soort])
    return [Signaal(soort, text[start:end].strip(" ,.-"), start, end)
            for start, end, soort in spans]
