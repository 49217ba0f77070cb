"""Money: euro amounts as Decimal with 2 places, end to end (DESIGN.md §3). Never float.

- Models: `MoneyField` (DecimalField, 14 digits, 2 places, never negative).
- Forms: `MoneyFormField` reads what Dutch users type (see `parse_money`) and shows the stored
  value as "1234,56" (no thousands separator, so it is easy to edit).
- Pages: the template filter `euro` (`{% load money %}`) renders "€ 1.234,56" with Django's `nl`
  number format (thousands ".", decimals ","); a no-break space keeps "€" with its amount.
- API: DRF's DecimalField (derived from MoneyField: max_digits 14, decimal_places 2,
  min_value 0); amounts are strings like "1234.56" in JSON, as DRF does by default.
- XLSX: `EURO_XLSX_FORMAT` for cells that hold a Decimal amount as a number.

Input rule (`parse_money`): core.numbers.parse_dutch_number with at most 2 decimals, decided
once for every form:
- the comma is the decimal separator: "1234,56", "1.234,56", "€ 1.234,56", "1 234,56";
- a dot followed by exactly three digits groups thousands: "1.234" is 1234, "1.234.567" too;
- a dot followed by one or two digits at the end, with no comma in the text, is read as a
  decimal point, because it cannot be a thousands separator: "1234.56" is 1234,56;
- "25,-" and "25," are 25,00;
- anything else is refused with a Dutch message, among them: more than 2 decimals ("12,345"),
  negative amounts, letters, and dots that group other than per three digits ("1.23.4").
"""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.numbers import DutchNumberField, DutchNumberInput, check_decimals, parse_dutch_number

MAX_DIGITS = 14
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# An Excel/LibreOffice number format: shown as € 1.234,56 in a Dutch locale.
EURO_XLSX_FORMAT = '"€" #,##0.00;-"€" #,##0.00'

# How parse_money reads text: core.numbers' rule with these options and messages.
_PARSE_OPTIONS = {
    "decimals": DECIMAL_PLACES,
    "allow_negative": False,
    "empty_decimals": True,  # "25,-"
    "ignore": ("€", "EUR", "'"),
    "messages": {
        "invalid": _("Vul een bedrag in euro's in, bijvoorbeeld 1234,56 of 1.234,56."),
        "negative": _("Een bedrag kan niet negatief zijn."),
        "max_decimal_places": _("Een bedrag heeft hoogstens 2 cijfers achter de komma."),
    },
}


def validate_not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Een bedrag kan niet negatief zijn."), code="negative")


def validate_cents(value):
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise ValidationError(_("Dit is geen bedrag."), code="invalid")
    check_decimals(value, DECIMAL_PLACES, _PARSE_OPTIONS["messages"]["max_decimal_places"])


def parse_money(text) -> Decimal:
    """A Dutch-typed amount → Decimal with 2 places. Raises ValidationError (Dutch)."""
    if isinstance(text, float):
        raise TypeError("Money is never a float.")
    value = text if isinstance(text, Decimal) else parse_dutch_number(text, **_PARSE_OPTIONS)
    validate_not_negative(value)
    validate_cents(value)
    if len(value.quantize(CENT).as_tuple().digits) > MAX_DIGITS:
        raise ValidationError(_("Dit bedrag is te groot."), code="max_digits")
    return value.quantize(CENT)


def to_money(value) -> Decimal:
    """Decimal, int or str (with a dot) → Decimal with exactly 2 places, rounded half up."""
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    return Decimal(value if value is not None else 0).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euro(value, *, sign=True) -> str:
    """Decimal → '€ 1.234,56' (Dutch: '.' groups thousands, ',' before the cents)."""
    if value in (None, ""):
        return ""
    amount = to_money(value)
    text = formats.number_format(abs(amount), DECIMAL_PLACES, use_l10n=True,
                                 force_grouping=True)
    prefix = "-" if amount < 0 and sign else ""
    return f"{prefix}€\u00a0{text}"


def format_plain(value) -> str:
    """Decimal → '1234,56' for form inputs (the decimal comma, no grouping)."""
    if value in (None, ""):
        return ""
    return f"{to_money(value):.2f}".replace(".", ",")


class MoneyField(models.DecimalField):
    """A euro amount: Decimal, 14 digits, 2 places, never negative."""

    description = _("Bedrag in euro")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        return [*super().validators, validate_not_negative]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_digits") == MAX_DIGITS:
            del kwargs["max_digits"]
        if kwargs.get("decimal_places") == DECIMAL_PLACES:
            del kwargs["decimal_places"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


class MoneyInput(DutchNumberInput):
    size = 14
    number_type = Decimal

    def format_number(self, value):
        return format_plain(value)


class MoneyFormField(DutchNumberField, forms.DecimalField):
    """A form field for euro amounts typed the Dutch way (rule in the module docstring)."""

    widget = MoneyInput

    def __init__(self, *, max_value=None, min_value=None, max_digits=None,
                 decimal_places=None, **kwargs):
        kwargs.setdefault("help_text", _("In euro's, bijvoorbeeld 1.234,56."))
        kwargs.pop("localize", None)
        super().__init__(max_value=max_value, min_value=min_value, max_digits=MAX_DIGITS,
                         decimal_places=DECIMAL_PLACES, **kwargs)
        # Our own checks give the messages; DRF/Django's generic ones are not needed here.
        self.validators = [v for v in self.validators
                           if not isinstance(v, DecimalValidator)]

    def parse(self, value):
        return parse_money(value)
