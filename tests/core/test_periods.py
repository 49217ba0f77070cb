import datetime

import pytest

from core.periods import JAAR, KWARTAAL, MAAND, SCHOOLJAAR, Periode


@pytest.mark.parametrize("text, expected", [
    ("2021", Periode(JAAR, 2021)),
    ("2019JJ00", Periode(JAAR, 2019)),
    ("2021/2022", Periode(SCHOOLJAAR, 2021)),
    ("2021-2022", Periode(SCHOOLJAAR, 2021)),
    ("2021-K2", Periode(KWARTAAL, 2021, 2)),
    ("2021Q4", Periode(KWARTAAL, 2021, 4)),
    ("2019KW01", Periode(KWARTAAL, 2019, 1)),
    ("2021-03", Periode(MAAND, 2021, 3)),
    ("2019MM12", Periode(MAAND, 2019, 12)),
])
def test_parse(text, expected):
    assert Periode.parse(text) == expected
    assert Periode.parse(expected.code) == expected


@pytest.mark.parametrize("text", ["", "21", "2021-K5", "2021-13", "2021/2023", "twee", "2021-00"])
def test_parse_rejects(text):
    with pytest.raises(ValueError, match="is geen periode"):
        Periode.parse(text)


def test_bounds_and_labels():
    assert Periode(SCHOOLJAAR, 2021).start == datetime.date(2021, 8, 1)
    assert Periode(SCHOOLJAAR, 2021).end == datetime.date(2022, 7, 31)
    assert Periode(KWARTAAL, 2024, 1).end == datetime.date(2024, 3, 31)
    assert Periode(MAAND, 2024, 2).end == datetime.date(2024, 2, 29)
    assert datetime.date(2021, 5, 1) in Periode(KWARTAAL, 2021, 2)
    assert Periode(KWARTAAL, 2021, 2).label == "2e kwartaal 2021"
    assert Periode(MAAND, 2021, 3).label == "maart 2021"
    assert Periode(SCHOOLJAAR, 2021).label == "schooljaar 2021-2022"


def test_navigation_and_order():
    assert Periode(KWARTAAL, 2021, 4).next() == Periode(KWARTAAL, 2022, 1)
    assert Periode(MAAND, 2021, 1).previous() == Periode(MAAND, 2020, 12)
    assert Periode.containing(datetime.date(2021, 7, 31), SCHOOLJAAR) == Periode(SCHOOLJAAR, 2020)
    assert Periode.containing(datetime.date(2021, 11, 5), KWARTAAL).code == "2021-K4"
    assert sorted([Periode(MAAND, 2021, 3), Periode(JAAR, 2021), Periode(KWARTAAL, 2020, 4)]) \
        == [Periode(KWARTAAL, 2020, 4), Periode(JAAR, 2021), Periode(MAAND, 2021, 3)]


def test_field_round_trip():
    from django.core.exceptions import ValidationError

    from core.periods import PeriodeField

    field = PeriodeField()
    assert field.get_prep_value("2021Q2") == "2021-K2"
    assert field.get_prep_value(Periode(MAAND, 2021, 3)) == "2021-03"
    assert field.from_db_value("2021/2022", None, None) == Periode(SCHOOLJAAR, 2021)
    with pytest.raises(ValidationError):
        field.to_python("volgend jaar")
