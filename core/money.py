"""Money: euro amounts as Decimal with 2 places, end to end (DESIGN.md §3). Never float.

- Models: `MoneyField` (DecimalField, 14 digits, 2 places, never negative).
- Forms: `MoneyFormField` reads what Dutch users type (see `parse_money`) and shows the stored
  value as "1234,56" (no thousands separator, so it is easy to edit).
- Pages: the template filter `euro` (`{% load money %}`) renders "€ 1.234,56" with Django's `nl`
  number format (thousands ".", decimals ","); a no-break space keeps "€" with its amount.
- API: DRF's DecimalField (derived from MoneyField: max_digits 14, decimal_places 2,
  min_value 0); amounts are strings like "1234.56" in JSON, as DRF does by default.
- XLSX: `EURO_XLSX_FORMAT` for cells that hold a Decimal amount as a number.

Input rule (`parse_money`), decided once for every form:
- the comma is the decimal separator: "1234,56", "1.234,56", "€ 1.234,56", "1 234,56";
- a dot followed by exactly three digits groups thousands: "1.234" is 1234, "1.234.567" too;
- a dot followed by one or two digits at the end, with no comma in the text, is read as a
  decimal point, because it cannot be a thousands separator: "1234.56" is 1234,56;
- anything else is refused with a Dutch message, among them: more than 2 decimals ("12,345"),
  negative amounts, letters, and dots that group other than per three digits ("1.23.4").
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 14
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# An Excel/LibreOffice number format: shown as € 1.234,56 in a Dutch locale.
EURO_XLSX_FORMAT = '"€" #,##0.00;-"€" #,##0.00'

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")  # 1.234 / 1.234,5 / 1.234.567,89
_PLAIN_COMMA = re.compile(r"^\d+(,\d*)?$")  # 1234 / 1234,56
_PLAIN_DOT = re.compile(r"^\d+\.\d{1,2}$")  # 1234.5 / 1234.56


def validate_not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Een bedrag kan niet negatief zijn."), code="negative")


def validate_cents(value):
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise ValidationError(_("Dit is geen bedrag."), code="invalid")
    if value.as_tuple().exponent < -DECIMAL_PLACES and value != value.quantize(CENT):
        raise ValidationError(_("Een bedrag heeft hoogstens 2 cijfers achter de komma."),
                              code="max_decimal_places")


def parse_money(text) -> Decimal:
    """A Dutch-typed amount → Decimal with 2 places. Raises ValidationError (Dutch)."""
    if isinstance(text, Decimal):
        value = text
    else:
        if isinstance(text, float):
            raise TypeError("Money is never a float.")
        raw = str(text if text is not None else "").strip()
        raw = raw.replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "")
        raw = raw.replace("\u202f", "").replace("'", "")
        if raw.startswith("-") or raw.startswith("−"):
            raise ValidationError(_("Een bedrag kan niet negatief zijn."), code="negative")
        if raw.endswith(",-") or raw.endswith(",--"):  # "€ 25,-"
            raw = raw.split(",")[0]
        if _GROUPED.match(raw) or _PLAIN_COMMA.match(raw):
            normal = raw.replace(".", "").replace(",", ".")
        elif _PLAIN_DOT.match(raw):
            normal = raw
        else:
            raise ValidationError(
                _("Vul een bedrag in euro's in, bijvoorbeeld 1234,56 of 1.234,56."),
                code="invalid")
        if normal.endswith("."):
            normal = normal[:-1]
        try:
            value = Decimal(normal)
        except InvalidOperation:
            raise ValidationError(_("Vul een bedrag in euro's in, bijvoorbeeld 1234,56."),
                                  code="invalid") from None
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


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "size": 14,
                          **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_plain(value)
        return super().format_value(value)


class MoneyFormField(forms.DecimalField):
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

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_money(value)

    def widget_attrs(self, widget):
        return {}  # no step/min attributes: this is a text input
