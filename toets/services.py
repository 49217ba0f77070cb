"""Every write of the Klaverblad-toets: a document tested, a judgement overridden, evidence
confirmed or added, a new lexicon version and the re-run it asks for. One transaction each,
permission-checked through core.policy, audited."""

import copy
import hashlib
import json
import logging
import re
from importlib import metadata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from framework import selectors as framework_selectors
from toets import analyse, tekst
from toets.models import (
    Beleidsdocument,
    Bewijs,
    Hertoetsronde,
    Lexicon,
    Oordeel,
    Passage,
    Status,
    Toetsing,
    Toetsopdracht,
)

logger = logging.getLogger(__name__)

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


# Longer documents are tested by the worker, with progress on the document page. The bench
# (bench/bench_toets.py) reads and tests a 110-page PDF of 118,000 characters in about 1.2 s of
# CPU on this machine: above 60,000 characters (about 50 pages, 0.6 s) the upload answers at once.
ACHTERGROND_VANAF_TEKENS = 60_000


def lang(tekens: int) -> bool:
    return tekens > ACHTERGROND_VANAF_TEKENS


@transaction.atomic
def toets_document(actor, gemeente, *, titel, beleidsterrein, jaar, eigenaar, data: bytes,
                   bestandsnaam: str = "", organisatie=None, sleutel=None,
                   achtergrond: bool | None = None) -> Beleidsdocument:
    """Store a policy document with its passages and test it: at once, or for a long document
    (or `achtergrond=True`) by the worker. The file is read before anything is written: a file
    that cannot be read leaves nothing behind. `sleutel` is the form's one-time key: the same
    form posted twice returns the first document."""
    document = Beleidsdocument(gemeente=gemeente, titel=titel, beleidsterrein=beleidsterrein,
                               jaar=jaar, eigenaar=eigenaar, organisatie=organisatie,
                               bestandsnaam=bestandsnaam[:255], aangemaakt_door=actor,
                               sleutel=sleutel)
    policy.require(actor, policy.ADD, document)
    if sleutel and (eerder := Beleidsdocument.objects.filter(gemeente=gemeente,
                                                             sleutel=sleutel).first()):
        return eerder
    gelezen = lees_bestand(data, bestandsnaam)
    document.soort = gelezen.soort
    document.paginas = gelezen.paginas
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # the same form, posted twice at the same moment
        return Beleidsdocument.objects.get(gemeente=gemeente, sleutel=sleutel)
    Passage.objects.bulk_create([
        Passage(document=document, nummer=p.nummer, pagina=p.pagina, kop=p.kop[:300],
                tekst=p.tekst) for p in gelezen.passages])
    record(actor, AuditEntry.Action.CREATE, document, None, snapshot(document))
    if achtergrond is None:
        achtergrond = lang(len(gelezen.tekst))
    start_toetsing(actor, document, actief_lexicon(gemeente), achtergrond=achtergrond)
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
def start_toetsing(actor, document, lexicon, *, achtergrond=False, ronde=None) -> Toetsopdracht:
    """Ask for a run of the toets on `document` with `lexicon`: done here, or handed to the
    worker (after the transaction commits). A document has at most one open run (a database
    constraint): asking again while one waits or runs returns that one."""
    opdracht = Toetsopdracht(gemeente=document.gemeente, document=document, lexicon=lexicon,
                             ronde=ronde, vorige=document.laatste_toetsing,
                             achtergrond=achtergrond, totaal=document.passages.count(),
                             gemaakt_door=actor)
    policy.require(actor, policy.ADD, opdracht)
    try:
        with transaction.atomic():
            opdracht.save()
    except IntegrityError:
        if ronde is None and (lopend := document.lopende_opdracht):
            return lopend
        raise ValidationError(_("%(d)s wordt nu al getoetst. Wacht tot die toets klaar is.")
                              % {"d": document}) from None
    if achtergrond:
        transaction.on_commit(lambda: enqueue(opdracht.pk))
    else:
        voer_opdracht_uit(opdracht.pk)
        opdracht.refresh_from_db()
    return opdracht


def opnieuw_toetsen(actor, document) -> Toetsopdracht:
    """Test again on the worker after a failed run; a run that has lost its worker (open for
    longer than Toetsopdracht.VASTGELOPEN_NA) is handed to the worker again; a run that is
    still going is left alone."""
    lopend = document.lopende_opdracht
    if lopend is None:
        return start_toetsing(actor, document, actief_lexicon(document.gemeente),
                              achtergrond=True)
    policy.require(actor, policy.ADD, lopend)
    if lopend.vastgelopen:
        transaction.on_commit(lambda: enqueue(lopend.pk))
    return lopend


def enqueue(opdracht_id: int) -> None:
    from toets.tasks import toets_op_achtergrond

    toets_op_achtergrond.enqueue(opdracht_id)


def voer_opdracht_uit(opdracht_id: int) -> Toetsing | None:
    """Run one Toetsopdracht: hold the passages against its lexicon, writing the progress as
    it goes, then store the Toetsing in one transaction. Running it again (a task retried or
    enqueued twice) makes no second Toetsing: a finished opdracht is skipped, and the
    one-to-one between Toetsing and opdracht refuses a second row from two runs at once."""
    if not Toetsopdracht.objects.filter(pk=opdracht_id, stand__in=Toetsopdracht.OPEN) \
            .update(stand=Toetsopdracht.Stand.BEZIG):
        return Toetsing.objects.filter(opdracht_id=opdracht_id).first()
    opdracht = Toetsopdracht.objects.select_related("document__gemeente", "lexicon",
                                                    "gemaakt_door").get(pk=opdracht_id)
    try:
        passages = list(opdracht.document.passages.all())
        lexicon = analyse.compileer(opdracht.lexicon.inhoud, str(opdracht.lexicon.versie))
        uitkomsten = analyse.analyseer(
            passages, lexicon,
            voortgang=_meld_voortgang(opdracht_id, len(passages)) if opdracht.achtergrond
            else None)
        with transaction.atomic():
            toetsing = _bewaar_toetsing(opdracht, passages, uitkomsten)
            Toetsopdracht.objects.filter(pk=opdracht_id).update(
                stand=Toetsopdracht.Stand.KLAAR, gedaan=len(passages), totaal=len(passages))
        return toetsing
    except IntegrityError:  # another run of the same opdracht stored it first
        Toetsopdracht.objects.filter(pk=opdracht_id).update(stand=Toetsopdracht.Stand.KLAAR)
        return Toetsing.objects.filter(opdracht_id=opdracht_id).first()
    except Exception as exc:
        logger.exception("Toetsopdracht %s is mislukt", opdracht_id)
        Toetsopdracht.objects.filter(pk=opdracht_id).update(
            stand=Toetsopdracht.Stand.MISLUKT, melding=f"{type(exc).__name__}: {exc}"[:300])
        raise


def _meld_voortgang(opdracht_id: int, totaal: int):
    """Write how many passages are done, about fifty times per run (not per passage)."""
    stap = max(1, totaal // 50)

    def meld(gedaan: int, _totaal: int) -> None:
        if gedaan % stap == 0:
            Toetsopdracht.objects.filter(pk=opdracht_id, stand=Toetsopdracht.Stand.BEZIG) \
                .update(gedaan=gedaan)
    return meld


def _bewaar_toetsing(opdracht, passages, uitkomsten) -> Toetsing:
    """One Oordeel per Klaverblad doel, with its evidence. Judgements of the previous run whose
    machine outcome did not change are carried over, so re-running never silently drops what
    a person decided."""
    document, actor = opdracht.document, opdracht.gemaakt_door
    laatste = document.laatste_toetsing
    vorige = {o.doel_id: o for o in Oordeel.objects.filter(toetsing=laatste)} if laatste else {}
    toetsing = Toetsing.objects.create(gemeente=document.gemeente, document=document,
                                       lexicon=opdracht.lexicon, stemmer=analyse.STEMMER,
                                       pakketten=pakketversies(), gemaakt_door=actor,
                                       opdracht=opdracht)
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
def save_lexicon(actor, gemeente, inhoud, toelichting: str = "", basis: int | None = None) \
        -> Lexicon:
    """A new lexicon version (the old ones stay: every toetsing names its version). `basis` is
    the version the editor started from: when someone saved a newer one meanwhile, the change
    is refused, unless it is exactly that newer version (the same form posted twice)."""
    if isinstance(inhoud, str | bytes):
        try:
            inhoud = json.loads(inhoud)
        except ValueError as exc:
            raise ValidationError(_("Het lexicon is geen geldige JSON: %(e)s") % {"e": exc}) \
                from None
    try:
        analyse.compileer(inhoud)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise ValidationError(_("Het lexicon mist een onderdeel of heeft een fout: %(e)s")
                              % {"e": exc}) from None
    lexicon = Lexicon(gemeente=gemeente, inhoud=inhoud, toelichting=toelichting[:500],
                      gemaakt_door=actor, versie=0)
    policy.require(actor, policy.ADD, lexicon)
    laatste = Lexicon.objects.select_for_update().filter(gemeente=gemeente) \
        .order_by("-versie").first()
    if laatste is not None and basis is not None and laatste.versie != basis:
        if laatste.inhoud == inhoud:
            return laatste
        raise ValidationError(_("Iemand heeft het lexicon intussen veranderd (nu versie "
                                "%(v)s). Open de pagina opnieuw en breng uw wijziging opnieuw "
                                "aan.") % {"v": laatste.versie})
    if laatste is not None and laatste.inhoud == inhoud:
        raise ValidationError(_("Er is niets veranderd aan het lexicon."))
    lexicon.versie = (laatste.versie if laatste else 0) + 1
    try:
        with transaction.atomic():
            lexicon.save()
    except IntegrityError:  # two saves at the same moment (SQLite takes no row lock)
        raise ValidationError(_("Iemand heeft het lexicon op hetzelfde moment veranderd. Open "
                                "de pagina opnieuw.")) from None
    record(actor, AuditEntry.Action.CREATE, lexicon, None, snapshot(lexicon))
    return lexicon


def save_lexicon_doel(actor, gemeente, doel, termen: list[dict], toelichting: str,
                      basis: int) -> Lexicon:
    """A new lexicon version in which only the terms of one doel changed."""
    inhoud = copy.deepcopy(actief_lexicon(gemeente).inhoud)
    nr = str(doel.nummer)
    if not termen:
        raise ValidationError(_("Geef minstens één woord of zinsdeel voor dit doel."))
    inhoud["doelen"][nr] = {**inhoud["doelen"].get(nr, {}), "termen": termen}
    return save_lexicon(actor, gemeente, inhoud, toelichting, basis=basis)


@transaction.atomic
def start_hertoetsronde(actor, gemeente, documenten, lexicon, sleutel) -> Hertoetsronde:
    """Test the chosen documents again with `lexicon` (a new version) to see what it changes;
    many pages together go to the worker. The same form posted twice starts one round."""
    ronde = Hertoetsronde(gemeente=gemeente, lexicon=lexicon, sleutel=sleutel,
                          gemaakt_door=actor)
    policy.require(actor, policy.ADD, ronde)
    if lexicon.gemeente_id != gemeente.pk:
        raise ValidationError(_("Dit lexicon hoort bij een andere gemeente."))
    documenten = [d for d in documenten if d.gemeente_id == gemeente.pk]
    if not documenten:
        raise ValidationError(_("Kies minstens één document."))
    if eerder := Hertoetsronde.objects.filter(gemeente=gemeente, sleutel=sleutel).first():
        return eerder
    try:
        with transaction.atomic():
            ronde.save()
    except IntegrityError:
        return Hertoetsronde.objects.get(gemeente=gemeente, sleutel=sleutel)
    tekens = Passage.objects.filter(document__in=documenten) \
        .aggregate(n=Sum(Length("tekst")))["n"] or 0
    for document in documenten:
        start_toetsing(actor, document, lexicon, achtergrond=lang(tekens), ronde=ronde)
    record(actor, AuditEntry.Action.CREATE, ronde, None, snapshot(ronde))
    return ronde


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
