"""Demo participation for Groningen, dated relative to the day the demo is loaded:

- Kinderburgemeester 2026: done; its result was established and the kinderburgemeester is in
  office (installed in a September council meeting, term one year).
- The next election (2027 when loaded in November 2026): applications and jury are done, five
  candidates were confirmed, and voting is open now; a few votes were cast with codes, so the
  turnout shows while the tally stays hidden.
- Youth voices: an answered idea with follow-up, an open question, one past its deadline, and an
  advice round of the council.

No real children: applicants are "Kandidaat 1".."Kandidaat 5" and "Aanmelder 6/7"; parents'
addresses use example.org. Votes are cast through the real voting service.
"""

import datetime

from django.utils import timezone

from core.models import User
from network.models import Organisatie
from participation import selectors, services
from participation.models import (
    Aanmelding,
    Adviesronde,
    Criterium,
    Instelling,
    Inzending,
    JuryScore,
    Kandidaat,
    Terugkoppeling,
    Verkiezing,
    Vervolgactie,
)

CRITERIA = [
    ("Motivatie", "Waarom wil het kind kinderburgemeester worden? Is het echt zijn of haar eigen "
                  "verhaal?"),
    ("Ideeën voor de stad", "Heeft het kind ideeën voor kinderen in Groningen?"),
    ("Vertellen", "Kan het kind in de vlog duidelijk vertellen wat het wil?"),
    ("Opkomen voor anderen", "Denkt het kind ook aan andere kinderen?"),
]
MOTIVATIE = ("Ik wil kinderburgemeester worden omdat ik wil dat kinderen meer mogen meedenken. "
             "Ik wil meer plekken om te spelen en te sporten.")


def _council_wednesday(year):
    """A Wednesday in the second half of September (Groningen's council meets on Wednesdays)."""
    d = datetime.date(year, 9, 20)
    return d + datetime.timedelta(days=(2 - d.weekday()) % 7)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load(gemeente, ctx: dict) -> None:
    if gemeente.cbs_code != "GM0014":
        return
    school = ctx["organisaties"].get("Pendinghe") or Organisatie.objects.filter(
        gemeente=gemeente, type=Organisatie.Type.BASISSCHOOL).first()
    if school is None:
        return
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    jury = User.objects.get(username=f"{gemeente.slug}-jury")
    Instelling.objects.create(gemeente=gemeente)
    today = timezone.localdate()
    _load_current(gemeente, school, jury, today)
    _load_previous(gemeente, school, beleid, today)
    _load_kinderthemas(gemeente, beleid)
    _load_jeugdstem(gemeente, beleid, today, ctx["gebieden"])


# The Klaverblad doelen (by nummer) in children's words, for the "Jouw stem" form.
KINDERTHEMAS = {
    1: "Veilig thuis, op straat en op school",
    2: "Gezond eten, spelen en sporten",
    3: "Baby's en peuters",
    4: "Hulp als het niet goed gaat",
    5: "Leren op school en op de peuterspeelzaal",
    6: "School afmaken en later een baan",
    7: "Genoeg geld om mee te doen",
    8: "Je hoort erbij",
    9: "Meepraten en meebeslissen",
    10: "Zorgen voor jezelf en je buurt",
}


def _load_kinderthemas(gemeente, beleid):
    from framework.selectors import klaverblad_doelen

    doelen = {d.nummer: d for d in klaverblad_doelen(gemeente)}
    services.save_kinderthemas(beleid, gemeente, {
        doelen[nummer]: tekst for nummer, tekst in KINDERTHEMAS.items() if nummer in doelen})


def _verkiezing(gemeente, aanmelding_start, stemmen_start, stemmen_eind, **extra):
    uitslag = stemmen_eind.date() + datetime.timedelta(days=1)
    year = uitslag.year if uitslag < datetime.date(uitslag.year, 9, 20) else uitslag.year + 1
    installatie = _council_wednesday(year)
    v = Verkiezing(
        gemeente=gemeente, jaar=year,
        toelichting="Zit jij in groep 6 of 7? Word kinderburgemeester van Groningen! Je praat "
                    "mee met de burgemeester en je vertelt wat kinderen belangrijk vinden.",
        aanmelding_start=aanmelding_start,
        aanmelding_eind=aanmelding_start + datetime.timedelta(days=27),
        jury_eind=aanmelding_start + datetime.timedelta(days=41),
        stemmen_start=stemmen_start, stemmen_eind=stemmen_eind, uitslag_datum=uitslag,
        installatie_datum=installatie,
        installatie_vergadering=f"Raadsvergadering {installatie:%d-%m-%Y}, stadhuis Groningen",
        kanaal_codes=True, kanaal_email=True, **extra)
    v.full_clean()
    v.save()
    for i, (naam, toelichting) in enumerate(CRITERIA, start=1):
        Criterium.objects.create(gemeente=gemeente, verkiezing=v, naam=naam,
                                 toelichting=toelichting, volgorde=i)
    return v


def _aanmelding(v, school, voornaam, groep, publiek=True, **extra):
    a = Aanmelding(gemeente=v.gemeente, verkiezing=v, voornaam=voornaam, achternaam="Demo",
                   groep=groep, school=school, motivatie=MOTIVATIE, ouder_naam="Ouder (demo)",
                   ouder_email="ouder@example.org", ouder_toestemming=True,
                   toestemming_publiek=publiek, **extra)
    a.full_clean()
    a.save()
    return a


def _kandidaten(v, aanmeldingen):
    out = []
    for nummer, a in enumerate(aanmeldingen, start=1):
        a.status = Aanmelding.Status.KANDIDAAT
        a.save(update_fields=["status"])
        out.append(Kandidaat.objects.create(gemeente=v.gemeente, verkiezing=v, aanmelding=a,
                                            nummer=nummer, publiek=a.toestemming_publiek))
    return out


def _votes(v, kandidaten, per_kandidaat, kanaal, now):
    """Cast votes through the real service: codes are generated, used once and forgotten."""
    school = kandidaten[0].aanmelding.school if kanaal == "school" else None
    _reeks, plain = services.maak_stemcodes(
        None, v, kanaal=kanaal, aantal=sum(per_kandidaat) + 5, school=school,
        omschrijving="groep 7 (demo)" if school else "brieven (demo)", now=now,
        check_permission=False)
    codes = iter(plain)
    for kandidaat, count in zip(kandidaten, per_kandidaat, strict=True):
        for _ in range(count):
            services.stem_met_code(v, next(codes), kandidaat.pk, now=now)


def _load_current(gemeente, school, jury, today):
    v = _verkiezing(gemeente, aanmelding_start=today - datetime.timedelta(days=56),
                    stemmen_start=_at(today - datetime.timedelta(days=2), 8),
                    stemmen_eind=_at(today + datetime.timedelta(days=11), 17))
    aanmeldingen = [_aanmelding(v, school, f"Kandidaat {i}", 6 + i % 2, publiek=i != 5)
                    for i in range(1, 6)]
    extra = [_aanmelding(v, school, f"Aanmelder {i}", 6 + i % 2) for i in (6, 7)]
    for i, a in enumerate(aanmeldingen + extra):
        for c in v.criteria.all():
            JuryScore.objects.create(gemeente=gemeente, aanmelding=a, criterium=c, jurylid=jury,
                                     score=5 - i // 2 if i < 5 else 2)
    for a in extra:
        a.status = Aanmelding.Status.NIET_GEKOZEN
        a.save(update_fields=["status"])
    kandidaten = _kandidaten(v, aanmeldingen)
    _votes(v, kandidaten, [4, 3, 2, 2, 1], "school", timezone.now())


def _load_previous(gemeente, school, beleid, today):
    # The previous September's installation: voting ended in the spring before it.
    vorig_jaar = today.year if today >= _council_wednesday(today.year) else today.year - 1
    stemmen_eind = _at(datetime.date(vorig_jaar, 5, 29), 17)
    v = _verkiezing(gemeente, aanmelding_start=datetime.date(vorig_jaar, 3, 2),
                    stemmen_start=_at(datetime.date(vorig_jaar, 5, 18), 8),
                    stemmen_eind=stemmen_eind)
    aanmeldingen = [_aanmelding(v, school, f"Kandidaat {letter}", 7, publiek=False)
                    for letter in "ABCDE"]
    kandidaten = _kandidaten(v, aanmeldingen)
    _votes(v, kandidaten, [9, 14, 6, 11, 3], "school", stemmen_eind - datetime.timedelta(days=3))
    _votes(v, kandidaten, [2, 1, 4, 2, 0], "brief", stemmen_eind - datetime.timedelta(days=2))
    services.stel_uitslag_vast(beleid, v, now=stemmen_eind + datetime.timedelta(days=1))
    # The retention period has passed for this election: purge as the scheduled job would.
    services.wis_persoonsgegevens()


def _load_jeugdstem(gemeente, beleid, today, gebieden):
    now = timezone.now()
    themas = {t.doel.nummer: t for t in selectors.kinderthemas(gemeente)}

    def inzending(dagen_geleden, **kwargs):
        ontvangen = now - datetime.timedelta(days=dagen_geleden)
        i, _code = services.dien_inzending_in(gemeente, now=ontvangen, **kwargs)
        return i

    speelplek = inzending(40, soort="idee", onderwerp="Meer speelplekken in Paddepoel",
                          tekst="Ik ben Daan uit groep 6. Bij ons in de buurt is weinig plek "
                                "om te voetballen. Kan er een veldje bij komen?",
                          gebied=gebieden.get("SPT"), thema=themas.get(2), openbaar=True)
    services.keur_goed(beleid, speelplek, publiek_onderwerp="Meer speelplekken in Paddepoel",
                       publieke_tekst="Bij ons in de buurt is weinig plek om te voetballen. "
                                      "Kan er een veldje bij komen?")
    services.beantwoord(beleid, speelplek,
                        "Goed idee! We zoeken samen met kinderen uit Paddepoel een plek voor "
                        "een voetbalveldje. In het voorjaar mag je meedenken over de plek.",
                        now=now - datetime.timedelta(days=20))
    Vervolgactie.objects.create(gemeente=gemeente, inzending=speelplek,
                                omschrijving="Met kinderen een plek kiezen voor een veldje",
                                eigenaar="Gemeente Groningen, team Spelen", status="bezig",
                                streefdatum=today + datetime.timedelta(days=60))
    Terugkoppeling.objects.create(gemeente=gemeente, inzending=speelplek,
                                  datum=today - datetime.timedelta(days=7),
                                  tekst="Jij zei: meer plek om te voetballen. Wij deden: drie "
                                        "plekken bekeken met het jeugdwerk.")
    inzending(10, soort="vraag", onderwerp="Zwembad",
              tekst="Waarom kost het zwembad zoveel geld voor kinderen?", openbaar=False)
    laat = inzending(35, soort="idee", onderwerp="Veilig oversteken bij school",
                     tekst="Auto's rijden heel hard bij onze school. Kan er een zebrapad komen? "
                           "Bel me maar: 06-12345678.",
                     gebied=gebieden.get("SPT"), thema=themas.get(1), openbaar=True)
    Inzending.objects.filter(pk=laat.pk).update(behandelaar=beleid)
    ronde = Adviesronde(gemeente=gemeente, titel="Hoe maken we het Selwerdpark leuker?",
                        vraag="Wat moet er in het Selwerdpark komen, zodat kinderen er graag "
                              "spelen?", gesteld_door="de gemeenteraad",
                        groep="groep 7 van de Pendinghe",
                        open_tot=today + datetime.timedelta(days=14), behandelaar=beleid)
    ronde.full_clean()
    ronde.save()
    advies = inzending(5, soort="advies", onderwerp="Een klimrek en bankjes",
                       tekst="Een groot klimrek en bankjes in de schaduw.", adviesronde=ronde,
                       openbaar=True)
    services.keur_goed(beleid, advies, publiek_onderwerp="Een klimrek en bankjes",
                       publieke_tekst="Een groot klimrek en bankjes in de schaduw.")
    services.beantwoord(beleid, advies, "Dank je! Het klimrek komt op de lijst voor de "
                                        "raad. Bankjes in de schaduw plaatsen we dit voorjaar.")
    inzending(3, soort="advies", onderwerp="Een waterspeelplek",
              tekst="Met water spelen is leuk in de zomer.", adviesronde=ronde)

