"""Every write of the Klaverblad-toets: a document tested, a judgement overridden, evidence
confirmed or added, a new lexicon version and the re-run it asks for. One transaction each,
permission-checked through core.policy, audited."""

import hashlib
import json
import re
from importlib import metadata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from framework import selectors as framework_selectors
from toets import analyse, tekst
from toets.models import Beleidsdocument, Bewijs, Lexicon, Oordeel, Passage, Status, Toetsing

STANDAARD = Path(__file__).resolve().parent / "data" / "klaverblad_lexicon.json"
PAKKETTEN = ("pypdfium2", "python-docx", "odfpy", "snowballstemmer")
_STOPWOORDEN = set("""alle allen andere been beide bij daar deze dezelfde door doen eigen elke
hebben heeft hun hunne iedere jeugdigen kinderen jongeren kind kunnen maken meer moeten naar
onder over tijdens voor vanaf zich zijn worden zodat zonder gaat staat""".split())


def standaard_inhoud(gemeente) -> dict:
    """The lexicon a gemeente starts with: the Klaverblad lexicon shipped with Opgroeien for
    every doel whose text it was written for, and for any other doel (another gemeente's own
    Klaverblad) terms taken from the doel's own words. A beleidsmedewerker refines it."""
    inhoud = json.loads(STANDAARD.read_text(encoding="utf-8"))
    standaard_teksten = {str(i + 1): t for i, t in enumerate(_groningen_doelen())}
    doelen = {}
    for doel in framework_selectors.klaverblad_doelen(gemeente):
        nr = str(doel.nummer)
        if standaard_teksten.get(nr, "").lower() == doel.tekst.strip().lower():
            doelen[nr] = inhoud["doelen"][nr]
        else:
            woorden = [w for w in analyse.woorden(doel.tekst)
                       if len(w) >= 5 and w not in _STOPWOORDEN]
            doelen[nr] = {"termen": [{"term": w, "gewicht": 2} for w in dict.fromkeys(woorden)]}
    inhoud["doelen"] = doelen
    return inhoud


def _groningen_doelen() -> list[str]:
    return json.loads(STANDAARD.read_text(encoding="utf-8")).get("doelteksten", [])


def actief_lexicon(gemeente) -> Lexicon:
    """The newest lexicon version of the gemeente; version 1 is made from the standard one."""
    lexicon = Lexicon.objects.filter(gemeente=gemeente).order_by("-versie").first()
    if lexicon is None:
        lexicon = Lexicon.objects.get_or_create(
            gemeente=gemeente, versie=1,
            defaults={"inhoud": standaard_inhoud(gemeente),
                      "toelichting": _("Standaardlexicon van Opgroeien")})[0]
    return lexicon


def lees_bestand(data: bytes, bestandsnaam: str = ""):
    """The document read from an upload, or a ValidationError with the Dutch reason."""
    try:
        return tekst.lees(data, bestandsnaam)
    except tekst.OnleesbaarDocument as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def toets_document(actor, gemeente, *, titel, beleidsterrein, jaar, eigenaar, data: bytes,
                   bestandsnaam: str = "", organisatie=None) -> Beleidsdocument:
    """Store a policy document with its passages and run the toets on it. The file is read
    before anything is written: a file that cannot be read leaves nothing behind."""
    document = Beleidsdocument(gemeente=gemeente, titel=titel, beleidsterrein=beleidsterrein,
                               jaar=jaar, eigenaar=eigenaar, organisatie=organisatie,
                               bestandsnaam=bestandsnaam[:255], aangemaakt_door=actor)
    policy.require(actor, policy.ADD, document)
    gelezen = lees_bestand(data, bestandsnaam)
    document.soort = gelezen.soort
    document.paginas = gelezen.paginas
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.full_clean()
    document.save()
    Passage.objects.bulk_create([
        Passage(document=document, nummer=p.nummer, pagina=p.pagina, kop=p.kop[:300],
                tekst=p.tekst) for p in gelezen.passages])
    record(actor, AuditEntry.Action.CREATE, document, None, snapshot(document))
    voer_toetsing_uit(actor, document, actief_lexicon(gemeente))
    return document


def pakketversies() -> dict:
    versies = {}
    for naam in PAKKETTEN:
        try:
            versies[naam] = metadata.version(naam)
        except metadata.PackageNotFoundError:
            versies[naam] = ""
    return versies


@transaction.atomic
def voer_toetsing_uit(actor, document, lexicon) -> Toetsing:
    """Hold the document's passages against the lexicon: one Oordeel per Klaverblad doel, with
    its evidence. Judgements of the previous run whose machine outcome did not change are
    carried over, so re-running never silently drops what a person decided."""
    policy.require(actor, policy.ADD, Toetsing(gemeente=document.gemeente, document=document))
    vorige = {o.doel_id: o for o in Oordeel.objects.filter(toetsing=document.laatste_toetsing)} \
        if document.laatste_toetsing else {}
    passages = list(document.passages.all())
    uitkomsten = analyse.analyseer(passages, analyse.compileer(lexicon.inhoud,
                                                               str(lexicon.versie)))
    toetsing = Toetsing.objects.create(gemeente=document.gemeente, document=document,
                                       lexicon=lexicon, stemmer=analyse.STEMMER,
                                       pakketten=pakketversies(), gemaakt_door=actor)
    per_nummer = {p.nummer: p for p in passages}
    for doel in framework_selectors.klaverblad_doelen(document.gemeente):
        uitkomst = uitkomsten.get(str(doel.nummer)) or analyse.Uitkomst(
            str(doel.nummer), Status.ONTBREEKT, "het lexicon heeft geen termen voor dit doel")
        oordeel = Oordeel(gemeente=document.gemeente, toetsing=toetsing, doel=doel,
                          machine_status=uitkomst.status, machine_reden=uitkomst.reden[:300],
                          status=uitkomst.status)
        oud = vorige.get(doel.pk)
        if oud and oud.overschreven and oud.machine_status == uitkomst.status:
            oordeel.status, oordeel.reden = oud.status, oud.reden
            oordeel.beoordeeld_door_id, oordeel.beoordeeld_op = oud.beoordeeld_door_id, \
                oud.beoordeeld_op
        oordeel.save()
        Bewijs.objects.bulk_create([
            Bewijs(gemeente=document.gemeente, oordeel=oordeel, passage=per_nummer[b.passage],
                   termen=b.termen, score=b.score, niveau=b.niveau, regel=b.regel[:300])
            for b in uitkomst.bewijs])
    record(actor, AuditEntry.Action.CREATE, toetsing, None, snapshot(toetsing))
    return toetsing


@transaction.atomic
def beoordeel(actor, oordeel, *, status: str, reden: str) -> Oordeel:
    """The beleidsmedewerker's judgement of one doel. Differing from the machine needs a
    reason; the machine's outcome stays beside it."""
    oordeel = Oordeel.objects.select_for_update().get(pk=oordeel.pk)
    policy.require(actor, policy.CHANGE, oordeel)
    if status not in Status.values:
        raise ValidationError(_("Kies aangetoond, beperkt of ontbreekt."))
    reden = (reden or "").strip()
    if status != oordeel.machine_status and not reden:
        raise ValidationError(_("Geef een reden als uw oordeel afwijkt van de uitkomst van de "
                                "toets."))
    before = snapshot(oordeel)
    oordeel.status, oordeel.reden = status, reden
    oordeel.beoordeeld_door, oordeel.beoordeeld_op = actor, timezone.now()
    oordeel.save()
    record(actor, AuditEntry.Action.UPDATE, oordeel, before, snapshot(oordeel))
    return oordeel


@transaction.atomic
def beoordeel_bewijs(actor, bewijs, beoordeling: str) -> Bewijs:
    bewijs = Bewijs.objects.select_for_update().get(pk=bewijs.pk)
    policy.require(actor, policy.CHANGE, bewijs)
    if beoordeling not in Bewijs.Beoordeling.values:
        raise ValidationError(_("Onbekende beoordeling."))
    before = snapshot(bewijs)
    bewijs.beoordeling = beoordeling
    bewijs.save(update_fields=["beoordeling"])
    record(actor, AuditEntry.Action.UPDATE, bewijs, before, snapshot(bewijs))
    return bewijs


@transaction.atomic
def voeg_bewijs_toe(actor, oordeel, passage_nummer: int) -> Bewijs:
    policy.require(actor, policy.CHANGE, oordeel)
    passage = Passage.objects.filter(document_id=oordeel.toetsing.document_id,
                                     nummer=passage_nummer).first()
    if passage is None:
        raise ValidationError(_("Passage %(n)s bestaat niet in dit document.")
                              % {"n": passage_nummer})
    bewijs, created = Bewijs.objects.get_or_create(
        oordeel=oordeel, passage=passage,
        defaults={"gemeente": oordeel.gemeente, "niveau": oordeel.status,
                  "bron": Bewijs.Bron.HANDMATIG, "beoordeling": Bewijs.Beoordeling.BEVESTIGD,
                  "regel": _("toegevoegd door %(u)s") % {"u": actor}})
    if not created:
        raise ValidationError(_("Deze passage is al bewijs bij dit doel."))
    record(actor, AuditEntry.Action.CREATE, bewijs, None, snapshot(bewijs))
    return bewijs


@transaction.atomic
def save_lexicon(actor, gemeente, inhoud, toelichting: str = "") -> Lexicon:
    """A new lexicon version (the old ones stay: every toetsing names its version)."""
    if isinstance(inhoud, str | bytes):
        try:
            inhoud = json.loads(inhoud)
        except ValueError as exc:
            raise ValidationError(_("Het lexicon is geen geldige JSON: %(e)s") % {"e": exc}) \
                from None
    try:
        analyse.compileer(inhoud)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise ValidationError(_("Het lexicon mist een onderdeel of heeft een fout: %(e)s")
                              % {"e": exc}) from None
    lexicon = Lexicon(gemeente=gemeente, inhoud=inhoud, toelichting=toelichting[:500],
                      gemaakt_door=actor, versie=0)
    policy.require(actor, policy.ADD, lexicon)
    hoogste = Lexicon.objects.select_for_update().filter(gemeente=gemeente) \
        .aggregate(m=Max("versie"))["m"] or 0
    lexicon.versie = hoogste + 1
    lexicon.save()
    record(actor, AuditEntry.Action.CREATE, lexicon, None, snapshot(lexicon))
    return lexicon


def hertoets(actor, documenten, lexicon) -> list[dict]:
    """Re-run the toets of the chosen documents with `lexicon` and say what changed:
    [{"document", "toetsing", "wijzigingen": [(doel, oud, nieuw)]}]."""
    uit = []
    for document in documenten:
        vorige = document.laatste_toetsing
        oud = {o.doel_id: o.machine_status for o in vorige.oordelen.all()} if vorige else {}
        toetsing = voer_toetsing_uit(actor, document, lexicon)
        wijzigingen = [(o.doel, oud.get(o.doel_id), o.machine_status)
                       for o in toetsing.oordelen.select_related("doel")
                       if oud.get(o.doel_id) != o.machine_status]
        uit.append({"document": document, "toetsing": toetsing, "wijzigingen": wijzigingen})
    return uit


def als_json(uitkomsten) -> dict:
    """The documented JSON form: {"doelen": {"1": {"status", "reden", "bewijs": [{"pagina",
    "tekst"}]}}} — from analyse.Uitkomst objects or from stored Oordelen."""
    doelen = {}
    for nr, u in uitkomsten.items():
        doelen[str(nr)] = {
            "status": u.status, "reden": u.reden,
            "bewijs": [{"pagina": b.pagina, "kop": b.kop, "tekst": b.tekst,
                        "termen": b.termen} for b in u.bewijs]}
    return {"doelen": doelen}
