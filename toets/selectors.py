"""Reads of the Klaverblad-toets, limited to what the user may see: the beleidsmedewerker every
document of the gemeente, a partner only the documents of their own organisatie."""

from django.db.models import Prefetch, Q

from core import policy
from framework import selectors as framework_selectors
from toets.models import Beleidsdocument, Beleidsterrein, Bewijs, Oordeel, Status, Toetsopdracht

_RANG = {Status.AANGETOOND: 2, Status.BEPERKT: 1, Status.ONTBREEKT: 0}


def organisaties(user, gemeente, action=policy.VIEW) -> set[int] | None:
    """For which organisaties' plans may `user` do `action` in `gemeente`: None for every
    document (beleidsmedewerker), else the ids of the partner's own organisaties (maybe none).
    The one place the partner scope of the toets is decided (pages, upload form and API)."""
    return policy.organisatie_ids(user, action, Beleidsdocument, gemeente)


def documenten(user, gemeente=None):
    """The documents `user` may see in `gemeente`, or in every gemeente of the user (API)."""
    zicht = Q(pk__in=[])
    for g in [gemeente] if gemeente is not None else policy.gemeenten(user):
        ids = organisaties(user, g)
        if ids is None:
            zicht |= Q(gemeente=g)
        elif ids:
            zicht |= Q(gemeente=g, organisatie_id__in=ids)
    return Beleidsdocument.objects.filter(zicht).select_related("gemeente", "organisatie")


def oordelen(toetsing):
    """The judgements of one run, each with its evidence and passages, in doel order."""
    return (Oordeel.objects.filter(toetsing=toetsing).select_related("doel", "beoordeeld_door")
            .prefetch_related(Prefetch("bewijzen", queryset=Bewijs.objects.select_related(
                "passage").order_by("-score", "passage__nummer"))))


def matrix(user, gemeente):
    """Coverage of policy: per beleidsterrein × Klaverblad doel the strongest final judgement
    over the latest toetsing of each document the user may see, and the doelen that no
    document carries ("witte vlekken")."""
    doelen = list(framework_selectors.klaverblad_doelen(gemeente))
    docs = list(documenten(user, gemeente).prefetch_related("toetsingen"))
    laatste = [max(d.toetsingen.all(), key=lambda t: t.pk) for d in docs if d.toetsingen.all()]
    cellen: dict[tuple[str, int], dict] = {}
    for o in Oordeel.objects.filter(toetsing__in=laatste).select_related("toetsing__document"):
        key = (o.toetsing.document.beleidsterrein, o.doel_id)
        cel = cellen.setdefault(key, {"status": Status.ONTBREEKT, "documenten": []})
        if _RANG[o.status] > _RANG[cel["status"]]:
            cel["status"] = o.status
        if o.status != Status.ONTBREEKT:
            cel["documenten"].append(o.toetsing.document)
    terreinen = [(waarde, label) for waarde, label in Beleidsterrein.choices
                 if any(d.beleidsterrein == waarde for d in docs)]
    rijen = [{"terrein": label, "waarde": waarde,
              "cellen": [cellen.get((waarde, d.pk), {"status": Status.ONTBREEKT,
                                                     "documenten": []}) for d in doelen]}
             for waarde, label in terreinen]
    witte_vlekken = [d for i, d in enumerate(doelen)
                     if not any(r["cellen"][i]["status"] == Status.AANGETOOND for r in rijen)]
    return {"doelen": doelen, "rijen": rijen, "witte_vlekken": witte_vlekken,
            "aantal_documenten": len(docs)}


def voortgang(opdrachten) -> dict | None:
    """Progress of the open runs among `opdrachten` (None when none is open): passages done of
    the total, over all of them."""
    open_ = [o for o in opdrachten if o.stand in Toetsopdracht.OPEN]
    if not open_:
        return None
    gedaan, totaal = sum(o.gedaan for o in open_), sum(o.totaal for o in open_)
    return {"gedaan": gedaan, "totaal": totaal, "aantal": len(open_),
            "procent": int(100 * gedaan / totaal) if totaal else 0,
            "wacht": all(o.stand == Toetsopdracht.Stand.WACHT for o in open_),
            "vastgelopen": any(o.vastgelopen for o in open_)}


def hertoetsing(ronde) -> list[dict]:
    """Per document of a re-run round what the new lexicon version changed against the run
    before it: per doel the machine's status old → new, and the evidence (passages) that came
    or went. Doelen where nothing changed are left out."""
    uit = []
    for opdracht in ronde.opdrachten.select_related("document", "vorige__lexicon", "toetsing") \
            .order_by("document__titel", "pk"):
        nieuw = getattr(opdracht, "toetsing", None)  # the reverse one-to-one, when stored
        rij = {"opdracht": opdracht, "document": opdracht.document, "vorige": opdracht.vorige,
               "toetsing": nieuw, "wijzigingen": []}
        if nieuw is not None:
            oud = {o.doel_id: o for o in oordelen(opdracht.vorige)} if opdracht.vorige else {}
            for o in oordelen(nieuw):
                v = oud.get(o.doel_id)
                voor = {b.passage.nummer: b for b in v.bewijzen.all()
                        if b.bron == Bewijs.Bron.MACHINE} if v else {}
                na = {b.passage.nummer: b for b in o.bewijzen.all()
                      if b.bron == Bewijs.Bron.MACHINE}
                erbij = [na[n] for n in sorted(set(na) - set(voor))]
                weg = [voor[n] for n in sorted(set(voor) - set(na))]
                oud_status = v.machine_status if v else None
                if oud_status != o.machine_status or erbij or weg:
                    rij["wijzigingen"].append({
                        "doel": o.doel, "oud": Status(oud_status).label if oud_status else "",
                        "oud_waarde": oud_status or "", "nieuw": o.get_machine_status_display(),
                        "nieuw_waarde": o.machine_status, "reden": o.machine_reden,
                        "erbij": erbij, "weg": weg})
        uit.append(rij)
    return uit
