import datetime
import secrets
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import User
from network.models import Organisatie
from participation import codes, services
from participation.models import (
    Aanmelding,
    Adviesronde,
    Criterium,
    EmailKiezer,
    Kandidaat,
    Verkiezing,
    Vervolgactie,
)
from tests.participation.media import MP4_HEAD, png_bytes
from tests.permissions import ALL, BELEID, PUBLIC, Page

JURY = BELEID | {"jury"}


def public(obj=None, kw="pk", attr="pk"):
    return Page(PUBLIC, obj, kw, public=True, attr=attr)


PAGES = {
    # Public: children, parents, residents.
    "participation:publiek-home": public(),
    "participation:publiek-verkiezing": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-aanmelden": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-aanmelden-klaar": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-kandidaat": public("kandidaat"),
    "participation:publiek-kandidaat-foto": public("kandidaat"),
    "participation:publiek-kandidaat-vlog": public("kandidaat"),
    "participation:publiek-stemmen": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-stemlink": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-stemmen-link": public("stemlink", "token", "token"),
    "participation:publiek-bedankt": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-uitslag": public("verkiezing", "jaar", "jaar"),
    "participation:publiek-jeugdstem": public(),
    "participation:publiek-insturen": public(),
    "participation:publiek-ingestuurd": public(),
    "participation:publiek-volgen": public(),
    "participation:publiek-adviesronde": public("adviesronde"),
    # Staff.
    "participation:verkiezing-list": Page(ALL),
    "participation:verkiezing-create": Page(BELEID),
    "participation:verkiezing-detail": Page(ALL, "verkiezing"),
    "participation:verkiezing-update": Page(BELEID, "verkiezing"),
    "participation:verkiezing-delete": Page(BELEID, "verkiezing"),
    "participation:criterium-create": Page(BELEID, "verkiezing", "verkiezing_pk"),
    "participation:criterium-update": Page(BELEID, "criterium"),
    "participation:criterium-delete": Page(BELEID, "criterium"),
    "participation:ranking": Page(JURY, "verkiezing"),
    "participation:shortlist": Page(BELEID, "verkiezing"),
    "participation:aanmelding-detail": Page(JURY, "aanmelding"),
    "participation:aanmelding-foto": Page(JURY, "aanmelding"),
    "participation:aanmelding-vlog": Page(JURY, "aanmelding"),
    "participation:stemcodes": Page(BELEID, "verkiezing"),
    "participation:reeks-intrekken": Page(BELEID, "reeks"),
    "participation:uitslag": Page(ALL, "verkiezing"),
    "participation:inzending-list": Page(BELEID),
    "participation:inzending-detail": Page(BELEID, "inzending"),
    "participation:inzending-delete": Page(BELEID, "inzending"),
    "participation:kinderthemas": Page(BELEID),
    "participation:vervolgactie-create": Page(BELEID, "inzending", "inzending_pk"),
    "participation:vervolgactie-update": Page(BELEID, "vervolgactie"),
    "participation:terugkoppeling-create": Page(BELEID, "inzending", "inzending_pk"),
    "participation:te-laat": Page(BELEID),
    "participation:adviesronde-list": Page(BELEID),
    "participation:adviesronde-create": Page(BELEID),
    "participation:adviesronde-detail": Page(BELEID, "adviesronde"),
    "participation:adviesronde-update": Page(BELEID, "adviesronde"),
    "participation:instelling": Page(BELEID),
}

API = {
    "verkiezing": ("verkiezing", BELEID, BELEID),
    "kandidaat": ("kandidaat", None, None),
    "inzending": ("inzending", None, None, BELEID),
}


def _open_election(gemeente):
    """An election in its voting window with five public candidates (Assen has none in the
    demo; its year differs from Groningen's so that a crossed URL is a 404)."""
    now = timezone.now()
    today = timezone.localdate()
    jaar = today.year + 5
    v = Verkiezing.objects.create(
        gemeente=gemeente, jaar=jaar, aanmelding_start=today - datetime.timedelta(days=60),
        aanmelding_eind=today - datetime.timedelta(days=40),
        jury_eind=today - datetime.timedelta(days=20),
        stemmen_start=now - datetime.timedelta(days=1),
        stemmen_eind=now + datetime.timedelta(days=5),
        uitslag_datum=today + datetime.timedelta(days=6),
        installatie_datum=datetime.date(jaar, 9, 22), kanaal_codes=True, kanaal_email=True)
    Criterium.objects.create(gemeente=gemeente, verkiezing=v, naam="Motivatie")
    school, _ = Organisatie.objects.get_or_create(
        gemeente=gemeente, naam="Basisschool (test)",
        defaults={"type": Organisatie.Type.BASISSCHOOL})
    for nummer in range(1, 6):
        a = Aanmelding.objects.create(
            gemeente=gemeente, verkiezing=v, voornaam=f"Kandidaat {nummer}", achternaam="Test",
            groep=7, school=school, motivatie="Omdat het leuk is.", ouder_toestemming=True,
            toestemming_publiek=True, status=Aanmelding.Status.KANDIDAAT)
        Kandidaat.objects.create(gemeente=gemeente, verkiezing=v, aanmelding=a, nummer=nummer,
                                 publiek=True)
    return v


def world(gemeente):
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    verkiezing = (Verkiezing.objects.filter(gemeente=gemeente, stemmen_start__lte=timezone.now(),
                                            stemmen_eind__gt=timezone.now()).first()
                  or _open_election(gemeente))
    kandidaat = Kandidaat.objects.filter(verkiezing=verkiezing, publiek=True).order_by(
        "nummer").first()
    aanmelding = kandidaat.aanmelding
    aanmelding.foto.save("foto.png", ContentFile(png_bytes()), save=False)
    aanmelding.vlog.save("vlog.mp4", ContentFile(MP4_HEAD + b"\0" * 64), save=False)
    aanmelding.save(update_fields=["foto", "vlog"])
    reeks, _codes = services.maak_stemcodes(None, verkiezing, kanaal="brief", aantal=2,
                                            omschrijving="brieven (test)",
                                            check_permission=False)
    token = secrets.token_urlsafe(32)
    EmailKiezer.objects.create(gemeente=gemeente, verkiezing=verkiezing,
                               email_hash=verkiezing.email_hash(f"{token}@example.org"),
                               token_hash=codes.sha256(token),
                               token_geldig_tot=verkiezing.stemmen_eind)
    inzending, _code = services.dien_inzending_in(gemeente, soort="idee", onderwerp="Speeltuin",
                                                  tekst="Een speeltuin in de buurt.")
    vervolgactie = Vervolgactie.objects.create(gemeente=gemeente, inzending=inzending,
                                               omschrijving="Plek zoeken", eigenaar="Team")
    adviesronde = Adviesronde.objects.create(
        gemeente=gemeente, titel="Het park", vraag="Wat moet er in het park?",
        gesteld_door="de raad", open_tot=timezone.localdate() + datetime.timedelta(days=7),
        behandelaar=beleid)
    return {
        "verkiezing": verkiezing, "kandidaat": kandidaat, "aanmelding": aanmelding,
        "criterium": verkiezing.criteria.first(), "reeks": reeks,
        "stemlink": SimpleNamespace(pk=token, token=token), "inzending": inzending,
        "vervolgactie": vervolgactie, "adviesronde": adviesronde,
    }
