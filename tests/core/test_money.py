"""Money: Decimal with 2 places end to end; Dutch input and output."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from core.money import MoneyFormField, format_euro, format_plain, parse_money, to_money

D = Decimal


@pytest.mark.parametrize("text, expected", [
    ("1234,56", D("1234.56")),
    ("1.234,56", D("1234.56")),
    ("€ 1.234,56", D("1234.56")),
    ("1 234,56", D("1234.56")),
    ("1234.56", D("1234.56")),  # a dot with 1-2 digits at the end is a decimal point
    ("1234.5", D("1234.50")),
    ("1.234", D("1234.00")),  # a dot with three digits groups thousands
    ("1.234.567", D("1234567.00")),
    ("25,-", D("25.00")),
    ("0", D("0.00")),
    ("12,5", D("12.50")),
])
def test_parse_dutch_amounts(text, expected):
    value = parse_money(text)
    assert value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize("text, message", [
    ("-5", "negatief"),
    ("−5,00", "negatief"),
    ("12,345", "2 cijfers achter de komma"),
    ("1.2345", "bedrag in euro"),
    ("1.23.4", "bedrag in euro"),
    ("12a", "bedrag in euro"),
    ("1,234,56", "bedrag in euro"),
    ("123456789012345", "te groot"),
])
def test_bad_amounts_get_a_dutch_error(text, message):
    with pytest.raises(ValidationError) as exc:
        parse_money(text)
    assert message in " ".join(exc.value.messages)


def test_never_a_float():
    with pytest.raises(TypeError):
        parse_money(12.5)
    with pytest.raises(TypeError):
        to_money(0.1)


def test_euro_formatting_dutch_style():
    with translation.override("nl"):
        assert format_euro(D("1234.56")) == "€\u00a01.234,56"
        assert format_euro(D("3600000")) == "€\u00a03.600.000,00"
        assert format_euro(D("-4000")) == "-€\u00a04.000,00"
        assert format_euro(None) == ""
        assert format_plain(D("1234.5")) == "1234,50"
        html = Template("{% load money %}{{ x|euro }}").render(Context({"x": D("0.5")}))
        assert html == "€\u00a00,50"


def test_money_form_field_reads_and_shows_dutch():
    class F(forms.Form):
        bedrag = MoneyFormField()

    form = F({"bedrag": "1.234,56"})
    assert form.is_valid() and form.cleaned_data["bedrag"] == D("1234.56")
    form = F({"bedrag": "12,345"})
    assert not form.is_valid()
    assert "2 cijfers achter de komma" in form.errors["bedrag"][0]
    rendered = str(F(initial={"bedrag": D("1234.5")})["bedrag"])
    assert 'value="1234,50"' in rendered and 'inputmode="decimal"' in rendered


def test_money_field_model_validation(db, groningen):
    import datetime

    from finance.models import Regeling

    regeling = Regeling(gemeente=groningen, naam="X", criteria="c", plafond=D("-1.00"),
                        jaar_van=2026, jaar_tot=2026, aanvragen_van=datetime.date(2026, 1, 1),
                        aanvragen_tot=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        regeling.full_clean()
    assert "negatief" in str(exc.value.message_dict["plafond"])
    regeling.plafond = D("1.234")
    with pytest.raises(ValidationError) as exc:
        regeling.full_clean()
    assert "plafond" in exc.value.message_dict
