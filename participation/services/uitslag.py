"""The result of the kinderburgemeester election: the tally in order, a recorded lot drawing
for a tie, and sealing the ballot boxes once the result is set."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import policy
from core.audit import snapshot
from core.models import AuditEntry
from participation.models import Stembus, Uitslag
from participation.selectors import telling
from participation.services.common import audit


def lotvolgorde(seed: str, nummers):
    """The order of a lot drawing: ascending SHA-256 of 'seed:nummer'. Anyone with the stored
    seed can redo it."""
    return sorted(nummers, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())


def rangorde(rows, seed_factory=lambda: secrets.token_hex(16)):
    """Order tally rows (dicts with 'nummer' and 'totaal') by votes; ties that touch place 1 or
    2 are drawn by lot. Returns (ordered rows, [lot records])."""
    ordered = sorted(rows, key=lambda r: (-r["totaal"], r["nummer"]))
    result, draws, i = [], [], 0
    while i < len(ordered):
        group = [r for r in ordered[i:] if r["totaal"] == ordered[i]["totaal"]]
        if len(group) > 1 and i < 2:
            seed = seed_factory()
            volgorde = lotvolgorde(seed, [r["nummer"] for r in group])
            by_nummer = {r["nummer"]: r for r in group}
            group = [by_nummer[n] for n in volgorde]
            draws.append({"seed": seed, "stemmen": ordered[i]["totaal"],
                          "kandidaten": sorted(by_nummer), "volgorde": volgorde,
                          "regel": "oplopend op SHA-256 van 'seed:nummer'"})
        result.extend(group)
        i += len(group)
    return result, draws


@transaction.atomic
def stel_uitslag_vast(actor, verkiezing, now=None):
    """After the voting window: most votes = kinderburgemeester, second = loco; a tie is broken
    by a recorded lot drawing. The OneToOne on Uitslag makes this happen once."""
    policy.require(actor, policy.ADD, Uitslag(gemeente_id=verkiezing.gemeente_id))
    if not verkiezing.stemmen_gesloten(now):
        raise ValidationError(_("De uitslag kan pas worden vastgesteld als het stemmen voorbij "
                                "is."))
    if Uitslag.objects.filter(verkiezing=verkiezing).exists():
        raise ValidationError(_("De uitslag is al vastgesteld."))
    rows = telling(verkiezing, now)["kandidaten"]
    if len(rows) < 2:
        raise ValidationError(_("Er zijn te weinig kandidaten voor een uitslag."))
    ordered, draws = rangorde(rows)
    uitslag = Uitslag(
        gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing,
        kinderburgemeester=ordered[0]["kandidaat"], loco=ordered[1]["kandidaat"],
        telling=[{"nummer": r["nummer"], "kandidaat": r["kandidaat"].pk,
                  "per_kanaal": r["per_kanaal"], "totaal": r["totaal"]} for r in ordered],
        loting=draws or None, vastgesteld_door=actor)
    try:
        with transaction.atomic():
            uitslag.save()
    except IntegrityError:
        raise ValidationError(_("De uitslag is al vastgesteld.")) from None
    audit(actor, AuditEntry.Action.CREATE, uitslag, None, snapshot(uitslag))
    _verzegel_stembussen(verkiezing)
    return uitslag


def _verzegel_stembussen(verkiezing):
    """Merge the election's ballot boxes into one per channel, in the transaction of the
    result. Until now each box row carried the transaction id of the last vote put in it (the
    id its spent code carries too); afterwards no row carries a voter's transaction id, and
    only the totals per channel remain (equal to the result's tally)."""
    totalen = {}
    for bus in Stembus.objects.select_for_update().filter(verkiezing=verkiezing):
        per = totalen.setdefault(bus.kanaal, dict.fromkeys(Stembus.KOLOMMEN, 0))
        for kolom in Stembus.KOLOMMEN:
            per[kolom] += getattr(bus, kolom)
    Stembus.objects.filter(verkiezing=verkiezing).delete()
    Stembus.objects.bulk_create([
        Stembus(gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing, kanaal=kanaal,
                nummer=0, **per) for kanaal, per in sorted(totalen.items())])
