"""Periode: the one value type for periods (DESIGN.md §5) — never bare strings.

A Periode is a year, a school year (1 August – 31 July), a quarter or a month. It parses the
forms users and sources write ("2021", "2021-K2", "2021-03", "2021/2022", CBS "2019JJ00",
"2019KW02", "2019MM03"), knows its first and last day, and is stored in one CharField as its
canonical code, which sorts chronologically within one soort.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import total_ordering

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

JAAR, SCHOOLJAAR, KWARTAAL, MAAND = "jaar", "schooljaar", "kwartaal", "maand"
SOORTEN = [(JAAR, _("jaar")), (SCHOOLJAAR, _("schooljaar")), (KWARTAAL, _("kwartaal")),
           (MAAND, _("maand"))]
_ORDER = {JAAR: 0, SCHOOLJAAR: 1, KWARTAAL: 2, MAAND: 3}
MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"]

_PATTERNS = [
    (re.compile(r"^(\d{4})(?:JJ00)?$"), JAAR),
    (re.compile(r"^(\d{4})\s*[/-]\s*(\d{4})$"), SCHOOLJAAR),
    (re.compile(r"^(\d{4})\s*-?\s*(?:K|Q|KW0?)([1-4])$", re.I), KWARTAAL),
    (re.compile(r"^(\d{4})\s*(?:-|MM)\s*(\d{1,2})$", re.I), MAAND),
]


@total_ordering
@dataclass(frozen=True)
class Periode:
    soort: str
    jaar: int
    nummer: int = 0  # kwartaal 1-4, maand 1-12; 0 for jaar and schooljaar

    def __post_init__(self):
        valid = {JAAR: (0, 0), SCHOOLJAAR: (0, 0), KWARTAAL: (1, 4), MAAND: (1, 12)}
        if self.soort not in valid:
            raise ValueError(f"Onbekende soort periode: {self.soort}")
        low, high = valid[self.soort]
        if not (1900 <= self.jaar <= 2200 and low <= self.nummer <= high):
            raise ValueError(f"Ongeldige periode: {self.soort} {self.jaar} {self.nummer}")

    @classmethod
    def parse(cls, text: str) -> "Periode":
        value = (text or "").strip()
        for pattern, soort in _PATTERNS:
            match = pattern.match(value)
            if not match:
                continue
            jaar = int(match.group(1))
            if soort == SCHOOLJAAR:
                if int(match.group(2)) != jaar + 1:
                    break
                return cls(SCHOOLJAAR, jaar)
            nummer = int(match.group(2)) if soort in (KWARTAAL, MAAND) else 0
            try:
                return cls(soort, jaar, nummer)
            except ValueError:
                break
        raise ValueError(f"'{text}' is geen periode (bijvoorbeeld 2021, 2021-K2, 2021-03 of "
                         f"2021/2022).")

    @classmethod
    def containing(cls, day: datetime.date, soort: str) -> "Periode":
        if soort == JAAR:
            return cls(JAAR, day.year)
        if soort == SCHOOLJAAR:
            return cls(SCHOOLJAAR, day.year if day.month >= 8 else day.year - 1)
        if soort == KWARTAAL:
            return cls(KWARTAAL, day.year, (day.month - 1) // 3 + 1)
        return cls(MAAND, day.year, day.month)

    @property
    def start(self) -> datetime.date:
        if self.soort == JAAR:
            return datetime.date(self.jaar, 1, 1)
        if self.soort == SCHOOLJAAR:
            return datetime.date(self.jaar, 8, 1)
        if self.soort == KWARTAAL:
            return datetime.date(self.jaar, 3 * self.nummer - 2, 1)
        return datetime.date(self.jaar, self.nummer, 1)

    @property
    def end(self) -> datetime.date:
        if self.soort == JAAR:
            return datetime.date(self.jaar, 12, 31)
        if self.soort == SCHOOLJAAR:
            return datetime.date(self.jaar + 1, 7, 31)
        month = 3 * self.nummer if self.soort == KWARTAAL else self.nummer
        return datetime.date(self.jaar, month, calendar.monthrange(self.jaar, month)[1])

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> "Periode":
        if self.soort in (JAAR, SCHOOLJAAR):
            return Periode(self.soort, self.jaar + 1)
        last = 4 if self.soort == KWARTAAL else 12
        if self.nummer == last:
            return Periode(self.soort, self.jaar + 1, 1)
        return Periode(self.soort, self.jaar, self.nummer + 1)

    def previous(self) -> "Periode":
        if self.soort in (JAAR, SCHOOLJAAR):
            return Periode(self.soort, self.jaar - 1)
        last = 4 if self.soort == KWARTAAL else 12
        if self.nummer == 1:
            return Periode(self.soort, self.jaar - 1, last)
        return Periode(self.soort, self.jaar, self.nummer - 1)

    @property
    def code(self) -> str:
        """Canonical storage form: 2021, 2021/2022, 2021-K2, 2021-03."""
        if self.soort == JAAR:
            return str(self.jaar)
        if self.soort == SCHOOLJAAR:
            return f"{self.jaar}/{self.jaar + 1}"
        if self.soort == KWARTAAL:
            return f"{self.jaar}-K{self.nummer}"
        return f"{self.jaar}-{self.nummer:02d}"

    @property
    def label(self) -> str:
        """Dutch label for people: 2021, schooljaar 2021-2022, 2e kwartaal 2021, maart 2021."""
        if self.soort == JAAR:
            return str(self.jaar)
        if self.soort == SCHOOLJAAR:
            return f"schooljaar {self.jaar}-{self.jaar + 1}"
        if self.soort == KWARTAAL:
            return f"{self.nummer}e kwartaal {self.jaar}"
        return f"{MAANDEN[self.nummer - 1]} {self.jaar}"

    def __str__(self):
        return self.code

    def _key(self):
        return (self.start, _ORDER[self.soort])

    def __lt__(self, other):
        if not isinstance(other, Periode):
            return NotImplemented
        return self._key() < other._key()


class PeriodeField(models.CharField):
    """Stores a Periode as its canonical code; gives Periode objects back."""

    description = "Een periode (jaar, schooljaar, kwartaal of maand)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 9:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value is None else Periode.parse(value)

    def to_python(self, value):
        if value is None or isinstance(value, Periode):
            return value
        try:
            return Periode.parse(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def run_validators(self, value):
        # CharField's max_length validator measures the stored code, not the Periode object.
        super().run_validators(value.code if isinstance(value, Periode) else value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else value.code

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.code
