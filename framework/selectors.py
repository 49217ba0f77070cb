"""Reads for frameworks, always within one gemeente."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Prefetch, Q

from framework import coverage
from framework.models import Doel, DoelKoppeling, Kader, Thema
from regions.models import Gebied


def kaders(user, gemeente):
    return (Kader.objects.filter(gemeente=gemeente).select_related("gemeente")
            .annotate(n_doelen=Count("doelen")).order_by("soort", "-geldig_van", "naam"))


def kader_detail_queryset(user, gemeente):
    return Kader.objects.filter(gemeente=gemeente).select_related("gemeente").prefetch_related(
        Prefetch("themas", queryset=Thema.objects.order_by("volgorde", "naam")),
        Prefetch("doelen", queryset=Doel.objects.select_related("thema", "gemeente")
                 .prefetch_related(prefetch_doelen())),
    )


def themas(user, gemeente):
    return Thema.objects.filter(gemeente=gemeente).select_related("gemeente", "kader__gemeente")


def doelen(user, gemeente):
    return Doel.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "kader__gemeente", "thema")


def volgend_doelnummer(kader) -> int:
    """The number a new doel of `kader` gets by default: one past the highest."""
    return (kader.doelen.aggregate(n=Max("nummer"))["n"] or 0) + 1


def klaverbladen(gemeente):
    """Every Klaverblad of the gemeente, the most recent first."""
    return Kader.objects.filter(gemeente=gemeente, soort=Kader.Soort.KLAVERBLAD).order_by(
        "-geldig_van")


def huidig_klaverblad(gemeente, datum: datetime.date | None = None):
    """The Klaverblad valid on `datum` (today); else the most recent one; else None."""
    datum = datum or datetime.date.today()
    qs = klaverbladen(gemeente)
    valid = qs.filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=datum),
                      geldig_van__lte=datum).first()
    return valid or qs.first()


def klaverblad_doelen(gemeente, datum=None):
    klaverblad = huidig_klaverblad(gemeente, datum)
    if klaverblad is None:
        return Doel.objects.none()
    return Doel.objects.filter(kader=klaverblad).select_related("kader")


def alle_klaverblad_doelen(gemeente):
    """Doelen of every Klaverblad of the gemeente (for choosing tags on older plans)."""
    return (Doel.objects.filter(gemeente=gemeente, kader__soort=Kader.Soort.KLAVERBLAD)
            .select_related("kader").order_by("-kader__geldig_van", "nummer"))


def prefetch_doelen(lookup="doel_koppelingen"):
    """Prefetch for a Doelgericht queryset, so obj.klaverblad_doelen() costs no query."""
    return Prefetch(lookup, queryset=DoelKoppeling.objects.select_related("doel"))


def gekoppeld_aan(user, doel):
    """{"werkt": [(verbose name plural, [objects])], "meet": [...]} of everything tagged with
    `doel` that `user` may see, split into what works on the doel and what only measures it
    (Doelgericht.werkt_aan_doel); one query per model."""
    from core import policy

    per_model = {}
    for ct_id, object_id in DoelKoppeling.objects.filter(doel=doel).values_list(
            "content_type_id", "object_id"):
        per_model.setdefault(ct_id, []).append(object_id)
    result = {"werkt": [], "meet": [], "aanbod": []}
    for ct_id, ids in per_model.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        objects = [o for o in model._default_manager.filter(pk__in=ids,
                                                            gemeente_id=doel.gemeente_id)
                   if policy.can(user, policy.VIEW, o)]
        if objects:
            soort = getattr(model, "doel_rol", "") or (
                "werkt" if getattr(model, "werkt_aan_doel", True) else "meet")
            result[soort].append((str(model._meta.verbose_name_plural), objects))
    return {soort: sorted(lijst, key=lambda item: item[0]) for soort, lijst in result.items()}


def dekking(user, gemeente, klaverblad):
    """The coverage matrix: rows per doel, columns per gebied, cells per registered source.

    Returns {"gebieden": [...], "rijen": [{"doel", "cellen": [{"gebied", "n", "per_bron"}],
    "totaal", "witte_vlek"}], "bronnen": [...], "witte_vlekken": [...]}. The number of queries
    does not depend on the number of doelen, gebieden or tagged objects.
    """
    gebieden = list(Gebied.objects.filter(gemeente=gemeente).select_related("gemeente")
                    .order_by("naam"))
    doelen_list = list(Doel.objects.filter(kader=klaverblad).select_related("gemeente")
                       .order_by("nummer")) \
        if klaverblad else []
    doel_ids = [d.pk for d in doelen_list]
    bronnen = coverage.sources()
    counts = {bron.key: bron.counts(user, gemeente, doel_ids) for bron in bronnen}
    behoefte = [(bron, bron.counts(user, gemeente, doel_ids)) for bron in coverage.need_sources()]
    rijen = []
    for doel in doelen_list:
        cellen, totaal = [], 0
        for gebied in gebieden:
            per_bron = []
            for bron in bronnen:
                n = counts[bron.key].get((doel.pk, gebied.pk), 0)
                per_bron.append({"bron": bron, "n": n,
                                 "url": bron.url(gemeente, doel.pk, gebied.pk) if n else ""})
            n = sum(p["n"] for p in per_bron if p["bron"].beleid)
            totaal += n
            # Aanbod against need: what is on offer (sources that are not policy) beside the
            # indicators of the doel that are off target in this gebied.
            achter = sum(c.get((doel.pk, gebied.pk), 0) for _b, c in behoefte)
            cellen.append({"gebied": gebied, "n": n, "per_bron": per_bron,
                           "aanbod": sum(p["n"] for p in per_bron if not p["bron"].beleid),
                           "achter": achter,
                           "achter_url": behoefte[0][0].url(gemeente, doel.pk, gebied.pk)
                           if behoefte and achter else ""})
        rijen.append({"doel": doel, "cellen": cellen, "totaal": totaal,
                      "witte_vlek": totaal == 0})
    return {"gebieden": gebieden, "rijen": rijen, "bronnen": bronnen,
            "witte_vlekken": [r["doel"] for r in rijen if r["witte_vlek"]],
            "aanbod_bronnen": [b for b in bronnen if not b.beleid],
            "behoefte": bool(behoefte)}


def aanbod_en_behoefte(user, gemeente, gebied) -> list[dict]:
    """For one gebied, per Klaverblad doel: the current aanbod and the indicators off target
    (the gebied dashboard). [{"doel", "aanbod", "achter", "achter_url"}]."""
    klaverblad = huidig_klaverblad(gemeente)
    matrix = dekking(user, gemeente, klaverblad)
    result = []
    for rij in matrix["rijen"]:
        for cel in rij["cellen"]:
            if cel["gebied"].pk == gebied.pk:
                result.append({"doel": rij["doel"], "aanbod": cel["aanbod"],
                               "aanbod_url": next((p["url"] for p in cel["per_bron"]
                                                   if not p["bron"].beleid and p["n"]), ""),
                               "achter": cel["achter"], "achter_url": cel["achter_url"]})
    return result


def home_summary(user, gemeente):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    klaverblad = huidig_klaverblad(gemeente)
    items = []
    if klaverblad:
        items.append((klaverblad.naam, klaverblad.get_absolute_url()))
    items.append((_("Dekking: doelen per gebied"),
                  reverse("framework:dekking", kwargs={"gemeente": gemeente.slug})))
    return items
