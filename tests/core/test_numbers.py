"""core.numbers: the one rule for numbers typed the Dutch way, with its two variants (any
number of decimals and negatives, as the monitor's targets; at most 2 decimals, no negatives,
"25,-", as euro amounts), and the shared widget and form field mixin."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.numbers import (
    DutchNumberField,
    DutchNumberInput,
    check_decimals,
    parse_dutch_number,
)

D = Decimal
MONEY = {"decimals": 2, "allow_negative": False, "empty_decimals": True,
         "ignore": ("€", "EUR", "'")}


@pytest.mark.parametrize("text, expected", [
    ("12,5", D("12.5")),
    ("12.5", D("12.5")),  # a dot that cannot group thousands is a decimal point
    ("1.250", D("1250")),  # a dot before three digits groups thousands
    ("1.250,75", D("1250.75")),
    ("1.234.567,891", D("1234567.891")),
    ("0.125", D("0.125")),  # a first group 0 does not group: the dot is a decimal point
    ("12.3456", D("12.3456")),
    (" 7 ", D("7")),
    ("1 250", D("1250")),
    ("1\u00a0250,5", D("1250.5")),
    ("1\u202f250", D("1250")),
    ("-3,5", D("-3.5")),
    ("−2", D("-2")),  # the minus sign U+2212
    ("- 4", D("-4")),
    ("0", D("0")),
    (5, D("5")),
])
def test_any_decimals_and_negatives(text, expected):
    assert parse_dutch_number(text) == expected


def test_ignored_texts_and_the_type():
    value = parse_dutch_number("12,5 %", ignore=("%",))
    assert value == D("12.5") and isinstance(value, Decimal)
    assert str(parse_dutch_number("-0")) == "-0"  # the sign is kept, as typed


@pytest.mark.parametrize("text", [
    "", None, "twaalf", "1,2,3", "1.23.4", "--3", "12,", ",5", "1e3", "12,5%", "1.250.0",
    "0.125,5", "12,-", "€ 5", "1,5 -",
])
def test_any_decimals_refuses_what_is_no_number(text):
    with pytest.raises(ValidationError) as exc:
        parse_dutch_number(text)
    assert exc.value.code == "invalid"
    assert exc.value.messages == ["Vul een getal in, bijvoorbeeld 12,5 of 1.250."]


@pytest.mark.parametrize("text, expected", [
    ("1234,56", D("1234.56")),
    ("1.234,56", D("1234.56")),
    ("€ 1.234,56", D("1234.56")),
    ("EUR 1'234,5", D("1234.5")),
    ("1234.56", D("1234.56")),  # a dot with 1-2 digits is a decimal point
    ("1.234", D("1234")),  # a dot with three digits groups thousands
    ("0.125", D("125")),  # and cannot be a decimal point here, even after 0
    ("25,-", D("25")),
    ("25,--", D("25")),
    ("25,", D("25")),
    ("1.234,", D("1234")),
    ("12,340", D("12.340")),  # a trailing zero is no third decimal
])
def test_at_most_two_decimals_no_negatives(text, expected):
    assert parse_dutch_number(text, **MONEY) == expected


@pytest.mark.parametrize("text, code", [
    ("-5", "negative"),
    ("−5,00", "negative"),
    ("-", "negative"),
    ("12,345", "max_decimal_places"),
    ("1.234,567", "max_decimal_places"),
    ("1234.567", "invalid"),  # three digits after a dot: grouping, and 1234 is no group
    ("1.2345", "invalid"),
    ("1.23.4", "invalid"),
    ("12a", "invalid"),
    ("1,234,56", "invalid"),
    ("", "invalid"),
])
def test_at_most_two_decimals_refuses(text, code):
    with pytest.raises(ValidationError) as exc:
        parse_dutch_number(text, **MONEY)
    assert exc.value.code == code


def test_messages_can_be_given_and_the_defaults_are_dutch():
    with pytest.raises(ValidationError) as exc:
        parse_dutch_number("-1", allow_negative=False)
    assert exc.value.messages == ["Vul een getal van 0 of meer in."]
    with pytest.raises(ValidationError) as exc:
        parse_dutch_number("1,234", decimals=2)
    assert exc.value.messages == ["Vul een getal in met hoogstens 2 cijfers achter de komma."]
    with pytest.raises(ValidationError) as exc:
        parse_dutch_number("x", messages={"invalid": "Geen getal."})
    assert exc.value.messages == ["Geen getal."]


def test_check_decimals():
    check_decimals(D("1.50"), 1)
    check_decimals(D("1.500"), 2)
    with pytest.raises(ValidationError):
        check_decimals(D("1.05"), 1)


class Getal(DutchNumberField, forms.FloatField):
    def parse(self, value):
        return float(parse_dutch_number(value))


class GetalInput(DutchNumberInput):
    number_type = float

    def format_number(self, value):
        return f"{value:g}".replace(".", ",")


def test_the_form_field_mixin_and_the_widget():
    class F(forms.Form):
        getal = Getal(widget=GetalInput, required=False)

    form = F({"getal": "1.250,5"})
    assert form.is_valid() and form.cleaned_data["getal"] == 1250.5
    assert F({"getal": ""}).is_valid()
    form = F({"getal": "1,2,3"})
    assert form.errors["getal"] == ["Vul een getal in, bijvoorbeeld 12,5 of 1.250."]
    html = str(F(initial={"getal": 12.5})["getal"])
    assert 'type="text"' in html and 'value="12,5"' in html
    assert 'inputmode="decimal"' in html and 'autocomplete="off"' in html
    assert 'size="12"' in html and "step" not in html
    assert 'value="1,5"' in str(F({"getal": "1,5"})["getal"])  # what was typed, as typed
