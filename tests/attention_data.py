"""Extra data for the attention page: n aanvragen, activiteiten and children's voices in one
gemeente, cloned from its demo rows with bulk_create (tests/core/test_attention.py and
bench/bench_attention.py)."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from core.models import ImportPoging, Membership
from finance.models import Aanvraag, AanvraagJaar, Regeling, Verantwoording
from participation.models import Inzending
from plans.models import Activiteit, WijkplanVersie


def fill(gemeente, *, aanvragen=0, activiteiten=0, inzendingen=0, importfouten=0, today=None):
    today = today or timezone.localdate()
    partner = Membership.objects.get(user__username=f"{gemeente.slug}-partner")
    coordinator = Membership.objects.get(user__username=f"{gemeente.slug}-coordinator")
    if aanvragen:
        regeling = Regeling.objects.filter(gemeente=gemeente).first()
        statuses = [Aanvraag.Status.INGEDIEND, Aanvraag.Status.VERANTWOORD,
                    Aanvraag.Status.VERLEEND, Aanvraag.Status.CONCEPT,
                    Aanvraag.Status.VASTGESTELD]
        rows = Aanvraag.objects.bulk_create([
            Aanvraag(gemeente=gemeente, regeling=regeling, organisatie=partner.organisatie,
                     gebied_id=coordinator.gebied_id, titel=f"Extra aanvraag {i}",
                     activiteiten="Activiteiten", status=statuses[i % len(statuses)],
                     uiterste_beslisdatum=today + datetime.timedelta(days=i % 40 - 20),
                     gevraagd=Decimal("100.00"))
            for i in range(aanvragen)])
        if not rows[0].pk:  # SQLite before 3.35 returns no ids
            rows = list(Aanvraag.objects.filter(gemeente=gemeente,
                                                titel__startswith="Extra aanvraag"))
        AanvraagJaar.objects.bulk_create([
            AanvraagJaar(gemeente=gemeente, aanvraag=a, jaar=today.year, gevraagd=Decimal("100"))
            for a in rows])
        Verantwoording.objects.bulk_create([
            Verantwoording(gemeente=gemeente, aanvraag=a, verslag="Verslag")
            for a in rows if a.status == Aanvraag.Status.VERANTWOORD])
    if activiteiten:
        voorbeeld = (Activiteit.objects.filter(
            gemeente=gemeente, versie__status=WijkplanVersie.Status.VASTGESTELD,
            versie__wijkplan__gebied_id=coordinator.gebied_id).first())
        Activiteit.objects.bulk_create([
            Activiteit(gemeente=gemeente, versie_id=voorbeeld.versie_id,
                       pijler_id=voorbeeld.pijler_id, naam=f"Extra activiteit {i}",
                       sleutel=uuid.uuid4(), trekker_id=partner.organisatie_id,
                       leeftijd_van=voorbeeld.leeftijd_van, leeftijd_tot=voorbeeld.leeftijd_tot,
                       status=Activiteit.Status.LOPEND)
            for i in range(activiteiten)])
    if inzendingen:
        wijk = coordinator.gebied.regions.first()
        Inzending.objects.bulk_create([
            Inzending(gemeente=gemeente, soort=Inzending.Soort.IDEE, onderwerp=f"Idee {i}",
                      tekst="Een idee.", wijk=wijk,
                      deadline=today + datetime.timedelta(days=i % 30 - 15))
            for i in range(inzendingen)])
    if importfouten:
        ImportPoging.objects.bulk_create([
            ImportPoging(gemeente=gemeente, soort="monitor.metingen", onderwerp=f"cijfers-{i}.csv",
                         bestandsnaam=f"cijfers-{i}.csv", gelukt=False, aantal_problemen=1,
                         problemen=["Rij 2: geen getal."])
            for i in range(importfouten)])
