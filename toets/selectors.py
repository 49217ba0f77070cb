"""Reads of the Klaverblad-toets, limited to what the user may see: the beleidsmedewerker every
document of the gemeente, a partner only the documents of their own organisatie."""

from django.db.models import Prefetch

from core import policy
from core.models import Role
from framework import selectors as framework_selectors
from toets.models import Beleidsdocument, Beleidsterrein, Bewijs, Oordeel, Status

_RANG = {Status.AANGETOOND: 2, Status.BEPERKT: 1, Status.ONTBREEKT: 0}


def documenten(user, gemeente):
    qs = Beleidsdocument.objects.filter(gemeente=gemeente).select_related("organisatie")
    rollen = policy.roles(user, gemeente)
    if Role.BELEIDSMEDEWERKER in rollen:
        return qs
    if Role.PARTNER in rollen:
        eigen = {m.organisatie_id for m in policy.memberships(user)
                 if m.gemeente_id == gemeente.pk and m.role == Role.PARTNER and m.organisatie_id}
        return qs.filter(organisatie_id__in=eigen)
    return qs.none()


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
