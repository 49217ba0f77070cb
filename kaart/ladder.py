"""The activiteitenladder per basisschool: the weekly grid of after-school activities in a
school year, the school holidays of the gemeente's DUO vakantieregio left out, an iCal feed, a
printable A4 sheet for parents, and the gaps (which school, which day, which groups have
nothing)."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from core.periods import SCHOOLJAAR, Periode
from kaart.models import KaartInstelling, Ladderactiviteit, Openingstijd, Schoolvakantie
from network.models import Organisatie

WEEKDAGEN = [(d, label) for d, label in Openingstijd.Weekdag.choices if d <= 5]
GROEPEN = range(1, 9)


def huidig_schooljaar(vandaag=None) -> Periode:
    return Periode.containing(vandaag or timezone.localdate(), SCHOOLJAAR)


def scholen(gemeente):
    return Organisatie.objects.filter(gemeente=gemeente, type=Organisatie.Type.BASISSCHOOL)


def activiteiten(school, schooljaar):
    return (Ladderactiviteit.objects.filter(school=school, schooljaar=schooljaar)
            .select_related("aanbieder", "aanbod", "gemeente"))


def rooster(school, schooljaar) -> list[dict]:
    """[{"dag", "label", "activiteiten": [...]}] for Monday to Friday."""
    per_dag = {d: [] for d, _label in WEEKDAGEN}
    for a in activiteiten(school, schooljaar):
        per_dag.setdefault(a.weekdag, []).append(a)
    return [{"dag": d, "label": label, "activiteiten": per_dag[d]} for d, label in WEEKDAGEN]


def vakanties(gemeente, schooljaar):
    regio = KaartInstelling.voor(gemeente).vakantieregio
    return Schoolvakantie.objects.filter(gemeente=gemeente, regio=regio, schooljaar=schooljaar)


def vrije_dagen(gemeente, schooljaar) -> set[datetime.date]:
    dagen = set()
    for v in vakanties(gemeente, schooljaar):
        dag = v.van
        while dag <= v.tot:
            dagen.add(dag)
            dag += datetime.timedelta(days=1)
    return dagen


def data_van(activiteit, vrij: set) -> list[datetime.date]:
    """Every date the activity takes place in its school year (holidays left out)."""
    jaar = activiteit.schooljaar
    dag = jaar.start + datetime.timedelta(days=(activiteit.weekdag - jaar.start.isoweekday()) % 7)
    result = []
    while dag <= jaar.end:
        if dag not in vrij:
            result.append(dag)
        dag += datetime.timedelta(days=7)
    return result


def gaten(gemeente, schooljaar) -> list[dict]:
    """Per school: per weekday the groups (1-8) without any activity. One query."""
    bezet = {}
    for school_id, dag, van, tot in Ladderactiviteit.objects.filter(
            gemeente=gemeente, schooljaar=schooljaar).values_list(
            "school_id", "weekdag", "groep_van", "groep_tot"):
        bezet.setdefault((school_id, dag), set()).update(range(van, tot + 1))
    result = []
    for school in scholen(gemeente):
        dagen = []
        for d, label in WEEKDAGEN:
            leeg = [g for g in GROEPEN if g not in bezet.get((school.pk, d), set())]
            dagen.append({"dag": d, "label": label, "groepen_zonder": leeg})
        result.append({"school": school, "dagen": dagen,
                       "n_gaten": sum(1 for d in dagen if d["groepen_zonder"])})
    return result


def ical(school, schooljaar, *, url: str = "") -> bytes:
    """An iCalendar feed: one weekly event per activity, holidays as exception dates."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event, vRecur

    tz = ZoneInfo("Europe/Amsterdam")
    cal = Calendar()
    cal.add("prodid", "-//Opgroeien//activiteitenladder//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Activiteitenladder {school.naam} {schooljaar.label}")
    vrij = vrije_dagen(school.gemeente, schooljaar)
    stamp = timezone.now()
    for a in activiteiten(school, schooljaar):
        wekelijks = data_van(a, set())
        data = [d for d in wekelijks if d not in vrij]
        if not data:
            continue
        event = Event()
        event.add("uid", f"{a.uuid}@opgroeien")
        event.add("dtstamp", stamp)
        event.add("summary", f"{a.naam} ({a.aanbieder.naam})")
        event.add("dtstart", datetime.datetime.combine(data[0], a.begin, tz))
        event.add("dtend", datetime.datetime.combine(data[0], a.eind, tz))
        event.add("rrule", vRecur(freq="WEEKLY", until=datetime.datetime.combine(
            data[-1], a.eind, tz)))
        for dag in (d for d in wekelijks if data[0] <= d <= data[-1] and d in vrij):
            event.add("exdate", datetime.datetime.combine(dag, a.begin, tz))
        event.add("description", f"Groep {a.groep_van}-{a.groep_tot}. {a.locatie}".strip())
        if url:
            event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


def pdf(school, schooljaar, *, base_url: str) -> bytes:
    import weasyprint

    html = render_to_string("kaart/ladder_pdf.html", {
        "school": school, "schooljaar": schooljaar, "rooster": rooster(school, schooljaar),
        "vakanties": vakanties(school.gemeente, schooljaar)})
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
