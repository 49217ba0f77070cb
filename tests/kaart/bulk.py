"""Generated sociale kaart at scale, for the large-search test and bench/bench_kaart.py.

`vul(gemeente, aanbod=N, organisaties=M)` writes M organisaties (each with one locatie in a
buurt of the gemeente, taken in turn) and N aanbod spread over them, in bulk: the same rows the
services would write (search terms from kaart.zoeken, the Aanbieder UUID, Zoekterm, the
levensdomein, locatie and Klaverblad links), without one transaction per row. Every aanbod is
checked today, so it is current. The returned `Kaart` keeps the attributes each aanbod was
given, so a test can work out by hand which rows a search must find. Invented data only."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from framework.models import Doel, DoelKoppeling
from kaart import versheid, zoeken
from kaart.models import Aanbieder, Aanbod, KaartInstelling, Levensdomein, Locatie, Zoekterm
from network.models import Organisatie
from regions.models import Region

# (name, short description): the first word of each name is what a search for it finds.
ACTIVITEITEN = [
    ("Voorleesochtend", "Samen boeken lezen met je kind."),
    ("Zwemles", "Leren zwemmen in het bad."),
    ("Huiswerkbegeleiding", "Hulp bij je huiswerk na school."),
    ("Peuterdans", "Dansen en bewegen op muziek."),
    ("Tienerclub", "Elkaar ontmoeten en samen iets doen."),
    ("Kookcursus", "Gezond en goedkoop koken."),
    ("Opvoedspreekuur", "Vragen over opvoeden? Kom langs."),
    ("Voetbaltraining", "Trainen met een echte trainer."),
    ("Theaterles", "Toneelspelen en een voorstelling maken."),
    ("Schuldhulp", "Hulp bij geldzorgen en schulden."),
]
# Age ranges in months: baby, peuter, basisschool, tiener, everyone.
LEEFTIJDEN = [(-9, 12), (12, 48), (48, 144), (144, 216), (-9, 324)]
DOMEINEN = ["opvoeden", "gezondheid", "onderwijs", "sport", "cultuur", "vrije-tijd", "geld",
            "hulp"]


@dataclass
class Rij:
    pk: int
    activiteit: str
    leeftijd: tuple
    domein: str
    doel_id: int
    buurt_id: int


@dataclass
class Kaart:
    rijen: list = field(default_factory=list)
    organisaties: int = 0

    def verwacht(self, *, activiteit=None, leeftijd_maanden=None, buurt_ids=None, domein=None,
                 doel_id=None) -> set:
        """The pks of the generated aanbod that meet every given condition."""
        return {r.pk for r in self.rijen
                if (activiteit is None or r.activiteit == activiteit)
                and (leeftijd_maanden is None
                     or r.leeftijd[0] <= leeftijd_maanden <= r.leeftijd[1])
                and (buurt_ids is None or r.buurt_id in buurt_ids)
                and (domein is None or r.domein == domein)
                and (doel_id is None or r.doel_id == doel_id)}


def _batches(items, size=2000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


@transaction.atomic
def vul(gemeente, *, aanbod: int, organisaties: int, seed: int = 16,
        prefix: str = "Gegenereerd") -> Kaart:
    rnd = random.Random(seed)
    jaar = Region.objects.filter(gemeente=gemeente, soort=Region.Soort.BUURT).order_by(
        "-jaar").values_list("jaar", flat=True).first()
    buurten = list(Region.objects.filter(gemeente=gemeente, soort=Region.Soort.BUURT, jaar=jaar)
                   .order_by("code").values_list("pk", flat=True))
    doelen = list(Doel.objects.filter(gemeente=gemeente, kader__soort="klaverblad")
                  .order_by("nummer").values_list("pk", flat=True)) or list(
        Doel.objects.filter(gemeente=gemeente).values_list("pk", flat=True)[:10])
    domeinen = {d.code: d for d in Levensdomein.objects.filter(code__in=DOMEINEN)}
    vandaag = timezone.localdate()
    controle = versheid.plus_maanden(vandaag, KaartInstelling.voor(gemeente).controle_maanden)
    nu = timezone.now()

    orgs = Organisatie.objects.bulk_create([
        Organisatie(gemeente=gemeente, naam=f"{prefix} organisatie {i + 1}",
                    type=Organisatie.Type.JEUGDWERK) for i in range(organisaties)],
        batch_size=1000)
    if not orgs[0].pk:  # backends without RETURNING: read the keys back
        orgs = list(Organisatie.objects.filter(
            gemeente=gemeente, naam__startswith=f"{prefix} organisatie ").order_by("pk"))
    Aanbieder.objects.bulk_create([Aanbieder(gemeente=gemeente, organisatie=o) for o in orgs],
                                  batch_size=1000)
    locaties = []
    for i, org in enumerate(orgs):
        buurt_id = buurten[i % len(buurten)]
        pc = f"97{i % 100:02d}{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}"
        locaties.append(Locatie(
            gemeente=gemeente, organisatie=org, naam=f"{org.naam} locatie", adres="Dorpsstraat 1",
            postcode=pc, plaats=gemeente.naam, buurt_id=buurt_id,
            latitude=Decimal("53.2") + Decimal(rnd.randint(0, 9000)) / 100000,
            longitude=Decimal("6.5") + Decimal(rnd.randint(0, 12000)) / 100000,
            gewijzigd_op=nu))
    Locatie.objects.bulk_create(locaties, batch_size=1000)

    kaart = Kaart(organisaties=organisaties)
    specs, objecten, termen = [], [], set()
    for i in range(aanbod):
        o = i % organisaties
        naam, kort = ACTIVITEITEN[rnd.randrange(len(ACTIVITEITEN))]
        van, tot = LEEFTIJDEN[rnd.randrange(len(LEEFTIJDEN))]
        domein = DOMEINEN[rnd.randrange(len(DOMEINEN))]
        doel_id = doelen[rnd.randrange(len(doelen))]
        org, loc = orgs[o], locaties[o]
        woorden = zoeken.index_termen(naam, kort, org.naam, domeinen[domein].naam)
        termen.update(woorden)
        objecten.append(Aanbod(
            gemeente=gemeente, organisatie=org, naam=f"{naam} {i + 1}",
            korte_beschrijving=kort, leeftijd_van=van, leeftijd_tot=tot,
            kosten=Aanbod.Kosten.GRATIS if i % 3 else Aanbod.Kosten.INKOMEN,
            aangemaakt_op=vandaag, gewijzigd_op=nu, gecontroleerd_op=vandaag,
            gecontroleerd_door="generator", controle_voor=controle,
            zoektekst=" ".join(woorden)))
        specs.append((naam, (van, tot), domein, doel_id, loc))
    for batch in _batches(objecten):
        Aanbod.objects.bulk_create(batch)
    if not objecten[0].pk:
        pks = list(Aanbod.objects.filter(gemeente=gemeente, organisatie__in=orgs)
                   .order_by("pk").values_list("pk", flat=True))
        for obj, pk in zip(objecten, pks, strict=True):
            obj.pk = pk

    ct = ContentType.objects.get_for_model(Aanbod)
    locatie_links, domein_links, doel_links = [], [], []
    for obj, (naam, leeftijd, domein, doel_id, loc) in zip(objecten, specs, strict=True):
        locatie_links.append(Aanbod.locaties.through(aanbod_id=obj.pk, locatie_id=loc.pk))
        domein_links.append(Aanbod.levensdomeinen.through(
            aanbod_id=obj.pk, levensdomein_id=domeinen[domein].pk))
        doel_links.append(DoelKoppeling(gemeente=gemeente, doel_id=doel_id, content_type=ct,
                                        object_id=obj.pk))
        kaart.rijen.append(Rij(obj.pk, naam, leeftijd, domein, doel_id, loc.buurt_id))
    for model, rows in ((Aanbod.locaties.through, locatie_links),
                        (Aanbod.levensdomeinen.through, domein_links),
                        (DoelKoppeling, doel_links)):
        for batch in _batches(rows):
            model.objects.bulk_create(batch)
    Zoekterm.objects.bulk_create([Zoekterm(gemeente=gemeente, term=t[:60]) for t in termen],
                                 ignore_conflicts=True)
    return kaart
