"""The state machine of an aanvraag, in one place: which step is allowed now and why not.

    concept → ingediend → in behandeling → verleend → verantwoord → vastgesteld
                 ↘ (onvolledig: back to concept)   ↘ geweigerd
    verleend with tier "geen verslag": vastgesteld at once.

The services refuse with `waarom_niet`'s reason, the pages show it (and hide the buttons), the
API answers with it; the status is checked once more in each step's conditional UPDATE
(`set_status`). Also the read-only checks the steps depend on (completeness, the begroting per
year, the checklist, what a tier asks).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.audit import snapshot
from core.money import ZERO, format_euro
from finance.models import (
    Aanvraag,
    Begrotingsregel,
    Eis,
    VerantwoordingBestand,
)
from finance.services.base import (
    S,
    current_date,
    eenmalig,
    vergrendel,
)
from framework.selectors import huidig_klaverblad


def begroting_per_jaar(aanvraag):
    """{jaar: {"gevraagd", "kosten", "dekking", "sluit"}} for the begroting table."""
    rows = {j.jaar: {"gevraagd": j.gevraagd, "kosten": ZERO, "dekking": ZERO}
            for j in aanvraag.jaren.all()}
    for regel in aanvraag.begrotingsregels.all():
        row = rows.setdefault(regel.jaar, {"gevraagd": ZERO, "kosten": ZERO, "dekking": ZERO})
        row["kosten" if regel.soort == Begrotingsregel.Soort.KOSTEN else "dekking"] += (
            regel.bedrag)
    for row in rows.values():
        row["sluit"] = row["kosten"] == row["gevraagd"] + row["dekking"]
    return dict(sorted(rows.items()))


def ontbreekt(aanvraag, today=None) -> list[str]:
    """The completeness check: what is missing before this aanvraag can be submitted."""
    today = today or current_date()
    regeling = aanvraag.regeling
    missing = []
    if not aanvraag.titel.strip():
        missing.append(_("Geef de aanvraag een titel."))
    if len(aanvraag.activiteiten.strip()) < 20:
        missing.append(_("Beschrijf de activiteiten (wat, voor wie, waar en wanneer)."))
    if not aanvraag.organisatie_id and not aanvraag.initiatiefnemer.strip():
        missing.append(_("Vul in wie de subsidie aanvraagt."))
    if regeling.gebiedsgebonden and not aanvraag.gebied_id:
        missing.append(_("Kies het gebied: deze regeling is voor activiteiten in een gebied."))
    if (not aanvraag.doel_koppelingen.exists()
            and huidig_klaverblad(aanvraag.gemeente, today) is not None):
        missing.append(_("Kies de doelen van het Klaverblad waaraan de activiteiten "
                         "bijdragen."))
    begroting = begroting_per_jaar(aanvraag)
    if not begroting or not any(r["gevraagd"] > 0 for r in begroting.values()):
        missing.append(_("Vul in hoeveel subsidie u per jaar vraagt."))
    for jaar, row in begroting.items():
        if row["kosten"] == 0:
            missing.append(_("Zet de kosten van %(jaar)s in de begroting.") % {"jaar": jaar})
        elif not row["sluit"]:
            missing.append(_(
                "De begroting van %(jaar)s sluit niet: de kosten (%(kosten)s) zijn niet gelijk "
                "aan de gevraagde subsidie (%(gevraagd)s) plus de andere financiering "
                "(%(dekking)s).") % {"jaar": jaar, "kosten": format_euro(row["kosten"]),
                                     "gevraagd": format_euro(row["gevraagd"]),
                                     "dekking": format_euro(row["dekking"])})
    if not regeling.open_op(today):
        missing.append(_("Aanvragen kan van %(van)s tot en met %(tot)s.") % {
            "van": regeling.aanvragen_van.strftime("%d-%m-%Y"),
            "tot": regeling.aanvragen_tot.strftime("%d-%m-%Y")})
    return missing


# --- the state machine ----------------------------------------------------------------------

BETAALBAAR = (S.VERLEEND, S.VERANTWOORD, S.VASTGESTELD)

# Which statuses each step starts from. `waarom_niet` gives the reason a step cannot be taken
# now; the services refuse with it, the pages show it (and hide the buttons), the API answers
# with it. The status is checked once more in each step's conditional UPDATE (`set_status`).
STAPPEN = {
    "bewerken": (S.CONCEPT,),
    "verwijderen": (S.CONCEPT,),
    "indienen": (S.CONCEPT,),
    "beoordelen": Aanvraag.OPEN,
    "verlenen": (S.IN_BEHANDELING,),
    "weigeren": Aanvraag.OPEN,
    "wijzigen": (S.VERLEEND,),
    "intrekken": (S.VERLEEND, S.VERANTWOORD),
    "betalen": BETAALBAAR,
    "verantwoorden": (S.VERLEEND,),
    "vaststellen": (S.VERANTWOORD,),
    "terugbetalen": (S.VASTGESTELD, S.INGETROKKEN),
    # A behandelaar may remove a bijlage until the decision (the applicant only while it is a
    # concept: "bewerken"); after it, the bijlagen belong to the dossier of the beschikking.
    "bijlage_verwijderen": (S.CONCEPT, *Aanvraag.OPEN),
}


def waarom_niet(aanvraag, stap: str, today=None) -> str:
    """Why `stap` cannot be taken on this aanvraag now ("" when it can): the one place that
    knows the state machine's preconditions and their Dutch reasons."""
    status = aanvraag.status
    allowed = status in STAPPEN[stap]
    if stap in ("bewerken", "indienen") and not allowed:
        return (_("Deze aanvraag is al ingediend.") if stap == "indienen" else _(
            "Deze aanvraag is al ingediend en kan hier niet meer worden gewijzigd."))
    if stap == "bewerken":
        return ""
    if stap == "bijlage_verwijderen":
        return "" if allowed else _("Over deze aanvraag is besloten: de bijlagen horen bij het "
                                    "dossier en worden niet meer verwijderd.")
    if stap == "indienen":
        missing = ontbreekt(aanvraag, today)
        return " ".join([_("Nog niet volledig:"), *missing]) if missing else ""
    if stap == "verwijderen":
        return "" if allowed else _("Alleen een concept kan worden verwijderd.")
    if stap == "beoordelen":
        return "" if allowed else _("Alleen een ingediende aanvraag waarover nog niet is "
                                    "besloten, wordt beoordeeld.")
    if stap == "verlenen":
        if status in Aanvraag.BESLOTEN:
            return _("Over deze aanvraag is al besloten.")
        if not allowed:
            return _("Neem de aanvraag eerst in behandeling: controleer of ze volledig is en "
                     "beoordeel haar.")
        return " ".join(beoordeling_compleet(aanvraag))
    if stap == "weigeren":
        return "" if allowed else _("Alleen een ingediende aanvraag waarover nog niet is "
                                    "besloten, kan worden geweigerd.")
    if stap == "wijzigen":
        return "" if allowed else _("Alleen een verleende subsidie waarvan de verantwoording "
                                    "nog niet binnen is, kan worden gewijzigd.")
    if stap == "intrekken":
        return "" if allowed else _("Alleen een verleende subsidie die nog niet is "
                                    "vastgesteld, kan worden ingetrokken.")
    if stap == "betalen":
        if status == S.GEWEIGERD:
            return _("Op een geweigerde aanvraag wordt niets betaald.")
        if not allowed:
            return _("Op een aanvraag die niet is verleend, wordt niets betaald.")
        if is_nabetaling(aanvraag):
            return "" if aanvraag.nog_te_betalen > 0 else _(
                "Alles wat is vastgesteld, is betaald.")
        if not aanvraag.termijnen.filter(vervallen=False, betaling__isnull=True).exists():
            return _("Er staat geen voorschot meer open in het schema.")
        return ""
    if stap == "verantwoorden":
        if status == S.VASTGESTELD and aanvraag.eis == Eis.GEEN:
            return _("Deze subsidie is bij de verlening al vastgesteld; u hoeft geen "
                     "verantwoording te sturen.")
        if not allowed:
            return _("Een verantwoording hoort bij een verleende subsidie die nog niet is "
                     "verantwoord.")
        einde = periode_einde(aanvraag)
        if (einde and (today or current_date()) <= einde
                and not aanvraag.regeling.tussentijds_verantwoorden):
            return _("De subsidieperiode loopt tot en met %(einde)s. Stuur de verantwoording "
                     "daarna, uiterlijk %(uiterlijk)s.") % {
                "einde": einde.strftime("%d-%m-%Y"),
                "uiterlijk": verantwoorden_voor(aanvraag).strftime("%d-%m-%Y")}
        return ""
    if stap == "vaststellen":
        if status == S.VASTGESTELD:
            return _("Deze subsidie is al vastgesteld.")
        if status == S.VERLEEND:
            return _("Wacht op de verantwoording van de aanvrager; daarna kan de subsidie "
                     "worden vastgesteld.")
        return "" if allowed else _("Een subsidie kan pas worden vastgesteld als ze is "
                                    "verleend.")
    if stap == "terugbetalen":
        if not allowed or aanvraag.terugvordering <= 0:
            return _("Er wordt niets teruggevorderd.")
        return "" if aanvraag.nog_terug_te_betalen > 0 else _(
            "De terugvordering is helemaal terugbetaald.")
    raise ValueError(stap)


def mogelijke_stappen(aanvraag) -> set[str]:
    """The steps whose button the aanvraag's page shows: the status allows them, and for the
    money steps there is something left to do. (The step's own page says what else is
    missing, e.g. an unjudged point before a verlening.) Removing a bijlage is not one: its
    link stands at each bijlage."""
    stappen = {stap for stap, van in STAPPEN.items()
               if aanvraag.status in van and stap != "bijlage_verwijderen"}
    for stap in ("betalen", "terugbetalen"):
        if stap in stappen and waarom_niet(aanvraag, stap):
            stappen.discard(stap)
    return stappen


def periode_einde(aanvraag):
    """The last day of the subsidy period: 31 December of the last year with a grant."""
    jaren = [j.jaar for j in aanvraag.jaren.all() if j.toegekend > 0]
    return datetime.date(max(jaren), 12, 31) if jaren else None


def verantwoorden_voor(aanvraag):
    """The verantwoording deadline: the regeling's number of weeks after the period."""
    einde = periode_einde(aanvraag)
    if einde is None:
        return None
    return einde + datetime.timedelta(weeks=aanvraag.regeling.verantwoording_weken)


def is_nabetaling(aanvraag) -> bool:
    """Is a payment now a nabetaling (what the vaststelling set and is not yet paid) rather
    than a voorschot of the schema? After a vaststelling that followed a verantwoording."""
    return aanvraag.status == S.VASTGESTELD and aanvraag.eis != Eis.GEEN


def mag(aanvraag, stap, today=None):
    reason = waarom_niet(aanvraag, stap, today)
    if reason:
        raise ValidationError(reason)


def set_status(aanvraag, van, naar, refused, **fields):
    """Move the aanvraag from one of the states `van` to `naar` — in one conditional UPDATE,
    so two people deciding at the same moment cannot both succeed."""
    van = (van,) if isinstance(van, str) else tuple(van)
    changed = Aanvraag.objects.filter(pk=aanvraag.pk, status__in=van).update(
        status=naar, **fields)
    if changed != 1:
        raise ValidationError(refused)
    before = snapshot(aanvraag)
    aanvraag.refresh_from_db()
    return before


def beoordeling_compleet(aanvraag) -> list[str]:
    """What stops a verlening in the checklist: unjudged points, or points that fail."""
    problems = []
    judged = {p["punt"]: p for p in aanvraag.beoordeling}
    for punt in aanvraag.regeling.punten():
        item = judged.get(punt)
        if not item or not item["oordeel"]:
            problems.append(_("Beoordeel eerst: %(punt)s.") % {"punt": punt})
        elif item["oordeel"] == "voldoet_niet":
            problems.append(_("Voldoet niet: %(punt)s. Weiger de aanvraag, of pas de "
                              "beoordeling aan.") % {"punt": punt})
    return problems


def eisen_voor(eis) -> dict:
    """What a tier asks in the verantwoording."""
    F_ = VerantwoordingBestand.Soort
    if eis == Eis.FINANCIEEL:
        return {"verslag": True, "bestanden": [F_.FINANCIEEL, F_.ACCOUNTANT]}
    if eis == Eis.ACTIVITEITENVERSLAG:
        return {"verslag": True, "bestanden": []}
    return {"verslag": False, "bestanden": []}


def begin_stap(aanvraag, stap: str, sleutel: str, today=None):
    """The opening of a money step once its own input is checked: claim the form's key; for a
    repeated post return (the earlier Handeling, key, None); otherwise lock the aanvraag, ask
    the state machine, and return (None, key, its years as read under the lock)."""
    eerder, sleutel = eenmalig(sleutel, aanvraag, stap)
    if eerder:
        return eerder, sleutel, None
    jaren = vergrendel(aanvraag)
    mag(aanvraag, stap, today)
    return None, sleutel, jaren
