"""Numbers typed the Dutch way, one rule for every form (euro amounts in core.money, the
monitor's targets in monitor.forms).

The rule (`parse_dutch_number`):
- the comma is the decimal separator: "12,5", "1234,56";
- a dot followed by groups of exactly three digits groups thousands: "1.250" is 1250,
  "1.234.567,89" too;
- otherwise a single dot is read as a decimal point ("12.5"), since it cannot group thousands;
  where at most `decimals` decimals are allowed, only with 1 to `decimals` digits after it;
- a first group that starts with 0 ("0.125") groups thousands only where the dot cannot be a
  decimal point (at most 2 decimals); otherwise the dot is the decimal point (0,125);
- spaces (also the no-break ones) are ignored, and so are the extra `ignore` texts ("€", "%");
- a leading minus ("-" or "−") makes the number negative, or is refused;
- with `empty_decimals`, a comma with nothing after it ("12,") or the price notation
  "25,-" means no decimals.
Anything else is refused with a Dutch ValidationError.

`DutchNumberInput` (a text input with inputmode "decimal") and `DutchNumberField` (the form
field mixin: parses with the rule, no step/min/max attributes) are the shared form parts.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SPACES = (" ", "\u00a0", "\u202f")
MINUS = ("-", "−")
MESSAGES = {
    "invalid": _("Vul een getal in, bijvoorbeeld 12,5 of 1.250."),
    "negative": _("Vul een getal van 0 of meer in."),
    "max_decimal_places": _("Vul een getal in met hoogstens %(decimals)s cijfers achter de "
                            "komma."),
}

_PATTERNS = {}


def _patterns(decimals, empty_decimals):
    """(grouped, with a comma, with a dot) for these options; compiled once."""
    key = (decimals, empty_decimals)
    if key not in _PATTERNS:
        # A first group "0.125" can only be grouping where a dot takes at most 2 decimals.
        lead = r"\d{1,3}" if decimals is not None and decimals < 3 else r"[1-9]\d{0,2}"
        comma = r"(,\d*)?" if empty_decimals else r"(,\d+)?"
        dot = r"\.\d+" if decimals is None else rf"\.\d{{1,{decimals}}}"
        _PATTERNS[key] = (re.compile(rf"^{lead}(\.\d{{3}})+{comma}$"),
                          re.compile(rf"^\d+{comma}$"),
                          re.compile(rf"^\d+{dot}$"))
    return _PATTERNS[key]


def parse_dutch_number(text, *, decimals=None, allow_negative=True, empty_decimals=False,
                       ignore=(), messages=None) -> Decimal:
    """A Dutch-typed number → Decimal (as typed: not rounded). Raises ValidationError.

    decimals: at most this many decimals (None: any); allow_negative: a leading minus is read
    (else refused); empty_decimals: "12," and "25,-" are read as whole numbers; ignore: texts
    removed before reading (in this order, before the spaces); messages: overrides of
    MESSAGES by error code ("invalid", "negative", "max_decimal_places").
    """
    messages = {**MESSAGES, **(messages or {})}
    raw = str(text if text is not None else "").strip()
    for token in (*ignore, *SPACES):
        raw = raw.replace(token, "")
    negative = raw[:1] in MINUS
    if negative:
        if not allow_negative:
            raise ValidationError(messages["negative"], code="negative")
        raw = raw[1:]
    if empty_decimals and (raw.endswith(",-") or raw.endswith(",--")):  # "€ 25,-"
        raw = raw.split(",")[0]
    grouped, with_comma, with_dot = _patterns(decimals, empty_decimals)
    if grouped.match(raw) or with_comma.match(raw):
        normal = raw.replace(".", "").replace(",", ".")
    elif with_dot.match(raw):
        normal = raw
    else:
        raise ValidationError(messages["invalid"], code="invalid")
    try:
        value = Decimal(normal.removesuffix("."))
    except InvalidOperation:
        raise ValidationError(messages["invalid"], code="invalid") from None
    if decimals is not None:
        check_decimals(value, decimals, messages["max_decimal_places"])
    return value.copy_negate() if negative else value


def check_decimals(value: Decimal, decimals: int, message=MESSAGES["max_decimal_places"]):
    """ValidationError unless `value` has at most `decimals` decimals (trailing zeros aside)."""
    step = Decimal(1).scaleb(-decimals)
    if value.as_tuple().exponent < -decimals and value != value.quantize(step):
        raise ValidationError(message, code="max_decimal_places",
                              params={"decimals": decimals})


class DutchNumberInput(forms.TextInput):
    """A text input for a Dutch-typed number: the phone's decimal keyboard, no autocomplete.
    Values of `number_type` are shown by `format_number`; anything else (what was typed) as
    it is."""

    size = 12
    number_type = Decimal

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "size": self.size,
                          **(attrs or {})})

    def format_number(self, value) -> str:
        raise NotImplementedError

    def format_value(self, value):
        if isinstance(value, self.number_type):
            return self.format_number(value)
        return super().format_value(value)


class DutchNumberField:
    """Form field mixin, before a Django number field (DecimalField, FloatField): reads what
    is typed with `parse`, renders as a text input (no step/min/max attributes)."""

    widget = DutchNumberInput

    def parse(self, value):
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return self.parse(value)

    def widget_attrs(self, widget):
        return {}  # a text input: no step/min/max attributes
