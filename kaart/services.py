"""Every write of the sociale kaart: one transaction each, permission-checked through
core.policy and audited (core.audit)."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry, Bericht
from core.notifications import absolute, notify, notify_once
from core.retention import per_period
from core.services import delete_object, save_object
from framework.services import set_doelen
from kaart import versheid, zoeken
from kaart.models import (
    Aanbieder,
    Aanbod,
    KaartInstelling,
    Melding,
    Openingstijd,
    PostcodeBuurt,
    Uitzondering,
    Wijzigingsverzoek,
    normaliseer_postcode,
)

# Fields a provider may propose to change, and the ones that may go live at once when the
# gemeente allows it (KaartInstelling.telefoon_direct).
WIJZIGBARE_VELDEN = [
    "naam", "korte_beschrijving", "beschrijving", "leeftijd_van", "leeftijd_tot", "doelgroep",
    "kosten", "prijs", "kosten_toelichting", "aanmelden", "aanmelden_toelichting", "wachttijd",
    "talen", "toegankelijkheid", "website", "email", "telefoon", "verwijzen", "status",
]
DIRECTE_VELDEN = {"telefoon": "telefoon_direct"}
_WACHTEND = [Bericht.Status.WACHT, Bericht.Status.BEZIG, Bericht.Status.DIGEST]


# Search index ------------------------------------------------------------------------------

def indexeer(aanbod) -> None:
    """Recompute the aanbod's search terms (stored in zoektekst; the database indexes them)."""
    from kaart.models import Zoekterm

    doelgroep_woorden = [d.naam for d in aanbod.levensdomeinen.all()] if aanbod.pk else []
    terms = zoeken.index_termen(aanbod.naam, aanbod.korte_beschrijving, aanbod.beschrijving,
                                aanbod.doelgroep, aanbod.organisatie.naam, *doelgroep_woorden)
    tekst = " ".join(terms)
    if tekst != aanbod.zoektekst:
        Aanbod.objects.filter(pk=aanbod.pk).update(zoektekst=tekst)
        aanbod.zoektekst = tekst
    bekend = set(Zoekterm.objects.filter(gemeente_id=aanbod.gemeente_id, term__in=terms)
                 .values_list("term", flat=True))
    Zoekterm.objects.bulk_create(
        [Zoekterm(gemeente_id=aanbod.gemeente_id, term=t[:60]) for t in terms if t not in bekend],
        ignore_conflicts=True)


# Aanbod and locaties -----------------------------------------------------------------------

def aanbieder_van(organisatie) -> Aanbieder:
    found, _created = Aanbieder.objects.get_or_create(
        organisatie=organisatie, defaults={"gemeente_id": organisatie.gemeente_id})
    return found


@transaction.atomic
def save_aanbod(actor, aanbod, *, levensdomeinen=None, locaties=None, doelen=None,
                check_permission=True):
    """Create or change an aanbod (redacteur). A new aanbod gets its review date."""
    instelling = KaartInstelling.voor(aanbod.gemeente)
    if aanbod._state.adding and not aanbod.controle_voor:
        aanbod.controle_voor = versheid.plus_maanden(aanbod.aangemaakt_op,
                                                     instelling.controle_maanden)
    aanbod.gewijzigd_op = timezone.now()
    m2m = {}
    if levensdomeinen is not None:
        m2m["levensdomeinen"] = levensdomeinen
    if locaties is not None:
        if any(loc.gemeente_id != aanbod.gemeente_id for loc in locaties):
            raise ValidationError(_("Een locatie hoort bij een andere gemeente."))
        m2m["locaties"] = locaties
    save_object(actor, aanbod, m2m=m2m, check_permission=check_permission)
    if doelen is not None:
        set_doelen(actor, aanbod, doelen, check_permission=check_permission)
    aanbieder_van(aanbod.organisatie)
    indexeer(aanbod)
    return aanbod


def buurt_bij_postcode(gemeente, postcode):
    """The buurt of a postcode: the PC6 row, else the PC4 row, else None."""
    pc = normaliseer_postcode(postcode)
    rows = {p.postcode: p.buurt for p in PostcodeBuurt.objects.filter(
        gemeente=gemeente, postcode__in=[pc, pc[:4]]).select_related("buurt")}
    return rows.get(pc) or rows.get(pc[:4])


@transaction.atomic
def save_locatie(actor, locatie, *, check_permission=True):
    """Create or change a locatie; without a chosen buurt it follows from the postcode."""
    if not locatie.buurt_id:
        locatie.buurt = buurt_bij_postcode(locatie.gemeente, locatie.postcode)
    locatie.gewijzigd_op = timezone.now()
    save_object(actor, locatie, check_permission=check_permission)
    _raak_aanbod_aan(locatie)
    return locatie


def _raak_aanbod_aan(locatie):
    """A change at a locatie is a change of the aanbod given there (HSDS last_modified)."""
    Aanbod.objects.filter(locaties=locatie).update(gewijzigd_op=timezone.now())


def mag_openingstijden_wijzigen(actor, locatie) -> bool:
    """The redacteur always; a partner of the locatie's organisatie when the gemeente lets
    opening hours go live at once (KaartInstelling.openingstijden_direct). Otherwise a
    partner asks the redacteur: opening hours are not part of a change request."""
    if policy.can(actor, policy.CHANGE, locatie):
        return True
    return (_is_partner_van(actor, locatie)
            and KaartInstelling.voor(locatie.gemeente).openingstijden_direct)


def _require_openingstijden(actor, locatie):
    if not mag_openingstijden_wijzigen(actor, locatie):
        raise PermissionDenied(_("U mag de openingstijden van deze locatie niet wijzigen."))


def _locatie_gewijzigd(locatie):
    locatie.gewijzigd_op = timezone.now()
    locatie.save(update_fields=["gewijzigd_op"])
    _raak_aanbod_aan(locatie)


@transaction.atomic
def zet_openingstijden(actor, locatie, tijden: list[tuple[int, datetime.time, datetime.time]],
                       *, check_permission=True):
    """Replace the regular opening hours of a locatie (see mag_openingstijden_wijzigen). All
    or nothing: one wrong or overlapping period changes nothing."""
    if check_permission:
        _require_openingstijden(actor, locatie)
    before = [str(o) for o in locatie.openingstijden.all()]
    nieuw = _gecontroleerde_tijden(locatie, tijden)
    locatie.openingstijden.all().delete()
    Openingstijd.objects.bulk_create(nieuw)
    _locatie_gewijzigd(locatie)
    record(actor, AuditEntry.Action.UPDATE, locatie, {"openingstijden": before},
           {"openingstijden": [str(o) for o in nieuw]})


def _gecontroleerde_tijden(locatie, tijden) -> list[Openingstijd]:
    """Unsaved Openingstijd rows, sorted, each checked; ValidationError (in Dutch) when one is
    wrong or two on a day overlap."""
    nieuw = []
    for weekdag, open_, sluit in sorted(tijden, key=lambda t: (t[0], t[1] or datetime.time())):
        o = Openingstijd(gemeente_id=locatie.gemeente_id, locatie=locatie, weekdag=weekdag,
                         open=open_, sluit=sluit)
        o.full_clean(exclude=["locatie"])
        vorige = nieuw[-1] if nieuw else None
        if vorige is not None and vorige.weekdag == weekdag and open_ < vorige.sluit:
            raise ValidationError(_("De tijden op %(dag)s overlappen.")
                                  % {"dag": o.get_weekdag_display()})
        nieuw.append(o)
    return nieuw


def mag_openingstijden_voorstellen(actor, locatie) -> bool:
    """Who may use the opening hours page: who may change them, and a partner of the
    locatie's organisatie (whose new hours then wait for the redacteur)."""
    return mag_openingstijden_wijzigen(actor, locatie) or _is_partner_van(actor, locatie)


def _tijden_json(tijden) -> list:
    return [[o.weekdag, f"{o.open:%H:%M}", f"{o.sluit:%H:%M}"] for o in tijden]


def tijden_per_dag(rijen) -> dict[int, str]:
    """[[weekdag, "HH:MM", "HH:MM"], ...] → {weekdag: "09:00–12:00, 13:00–17:00"}."""
    per_dag = {}
    for d, a, b in rijen or []:
        per_dag.setdefault(d, []).append(f"{a}–{b}")
    return {d: ", ".join(tijden) for d, tijden in per_dag.items()}


@transaction.atomic
def wijzig_openingstijden(actor, locatie, tijden):
    """New weekly hours from the opening hours page: live at once for whoever may change them
    (mag_openingstijden_wijzigen); from a partner while the gemeente does not let opening hours
    go live at once, a change request of the locatie that waits for the redacteur. Returns
    that request, or None when the hours were applied."""
    if mag_openingstijden_wijzigen(actor, locatie):
        zet_openingstijden(actor, locatie, tijden)
        return None
    if not _is_partner_van(actor, locatie):
        raise PermissionDenied(_("U mag de openingstijden van deze locatie niet wijzigen."))
    huidig = _tijden_json(locatie.openingstijden.all())
    voorstel = _tijden_json(_gecontroleerde_tijden(locatie, tijden))
    if voorstel == huidig:
        raise ValidationError(_("U heeft niets gewijzigd."))
    verzoek = Wijzigingsverzoek(gemeente=locatie.gemeente, locatie=locatie,
                                voorstel={"openingstijden": voorstel},
                                huidig={"openingstijden": huidig}, ingediend_door=actor)
    verzoek.save()
    record(actor, AuditEntry.Action.CREATE, verzoek, None, snapshot(verzoek))
    _meld(locatie.gemeente, "kaart.wijziging", _("Nieuwe openingstijden voorgesteld: %(naam)s")
          % {"naam": locatie.naam}, _("Een aanbieder stelt nieuwe openingstijden voor. Bekijk "
                                      "en keur goed of stuur terug."), obj=verzoek,
          redacteur=True, url=verzoek.get_absolute_url())
    return verzoek


@transaction.atomic
def save_uitzondering(actor, uitzondering, *, check_permission=True):
    """Add or change a day with other opening hours (closed, or other times) at a locatie;
    same permission as the regular hours. One per locatie and date."""
    locatie = uitzondering.locatie
    if check_permission:
        _require_openingstijden(actor, locatie)
    if uitzondering.gemeente_id != locatie.gemeente_id:
        raise ValidationError(_("Deze locatie hoort bij een andere gemeente."))
    if uitzondering.gesloten:
        uitzondering.open = uitzondering.sluit = None
    dubbel = ValidationError(_("Voor deze datum is al een afwijkende openingstijd. Pas die "
                               "aan."))
    if Uitzondering.objects.filter(locatie=locatie, datum=uitzondering.datum).exclude(
            pk=uitzondering.pk).exists():
        raise dubbel
    try:
        with transaction.atomic():  # the unique constraint decides when two save at once
            save_object(actor, uitzondering, check_permission=False)
    except IntegrityError:
        raise dubbel from None
    _locatie_gewijzigd(locatie)
    return uitzondering


@transaction.atomic
def delete_uitzondering(actor, uitzondering, *, check_permission=True):
    if check_permission:
        _require_openingstijden(actor, uitzondering.locatie)
    delete_object(actor, uitzondering, check_permission=False)
    _locatie_gewijzigd(uitzondering.locatie)


def _is_partner_van(actor, obj) -> bool:
    return any(m.role == "partner" and m.gemeente_id == obj.gemeente_id
               and m.organisatie_id in obj.policy_organisatie_ids()
               for m in policy.memberships(actor))


# Change requests ---------------------------------------------------------------------------

def _waarde(aanbod, veld):
    value = getattr(aanbod, veld)
    return str(value) if value is not None and not isinstance(value, (str, int)) else value


def huidige_waarden(aanbod) -> dict:
    return {veld: _waarde(aanbod, veld) for veld in WIJZIGBARE_VELDEN}


@transaction.atomic
def dien_wijziging_in(actor, aanbod, voorstel: dict, *, via_link: bool = False):
    """A partner proposes changes to their organisation's aanbod (logged in, or without login
    through the signed 'wijzigen' link of this aanbod: `via_link`, checked by the caller with
    lees_controlelink). Fields the gemeente lets go live at once are applied now; the rest
    waits for the redacteur as one change request. Returns the request (None when nothing
    waits)."""
    if not via_link and not policy.can(actor, policy.ADD, Wijzigingsverzoek(
            gemeente=aanbod.gemeente, aanbod=aanbod)):
        raise PermissionDenied(_("U mag dit aanbod niet wijzigen."))
    aanbod = Aanbod.objects.select_for_update().get(pk=aanbod.pk)
    huidig = huidige_waarden(aanbod)
    voorstel = {k: v for k, v in voorstel.items()
                if k in WIJZIGBARE_VELDEN and v != huidig[k]}
    if not voorstel:
        raise ValidationError(_("U heeft niets gewijzigd."))
    instelling = KaartInstelling.voor(aanbod.gemeente)
    direct = {k: v for k, v in voorstel.items()
              if k in DIRECTE_VELDEN and getattr(instelling, DIRECTE_VELDEN[k])}
    wacht = {k: v for k, v in voorstel.items() if k not in direct}
    # Check the whole proposal against the model's rules before anything is applied.
    proef = Aanbod.objects.get(pk=aanbod.pk)
    for k, v in voorstel.items():
        setattr(proef, k, v)
    proef.full_clean()
    if direct:
        for k, v in direct.items():
            setattr(aanbod, k, v)
        save_aanbod(actor, aanbod, check_permission=False)
    if not wacht:
        return None
    verzoek = Wijzigingsverzoek(gemeente=aanbod.gemeente, aanbod=aanbod, voorstel=wacht,
                                huidig={k: huidig[k] for k in wacht}, ingediend_door=actor)
    verzoek.save()
    record(actor, AuditEntry.Action.CREATE, verzoek, None, snapshot(verzoek))
    _meld(aanbod.gemeente, "kaart.wijziging", _("Wijziging voorgesteld: %(naam)s")
          % {"naam": aanbod.naam}, _("Een aanbieder stelt een wijziging voor. Bekijk en keur "
                                     "goed of stuur terug."), obj=verzoek, redacteur=True,
          url=verzoek.get_absolute_url())
    return verzoek


def diff(verzoek) -> list[tuple[str, object, object, object]]:
    """[(field label, value when proposed, proposed value, value now)] of a change request."""
    if not verzoek.aanbod_id:  # opening hours: one row per weekday that changes
        oud, nieuw = (tijden_per_dag(w.get("openingstijden")) for w in (verzoek.huidig,
                                                                         verzoek.voorstel))
        nu = tijden_per_dag(_tijden_json(verzoek.locatie.openingstijden.all()))
        gesloten = _("gesloten")
        return [(_("openingstijden op %(dag)s") % {"dag": naam}, oud.get(d, gesloten),
                 nieuw.get(d, gesloten), nu.get(d, gesloten))
                for d, naam in Openingstijd.Weekdag.choices if oud.get(d) != nieuw.get(d)]
    aanbod = verzoek.aanbod
    rows = []
    for veld, nieuw in verzoek.voorstel.items():
        label = Aanbod._meta.get_field(veld).verbose_name
        rows.append((label, verzoek.huidig.get(veld), nieuw, _waarde(aanbod, veld)))
    return rows


def _beoordeel(actor, verzoek):
    # Lock the request only: aanbod and locatie are optional (outer joins cannot be locked).
    verzoek = Wijzigingsverzoek.objects.select_for_update(of=("self",)).select_related(
        "aanbod__gemeente", "locatie__gemeente").get(pk=verzoek.pk)
    policy.require(actor, policy.CHANGE, verzoek)
    if verzoek.status != Wijzigingsverzoek.Status.INGEDIEND:
        raise ValidationError(_("Over dit verzoek is al beslist."))
    return verzoek


@transaction.atomic
def keur_wijziging_goed(actor, verzoek):
    verzoek = _beoordeel(actor, verzoek)
    before = snapshot(verzoek)
    if verzoek.aanbod_id:
        aanbod = Aanbod.objects.select_for_update().get(pk=verzoek.aanbod_id)
        for veld, waarde in verzoek.voorstel.items():
            setattr(aanbod, veld, waarde)
        save_aanbod(actor, aanbod)
    else:
        zet_openingstijden(actor, verzoek.locatie, [
            (d, datetime.time.fromisoformat(a), datetime.time.fromisoformat(b))
            for d, a, b in verzoek.voorstel["openingstijden"]])
    verzoek.status = Wijzigingsverzoek.Status.GOEDGEKEURD
    verzoek.beoordeeld_door, verzoek.beoordeeld_op = actor, timezone.now()
    verzoek.save()
    record(actor, AuditEntry.Action.UPDATE, verzoek, before, snapshot(verzoek))
    _meld_indiener(verzoek, _("Uw wijziging is goedgekeurd: %(naam)s"),
                   _("De wijziging staat nu op de sociale kaart."))
    return verzoek


@transaction.atomic
def stuur_wijziging_terug(actor, verzoek, reden: str):
    if not (reden or "").strip():
        raise ValidationError(_("Schrijf op waarom u het verzoek terugstuurt."))
    verzoek = _beoordeel(actor, verzoek)
    before = snapshot(verzoek)
    verzoek.status = Wijzigingsverzoek.Status.TERUGGESTUURD
    verzoek.reden = reden.strip()
    verzoek.beoordeeld_door, verzoek.beoordeeld_op = actor, timezone.now()
    verzoek.save()
    record(actor, AuditEntry.Action.UPDATE, verzoek, before, snapshot(verzoek))
    _meld_indiener(verzoek, _("Uw wijziging is teruggestuurd: %(naam)s"), verzoek.reden)
    return verzoek


# Freshness: the explicit check and the one-click link ---------------------------------------

LINK_SALT = "kaart.controlelink"
KLOPT, WIJZIGEN = "klopt", "wijzigen"


@transaction.atomic
def controleer(actor, aanbod, *, door: str = ""):
    """'Klopt nog': the only way `laatst gecontroleerd` is set. Starts a new review term."""
    if actor is not None:
        _require_controle(actor, aanbod)
    aanbod = Aanbod.objects.select_for_update().get(pk=aanbod.pk)
    before = snapshot(aanbod)
    instelling = KaartInstelling.voor(aanbod.gemeente)
    vandaag = timezone.localdate()
    aanbod.gecontroleerd_op = vandaag
    aanbod.gecontroleerd_door = door or str(actor)
    aanbod.controle_voor = versheid.plus_maanden(vandaag, instelling.controle_maanden)
    aanbod.herinnerd_op = None
    aanbod.save(update_fields=["gecontroleerd_op", "gecontroleerd_door", "controle_voor",
                               "herinnerd_op"])
    record(actor, AuditEntry.Action.UPDATE, aanbod, before, snapshot(aanbod))
    return aanbod


def _require_controle(actor, aanbod):
    if not (policy.can(actor, policy.CHANGE, aanbod) or _is_partner_van(actor, aanbod)):
        raise PermissionDenied(_("U mag dit aanbod niet controleren."))


def controlelink_token(aanbod, doel: str) -> str:
    """A signed token for exactly one thing (klopt / wijzigen) on exactly one aanbod, valid
    until the aanbod is checked again (the last check date is part of what is signed)."""
    if doel not in (KLOPT, WIJZIGEN):
        raise ValueError(doel)
    gecontroleerd = aanbod.gecontroleerd_op.isoformat() if aanbod.gecontroleerd_op else ""
    return signing.dumps({"a": str(aanbod.uuid), "d": doel, "c": gecontroleerd},
                         salt=LINK_SALT, compress=True)


def lees_controlelink(gemeente, token: str, doel: str):
    """The aanbod a valid, unexpired, unused token of this purpose points at; else
    ValidationError with the reason in Dutch."""
    instelling = KaartInstelling.voor(gemeente)
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(
            days=instelling.link_dagen))
    except signing.SignatureExpired:
        raise ValidationError(_("Deze link is verlopen.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Deze link klopt niet.")) from None
    if data.get("d") != doel:
        raise ValidationError(_("Deze link klopt niet."))
    aanbod = Aanbod.objects.select_related("gemeente", "organisatie").filter(
        gemeente=gemeente, uuid=data.get("a")).first()
    if aanbod is None:
        raise ValidationError(_("Deze link klopt niet."))
    gecontroleerd = aanbod.gecontroleerd_op.isoformat() if aanbod.gecontroleerd_op else ""
    if data.get("c") != gecontroleerd:
        raise ValidationError(_("Deze link is al gebruikt: het aanbod is intussen "
                                "gecontroleerd."))
    return aanbod


@transaction.atomic
def klopt_nog_via_link(gemeente, token: str):
    aanbod = lees_controlelink(gemeente, token, KLOPT)
    return controleer(None, aanbod, door=_("aanbieder (via de controlelink)"))


# Public reports ----------------------------------------------------------------------------

def werkdagen_later(day: datetime.date, n: int) -> datetime.date:
    while n:
        day += datetime.timedelta(days=1)
        if day.isoweekday() <= 5:
            n -= 1
    return day


@transaction.atomic
def meld_fout(aanbod, *, tekst: str, email: str = ""):
    """A visitor reports that something is wrong. Provider and redacteur are told; the answer
    is due within the gemeente's number of working days (default 10)."""
    tekst = (tekst or "").strip()
    if len(tekst) < 5:
        raise ValidationError(_("Schrijf kort op wat er niet klopt."))
    instelling = KaartInstelling.voor(aanbod.gemeente)
    melding = Melding(gemeente=aanbod.gemeente, aanbod=aanbod, tekst=tekst[:2000], email=email,
                      antwoord_voor=werkdagen_later(timezone.localdate(),
                                                    instelling.melding_werkdagen))
    melding.full_clean()
    melding.save()
    record(None, AuditEntry.Action.CREATE, melding, None, _melding_snapshot(melding))
    onderwerp = _("Melding over %(naam)s") % {"naam": aanbod.naam}
    body = _("Iemand meldt dat er iets niet klopt:\n\n%(tekst)s\n\nAntwoord uiterlijk "
             "%(datum)s.") % {"tekst": melding.tekst,
                              "datum": melding.antwoord_voor.strftime("%d-%m-%Y")}
    _meld(aanbod.gemeente, "kaart.melding", onderwerp, body, obj=melding, redacteur=True,
          organisatie=aanbod.organisatie, url=melding.get_absolute_url())
    return melding


@transaction.atomic
def beantwoord_melding(actor, melding, antwoord: str):
    if not (antwoord or "").strip():
        raise ValidationError(_("Schrijf een antwoord."))
    melding = Melding.objects.select_for_update().get(pk=melding.pk)
    if not (policy.can(actor, policy.CHANGE, melding)):
        raise PermissionDenied(_("U mag deze melding niet beantwoorden."))
    if melding.status == Melding.Status.BEANTWOORD:
        raise ValidationError(_("Deze melding is al beantwoord."))
    before = _melding_snapshot(melding)
    melding.status = Melding.Status.BEANTWOORD
    melding.antwoord = antwoord.strip()
    melding.beantwoord_door, melding.beantwoord_op = actor, timezone.now()
    melding.save()
    record(actor, AuditEntry.Action.UPDATE, melding, before, _melding_snapshot(melding))
    if melding.email:
        _meld(melding.gemeente, "kaart.melding-antwoord",
              _("Antwoord op uw melding over %(naam)s") % {"naam": melding.aanbod.naam},
              melding.antwoord, obj=melding, email=melding.email)
    # The e-mail address was only kept to answer: it goes now (data minimisation).
    Melding.objects.filter(pk=melding.pk).update(email="")
    return melding


def _melding_snapshot(melding):
    """For the append-only audit log: without what the reporter wrote and their address (the
    address must go after its retention period, docs/privacy.md)."""
    return {k: v for k, v in snapshot(melding).items() if k not in ("tekst", "email")}


def wis_melding_emails(now=None) -> dict:
    """The address of whoever reported something (maybe a parent or a child) is kept only to
    answer: it goes from the report when the answer is given (beantwoord_melding), from the
    outbox once that answer was sent, and at the latest the gemeente's melding_email_dagen
    after the report, answered or not (an answer still waiting is then not sent). One UPDATE
    per distinct period (core.retention). Scheduled: kaart.tasks.wis_melding_emails."""
    now = now or timezone.now()
    antwoorden = Bericht.objects.filter(kind="kaart.melding-antwoord").exclude(email="")
    telling = {"melding_emails": 0, "berichten": antwoorden.exclude(
        status__in=_WACHTEND).update(email="")}
    for dagen, gemeenten in per_period(KaartInstelling.objects, "melding_email_dagen",
                                       KaartInstelling().melding_email_dagen):
        oud = Melding.objects.filter(gemeenten, ingediend_op__lte=now
                                     - datetime.timedelta(days=dagen))
        with transaction.atomic():
            telling["melding_emails"] += oud.exclude(email="").update(email="")
            telling["berichten"] += antwoorden.filter(
                object_id__in=oud.values(pk_tekst=Cast("pk", CharField()))).update(
                email="", status=Bericht.Status.MISLUKT, next_attempt_at=None,
                last_error=gettext_noop("e-mailadres gewist (bewaartermijn)"))
    return telling


# Messages ----------------------------------------------------------------------------------

KINDS = {
    "kaart.wijziging": _l("Sociale kaart: wijzigingsverzoeken"),
    "kaart.melding": _l("Sociale kaart: meldingen 'Klopt er iets niet?'"),
    "kaart.melding-antwoord": _l("Sociale kaart: antwoord op een melding"),
    "kaart.controle": _l("Sociale kaart: aanbod controleren"),
    "kaart.escalatie": _l("Sociale kaart: controles en meldingen over de termijn"),
}


def _ontvangers(gemeente, *, redacteur=False, organisatie=None, user=None):
    from core.models import Membership, Role

    users = [user] if user is not None else []
    if redacteur:
        users += [m.user for m in Membership.objects.filter(
            gemeente=gemeente, role=Role.BELEIDSMEDEWERKER).select_related("user")]
    if organisatie is not None:
        users += [m.user for m in Membership.objects.filter(
            gemeente=gemeente, role=Role.PARTNER, organisatie=organisatie).select_related("user")]
    return list(dict.fromkeys(users))


def _meld(gemeente, kind, subject, body, *, obj=None, redacteur=False, organisatie=None,
          user=None, email="", url="", key=""):
    """Messages through the outbox (core.notifications) to the redacteuren, the partners of an
    organisatie, a user and/or an e-mail address. With `key`: at most once (notify_once)."""
    targets = [{"user": u} for u in _ontvangers(gemeente, redacteur=redacteur,
                                                 organisatie=organisatie, user=user)]
    if email:
        targets.append({"email": email})
    for target in targets:
        common = {"gemeente": gemeente, "kind": kind, "subject": subject, "body": body,
                  "obj": obj, "url": url, **target}
        if key:
            who = target.get("user").pk if "user" in target else target["email"]
            notify_once(key=f"{key}:{who}", **common)
        else:
            notify(**common)


def _meld_indiener(verzoek, subject, body):
    if verzoek.ingediend_door_id:
        _meld(verzoek.gemeente, "kaart.wijziging", subject % {"naam": verzoek.onderwerp.naam},
              body, obj=verzoek, user=verzoek.ingediend_door, url=verzoek.get_absolute_url())


# Scheduled: reminders before the review date, escalation after it ---------------------------

def controlelinks(aanbod) -> dict:
    from django.urls import reverse

    return {doel: absolute(reverse(f"kaart:publiek-{'klopt-nog' if doel == KLOPT else doel}",
                                   kwargs={"gemeente": aanbod.gemeente.slug,
                                           "token": controlelink_token(aanbod, doel)}))
            for doel in (KLOPT, WIJZIGEN)}


def herinner_aanbieders(vandaag=None) -> int:
    """Before an aanbod's review date: one message to the provider (partners of the
    organisatie, else the organisatie's or aanbod's e-mail address) with the one-click links
    'klopt nog' and 'wijzigen'. Returns the number of aanbod reminded."""
    vandaag = vandaag or timezone.localdate()
    n = 0
    for instelling_gemeente in _gemeenten_met_aanbod():
        instelling = KaartInstelling.voor(instelling_gemeente)
        grens = vandaag + datetime.timedelta(days=instelling.herinnering_dagen)
        due = (Aanbod.objects.filter(gemeente=instelling_gemeente, herinnerd_op__isnull=True,
                                     controle_voor__lte=grens)
               .exclude(status=Aanbod.Status.BEEINDIGD).select_related("gemeente",
                                                                      "organisatie"))
        for aanbod in due:
            with transaction.atomic():
                links = controlelinks(aanbod)
                body = _("Klopt de informatie over '%(naam)s' op de sociale kaart nog? Kijk "
                         "het voor %(datum)s na.\n\nAlles klopt nog: %(klopt)s\n"
                         "Iets wijzigen: %(wijzigen)s\n\nDe links werken zonder inloggen, "
                         "%(dagen)s dagen lang, en alleen voor dit aanbod.") % {
                    "naam": aanbod.naam, "datum": aanbod.controle_voor.strftime("%d-%m-%Y"),
                    "klopt": links[KLOPT], "wijzigen": links[WIJZIGEN],
                    "dagen": instelling.link_dagen}
                partners = _ontvangers(aanbod.gemeente, organisatie=aanbod.organisatie)
                adres = "" if partners else (aanbod.organisatie.email or aanbod.email)
                if partners or adres:
                    _meld(aanbod.gemeente, "kaart.controle",
                          _("Klopt uw aanbod nog? %(naam)s") % {"naam": aanbod.naam}, body,
                          obj=aanbod, organisatie=aanbod.organisatie, email=adres,
                          key=f"kaart.herinnering:{aanbod.pk}:{aanbod.controle_voor}")
                Aanbod.objects.filter(pk=aanbod.pk).update(herinnerd_op=vandaag)
                n += 1
    return n


def escaleer(vandaag=None) -> dict:
    """To the redacteuren, once each: aanbod past its review date (not checked after the
    reminder) and reports not answered within their term."""
    vandaag = vandaag or timezone.localdate()
    telling = {"controles": 0, "meldingen": 0}
    for gemeente in _gemeenten_met_aanbod():
        for aanbod in Aanbod.objects.filter(gemeente=gemeente, controle_voor__lt=vandaag
                                            ).exclude(status=Aanbod.Status.BEEINDIGD):
            _meld(gemeente, "kaart.escalatie",
                  _("Niet gecontroleerd: %(naam)s") % {"naam": aanbod.naam},
                  _("De aanbieder heeft dit aanbod niet op tijd gecontroleerd (uiterlijk "
                    "%(datum)s). Neem contact op of zet het op beëindigd.") % {
                      "datum": aanbod.controle_voor.strftime("%d-%m-%Y")},
                  obj=aanbod, redacteur=True, url=aanbod.get_absolute_url(),
                  key=f"kaart.escalatie:{aanbod.pk}:{aanbod.controle_voor}")
            telling["controles"] += 1
        for melding in Melding.objects.filter(gemeente=gemeente, status=Melding.Status.OPEN,
                                              antwoord_voor__lt=vandaag).select_related(
                "aanbod__gemeente"):
            _meld(gemeente, "kaart.escalatie",
                  _("Melding niet op tijd beantwoord: %(naam)s") % {"naam": melding.aanbod.naam},
                  _("Deze melding had uiterlijk %(datum)s een antwoord moeten hebben.") % {
                      "datum": melding.antwoord_voor.strftime("%d-%m-%Y")},
                  obj=melding, redacteur=True, url=melding.get_absolute_url(),
                  key=f"kaart.melding-escalatie:{melding.pk}")
            telling["meldingen"] += 1
    return telling


def _gemeenten_met_aanbod():
    from core.models import Gemeente

    return Gemeente.objects.filter(pk__in=Aanbod.objects.values("gemeente_id")).order_by("pk")
