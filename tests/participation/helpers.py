"""Elections in a chosen phase, relative to now, for tests beside the demo."""

import datetime
import threading

from django.db import connections
from django.utils import timezone

from network.models import Organisatie
from participation.models import Aanmelding, Criterium, Kandidaat, Stembus, Verkiezing

DAY = datetime.timedelta(days=1)


def school(gemeente, naam="Basisschool De Test"):
    obj, _ = Organisatie.objects.get_or_create(
        gemeente=gemeente, naam=naam, defaults={"type": Organisatie.Type.BASISSCHOOL})
    return obj


def verkiezing(gemeente, fase="stemmen", jaar=None, **extra):
    """An election whose phase at this moment is `fase` (aanmelding, jury, stemmen, gesloten)."""
    now = timezone.now()
    today = timezone.localdate()
    offsets = {  # days from today to aanmelding_start, and to stemmen start/end
        "voorbereiding": (10, 60, 70),
        "aanmelding": (-5, 40, 50),
        "jury": (-30, 10, 20),
        "stemmen": (-60, -1, 5),
        "gesloten": (-90, -20, -10),
    }[fase]
    a_start = today + offsets[0] * DAY
    s_start = now + offsets[1] * DAY
    s_end = now + offsets[2] * DAY
    uitslag = timezone.localtime(s_end).date() + DAY
    jaar = jaar or (uitslag.year + 1 if uitslag.month >= 9 else uitslag.year) + 10
    values = dict(
        gemeente=gemeente, jaar=jaar, aanmelding_start=a_start,
        aanmelding_eind=min(a_start + 14 * DAY, timezone.localtime(s_start).date() - 3 * DAY),
        jury_eind=timezone.localtime(s_start).date() - 2 * DAY,
        stemmen_start=s_start, stemmen_eind=s_end, uitslag_datum=uitslag,
        installatie_datum=datetime.date(jaar, 9, 22), kanaal_codes=True, kanaal_email=True)
    if fase == "aanmelding":
        values["aanmelding_eind"] = today + 10 * DAY
        values["jury_eind"] = today + 20 * DAY
    values.update(extra)
    v = Verkiezing(**values)
    v.full_clean()
    v.save()
    Criterium.objects.create(gemeente=gemeente, verkiezing=v, naam="Motivatie", volgorde=1)
    Criterium.objects.create(gemeente=gemeente, verkiezing=v, naam="Ideeën", volgorde=2)
    return v


def aanmelding(v, voornaam="Kind", publiek=True, groep=7, **extra):
    values = dict(
        gemeente=v.gemeente, verkiezing=v, voornaam=voornaam, achternaam="Jansma", groep=groep,
        school=school(v.gemeente), motivatie="Omdat ik wil meedenken.", ouder_naam="Ouder",
        ouder_email="ouder@example.org", ouder_toestemming=True, toestemming_publiek=publiek)
    return Aanmelding.objects.create(**{**values, **extra})


def kandidaten(v, n=5, publiek=True):
    out = []
    for nummer in range(1, n + 1):
        a = aanmelding(v, f"Kandidaat {nummer}", publiek=publiek,
                       status=Aanmelding.Status.KANDIDAAT)
        out.append(Kandidaat.objects.create(gemeente=v.gemeente, verkiezing=v, aanmelding=a,
                                            nummer=nummer, publiek=publiek))
    return out


def stemmen(v, kandidaat=None, kanaal=None) -> int:
    """The votes counted in the election's ballot boxes: all, or of one candidate and/or
    channel. Reads the boxes directly (the selectors refuse while voting is open)."""
    bussen = Stembus.objects.filter(verkiezing=v)
    if kanaal is not None:
        bussen = bussen.filter(kanaal=kanaal)
    kolommen = ([f"stemmen_{kandidaat.nummer}"] if kandidaat is not None
                else list(Stembus.KOLOMMEN))
    return sum(getattr(bus, k) for bus in bussen for k in kolommen)


def hammer(n, post):
    """Run `post()` in n threads released at the same instant, each with its own database
    connection; return the responses (in thread order)."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = post()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results
