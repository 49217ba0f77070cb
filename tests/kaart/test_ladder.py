"""The activiteitenladder: weekly grid per school and school year, holidays of the gemeente's
vakantieregio left out of the iCal feed, the A4 PDF, and the gaps."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from kaart import ladder
from kaart.models import Ladderactiviteit, Schoolvakantie
from network.models import Organisatie

JAAR = ladder.huidig_schooljaar()  # the demo's school year


@pytest.fixture
def pendinghe(groningen):
    return Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")


def _url(name, pk, gemeente="groningen"):
    return reverse(name, kwargs={"gemeente": gemeente, "pk": pk}) + f"?jaar={JAAR.code}"


@pytest.mark.django_db
def test_grid_shows_places_and_discount(client, pendinghe):
    html = client.get(_url("kaart:publiek-ladder", pendinghe.pk)).content.decode()
    assert "Naschoolse sportclub" in html and "6 van 20" in html  # 20 places, 14 taken
    assert "€ 0,00 bij een laag inkomen" in html or "€ 0.00 bij een laag inkomen" in html
    assert "Zomervakantie" in html


@pytest.mark.django_db
def test_ical_leaves_out_holidays(client, groningen, pendinghe):
    response = client.get(_url("kaart:publiek-ladder-ical", pendinghe.pk))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [e for e in cal.walk("VEVENT") if "Knutselclub" in str(e["summary"])]
    assert len(events) == 1
    exdates = {d.dt.date() for ex in (events[0].get("exdate") if isinstance(
        events[0].get("exdate"), list) else [events[0].get("exdate")]) for d in ex.dts}
    herfst = Schoolvakantie.objects.get(gemeente=groningen, schooljaar=JAAR,
                                        naam="Herfstvakantie")
    wednesday = herfst.van + datetime.timedelta(days=(3 - herfst.van.isoweekday()) % 7)
    assert wednesday in exdates
    assert all(d.isoweekday() == 3 for d in exdates)
    activiteit = Ladderactiviteit.objects.get(school=pendinghe, naam="Knutselclub")
    dates = ladder.data_van(activiteit, ladder.vrije_dagen(groningen, JAAR))
    assert wednesday not in dates and set(dates).isdisjoint(exdates)
    # Every week is a date of the event or an exception, up to the summer holiday, which
    # closes the school year: the weekly rule ends before it.
    alle = ladder.data_van(activiteit, set())
    staart = [d for d in alle if d > dates[-1]]
    assert len(dates) + len(exdates) + len(staart) == len(alle)
    zomer = Schoolvakantie.objects.get(gemeente=groningen, schooljaar=JAAR, naam="Zomervakantie")
    assert staart and all(zomer.van <= d <= zomer.tot for d in staart)
    assert zomer.van < zomer.tot


@pytest.mark.django_db
def test_pdf_is_one_a4_page(client, pendinghe, tmp_path):
    response = client.get(_url("kaart:publiek-ladder-pdf", pendinghe.pk))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "ladder.pdf"
    pdf.write_bytes(response.content)
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    assert "Naschoolse sportclub" in reader.pages[0].extract_text()
    import pypdfium2

    page = pypdfium2.PdfDocument(str(pdf))[0].render(scale=40 / 72).to_pil().convert("L")
    page.save(tmp_path / "page-1.png")  # to look at it
    assert page.getextrema()[0] < 128  # something dark (text, grid) is drawn on the page


@pytest.mark.django_db
def test_gaps_per_school_day_and_group(groningen, pendinghe):
    rows = {r["school"].naam: r for r in ladder.gaten(groningen, JAAR)}
    pendinghe_dagen = {d["dag"]: d["groepen_zonder"] for d in rows["Pendinghe"]["dagen"]}
    assert pendinghe_dagen[2] == [1, 2]  # sportclub is for groep 3-8
    assert pendinghe_dagen[5] == list(range(1, 9))  # nothing on Friday
    assert pendinghe_dagen[1] == [1, 2, 3, 4, 5]  # huiswerkklas groep 6-8


@pytest.mark.django_db
def test_staff_pages(client_for, pendinghe):
    client = client_for("groningen", "raad")
    assert "Huiswerkklas" in client.get(_url("kaart:ladder", pendinghe.pk)).content.decode()
    gaps = client.get(reverse("kaart:ladder-gaten", kwargs={"gemeente": "groningen"}),
                      {"jaar": JAAR.code}).content.decode()
    assert "OBS De Tuinwijk (demo)" in gaps
