"""Imports from the national registers through core/imports/: DUO's list of primary school
vestigingen and the LRK open-data export of kinderopvang locations.

Both upsert by their register code (Registerinschrijving), mark a location missing from a newer
file as closed (never deleted), change nothing when the same file comes again, and refuse a bad
file as a whole with Dutch row/column problems. Rows of other gemeenten are skipped."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from core import audit, imports, policy
from core.audit import snapshot
from core.models import AuditEntry
from kaart.models import Registerinschrijving
from network.models import Organisatie

WEBSITE = Organisatie._meta.get_field("website")
MAX_BYTES = 20 * 2**20
MAX_ROWS = 50_000

DUO_KOLOMMEN = {
    "instelling": ["BRIN NUMMER", "INSTELLINGSCODE"],
    "vestiging": ["VESTIGINGSNUMMER", "VESTIGINGSCODE"],
    "naam": ["VESTIGINGSNAAM"],
    "straat": ["STRAATNAAM"],
    "huisnummer": ["HUISNUMMER-TOEVOEGING", "HUISNUMMER"],
    "postcode": ["POSTCODE"],
    "plaats": ["PLAATSNAAM"],
    "gemeentenummer": ["GEMEENTENUMMER"],
    "telefoon": ["TELEFOONNUMMER"],
    "website": ["INTERNETADRES"],
}
LRK_KOLOMMEN = {
    "lrk": ["lrk_id", "lrk nummer", "lrknummer", "registratienummer"],
    "type": ["type_oko", "type opvang", "soort opvang"],
    "naam": ["actuele_naam_oko", "naam voorziening", "naam"],
    "plaatsen": ["aantal_kindplaatsen", "kindplaatsen"],
    "adres": ["opvanglocatie_adres", "adres"],
    "postcode": ["opvanglocatie_postcode", "postcode"],
    "plaats": ["opvanglocatie_woonplaats", "woonplaats", "plaats"],
    "gemeente": ["verantwoordelijke_gemeente", "gemeente"],
    "status": ["status"],
    "telefoon": ["contact_telefoon", "telefoon"],
    "datum": ["inschrijfdatum", "registratiedatum"],
}
LRK_TYPES = {"KDV": "kinderdagverblijf", "BSO": "buitenschoolse opvang",
             "GOB": "gastouderbureau", "VGO": "voorziening voor gastouderopvang",
             "PSZ": "peuterspeelzaal"}


def _cel(cellen, kolommen, veld) -> str:
    i = kolommen.get(veld)
    return (cellen[i] if i is not None and i < len(cellen) else "").strip()


def _postcode(value: str) -> str:
    value = "".join(value.split()).upper()
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


def lees_duo(gemeente, naam: str, data: bytes):
    """[(code, gegevens)] of the gemeente's vestigingen, and the encoding used."""
    table = imports.read_table(naam, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                               windows_1252=True)
    kolommen = imports.match_header(table.header, DUO_KOLOMMEN,
                                    required=["vestiging", "naam", "gemeentenummer"])
    nummer = gemeente.cbs_code[2:]
    problemen, rijen, gezien = imports.Problemen(), [], set()
    for rij, cellen in table.rows:
        gm = _cel(cellen, kolommen, "gemeentenummer")
        if gm.isdigit():
            gm = gm.zfill(4)
        if gm != nummer:
            continue
        code = _cel(cellen, kolommen, "vestiging").upper()
        if len(code) <= 2:  # old files: BRIN NUMMER + a two-digit VESTIGINGSNUMMER
            code = _cel(cellen, kolommen, "instelling").upper() + code.zfill(2)
        naam_school = _cel(cellen, kolommen, "naam")
        if not code:
            problemen.melden(rij, table.header[kolommen["vestiging"]],
                             _("de vestigingscode ontbreekt."))
            continue
        if not naam_school:
            problemen.melden(rij, table.header[kolommen["naam"]], _("de naam ontbreekt."))
            continue
        if code in gezien:
            problemen.melden(rij, table.header[kolommen["vestiging"]],
                             _("vestiging %(c)s staat twee keer in het bestand.") % {"c": code})
            continue
        gezien.add(code)
        website = _website(_cel(cellen, kolommen, "website"))
        try:  # the model's own rule for a website, reported at its row and column
            WEBSITE.clean(website, None)
        except ValidationError as exc:
            problemen.melden(rij, table.header[kolommen["website"]], " ".join(exc.messages))
            continue
        adres = " ".join(filter(None, [_cel(cellen, kolommen, "straat"),
                                       _cel(cellen, kolommen, "huisnummer")]))
        rijen.append((code, {
            "naam": naam_school, "type": Organisatie.Type.BASISSCHOOL,
            "adres": ", ".join(filter(None, [adres, _postcode(_cel(cellen, kolommen,
                                                                    "postcode")),
                                             _cel(cellen, kolommen, "plaats").title()])),
            "telefoon": _cel(cellen, kolommen, "telefoon")[:30],
            "website": website,
        }))
    problemen.weiger_als_nodig()
    return rijen, table.encoding


def _website(value: str) -> str:
    if not value:
        return ""
    return value if "://" in value else f"https://{value}"


def _datum(value: str):
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%d-%m-%y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def lees_lrk(gemeente, naam: str, data: bytes):
    table = imports.read_table(naam, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    kolommen = imports.match_header(table.header, LRK_KOLOMMEN,
                                    required=["lrk", "type", "naam", "gemeente"])
    wie = {imports.normalize(gemeente.naam), gemeente.cbs_code.lower(),
           gemeente.cbs_code[2:]}
    problemen, rijen = imports.Problemen(), {}
    for rij, cellen in table.rows:
        if imports.normalize(_cel(cellen, kolommen, "gemeente")) not in wie:
            continue
        code = _cel(cellen, kolommen, "lrk")
        soort = _cel(cellen, kolommen, "type").upper()
        if not code.isdigit():
            problemen.melden(rij, table.header[kolommen["lrk"]],
                             _("het LRK-nummer '%(c)s' is geen getal.") % {"c": code})
            continue
        if soort not in LRK_TYPES:
            problemen.melden(rij, table.header[kolommen["type"]],
                             _("onbekend type opvang '%(t)s'.") % {"t": soort})
            continue
        plaatsen = _cel(cellen, kolommen, "plaatsen")
        if plaatsen and not plaatsen.isdigit():
            problemen.melden(rij, table.header[kolommen["plaatsen"]],
                             _("het aantal kindplaatsen is geen getal."))
            continue
        datum = _cel(cellen, kolommen, "datum")
        if datum and _datum(datum) is None:
            problemen.melden(rij, table.header[kolommen["datum"]],
                             _("'%(d)s' is geen datum.") % {"d": datum})
            continue
        status = _cel(cellen, kolommen, "status")
        rijen[code] = {  # one row per location: the last row of an LRK number counts
            "naam": _cel(cellen, kolommen, "naam"), "type": Organisatie.Type.KINDEROPVANG,
            "adres": ", ".join(filter(None, [_cel(cellen, kolommen, "adres"),
                                             _postcode(_cel(cellen, kolommen, "postcode")),
                                             _cel(cellen, kolommen, "plaats")])),
            # The export's Excel text guard: a trailing ' on phone numbers.
            "telefoon": _cel(cellen, kolommen, "telefoon").strip("'").strip()[:30],
            "beschrijving": LRK_TYPES[soort] + (f", {plaatsen} kindplaatsen" if plaatsen
                                                else ""),
            "gesloten": status.lower() == "niet meer geregistreerd",
        }
    problemen.weiger_als_nodig()
    return list(rijen.items()), table.encoding


ACTIES = {"aangemaakt": _l("nieuw"), "bijgewerkt": _l("bijgewerkt"),
          "gesloten": _l("gesloten"), "ongewijzigd": _l("ongewijzigd")}


@dataclass
class Stap:
    """What an import does with one register code."""

    code: str
    actie: str  # a key of ACTIES
    naam: str
    gegevens: dict | None = None  # None: closed because it is missing from the file
    gesloten: bool = False
    inschrijving: Registerinschrijving | None = None

    @property
    def actie_label(self):
        return ACTIES[self.actie]


@dataclass
class Plan:
    stappen: list = field(default_factory=list)

    def resultaat(self) -> imports.Resultaat:
        resultaat = imports.Resultaat()
        for stap in self.stappen:
            setattr(resultaat, stap.actie, getattr(resultaat, stap.actie) + 1)
        return resultaat

    def wijzigingen(self) -> list:
        return [s for s in self.stappen if s.actie != "ongewijzigd"]


def plan(gemeente, register: str, rijen) -> Plan:
    """What importing these rows would do, without changing anything (the preview)."""
    bestaand = {r.code: r for r in Registerinschrijving.objects.filter(
        gemeente=gemeente, register=register).select_related("organisatie")}
    result, in_bestand = Plan(), set()
    for code, gegevens in rijen:
        gegevens = dict(gegevens)
        gesloten = gegevens.pop("gesloten", False)
        in_bestand.add(code)
        inschrijving = bestaand.get(code)
        if inschrijving is None:
            actie = "aangemaakt"
        elif inschrijving.gegevens == gegevens and inschrijving.gesloten == gesloten:
            actie = "ongewijzigd"
        elif gesloten and not inschrijving.gesloten:
            actie = "gesloten"
        else:
            actie = "bijgewerkt"
        result.stappen.append(Stap(code, actie, gegevens["naam"], gegevens, gesloten,
                                   inschrijving))
    for code, inschrijving in bestaand.items():
        if code not in in_bestand and not inschrijving.gesloten:
            result.stappen.append(Stap(code, "gesloten", inschrijving.organisatie.naam,
                                       inschrijving=inschrijving))
    return result


@transaction.atomic
def importeer(actor, gemeente, register: str, rijen, *, check_permission=True) -> imports.Resultaat:
    """Carry out the plan of these rows in one transaction, in bulk: what exists is read once
    (plan), the differences are worked out in memory, and the writes are a few bulk statements
    whatever the number of rows. Per organisatie it does what save_object does for one
    (the model's field rules, an audit entry with before/after when something changed)."""
    if check_permission:
        policy.require(actor, policy.ADD, Organisatie(gemeente=gemeente))
    # A second import of the same register waits for this one (PostgreSQL) instead of
    # planning against rows that are about to change.
    list(Registerinschrijving.objects.select_for_update().filter(
        gemeente=gemeente, register=register).values_list("pk", flat=True))
    stappen = plan(gemeente, register, rijen)
    _voer_uit(actor, gemeente, register, stappen.wijzigingen())
    return stappen.resultaat()


ORGANISATIE_VELDEN = ["naam", "type", "adres", "telefoon", "website", "beschrijving"]
BATCH = 500  # rows per bulk statement


def _voer_uit(actor, gemeente, register, stappen):
    """Write the changing steps: organisaties (created or changed, as save_object would, with
    the name made unique as it would be row by row), their inschrijvingen, the closings, an
    audit entry for each object that changed, and the search terms of renamed organisaties."""
    met_gegevens = [s for s in stappen if s.gegevens is not None]
    gebieden = defaultdict(list)
    for org_id, gebied_id in Organisatie.gebieden.through.objects.filter(
            organisatie_id__in=[s.inschrijving.organisatie_id for s in met_gegevens
                                if s.inschrijving]).values_list("organisatie_id", "gebied_id"):
        gebieden[org_id].append(gebied_id)
    # Who holds each name now (unique per gemeente): a pk, or an organisatie of this import.
    houders = dict(Organisatie.objects.filter(gemeente=gemeente).values_list("naam", "pk"))
    nieuw, gewijzigd, hernoemd, ingeschreven, wijzigingen = [], [], {}, [], []
    for stap in met_gegevens:
        inschrijving = stap.inschrijving
        org = inschrijving.organisatie if inschrijving else Organisatie(gemeente=gemeente)
        voor = snapshot(org, {"gebieden": gebieden[org.pk]}) if org.pk else None
        naam = _vrije_naam(houders, org, stap)
        if org.naam != naam:
            if org.pk:
                hernoemd[org.pk] = org
            if houders.get(org.naam) == (org.pk or org):
                del houders[org.naam]
            houders[naam] = org.pk or org
        _vul_organisatie(org, naam, stap)
        if inschrijving is None:
            nieuw.append(org)
            ingeschreven.append(Registerinschrijving(
                gemeente=gemeente, register=register, code=stap.code, organisatie=org,
                gegevens=stap.gegevens, gesloten=stap.gesloten))
            continue
        na = snapshot(org, {"gebieden": gebieden[org.pk]})
        if na != voor:
            gewijzigd.append(org)
            wijzigingen.append((AuditEntry.Action.UPDATE, org, voor, na))
    _schrijf_organisaties(nieuw, gewijzigd, hernoemd)
    wijzigingen += [(AuditEntry.Action.CREATE, org, None, snapshot(org, {"gebieden": []}))
                    for org in nieuw]

    Registerinschrijving.objects.bulk_create(ingeschreven, batch_size=BATCH)
    wijzigingen += [(AuditEntry.Action.CREATE, i, None, snapshot(i)) for i in ingeschreven]
    bijgewerkt = []
    for stap in stappen:
        if stap.inschrijving is None:
            continue
        inschrijving, voor = stap.inschrijving, snapshot(stap.inschrijving)
        if stap.gegevens is None:  # missing from the file: closed, never deleted
            inschrijving.gesloten = True
        else:
            inschrijving.gegevens, inschrijving.gesloten = stap.gegevens, stap.gesloten
        bijgewerkt.append(inschrijving)
        wijzigingen.append((AuditEntry.Action.UPDATE, inschrijving, voor, snapshot(inschrijving)))
    Registerinschrijving.objects.bulk_update(bijgewerkt, ["gegevens", "gesloten"],
                                             batch_size=BATCH)
    audit.record_many(actor, wijzigingen)
    _herindexeer(hernoemd)


def _vrije_naam(houders, org, stap) -> str:
    """The register's name, or with the code added when another organisatie of the gemeente
    has it (as the row-by-row import decided, in file order)."""
    eigen = org.pk or org
    naam = stap.gegevens["naam"][:200]
    if houders.get(naam, eigen) != eigen:
        naam = f"{naam[:185]} ({stap.code})"
        if houders.get(naam, eigen) != eigen:
            imports.weiger(_("Vestiging of locatie %(c)s: de naam '%(n)s' is al in gebruik bij "
                             "een andere organisatie.") % {"c": stap.code, "n": naam})
    return naam


def _vul_organisatie(org, naam, stap):
    gegevens = stap.gegevens
    org.naam, org.type = naam, gegevens["type"]
    org.adres, org.telefoon = gegevens["adres"][:200], gegevens["telefoon"]
    org.website = gegevens.get("website", "")
    org.beschrijving = gegevens.get("beschrijving", org.beschrijving)
    try:
        # The model's field rules; the unique name is settled by _vrije_naam, and the
        # gemeente is the import's (checking it would be a query per row).
        org.full_clean(exclude=["gemeente"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        imports.weiger(_("Vestiging of locatie %(c)s: %(m)s") % {
            "c": stap.code, "m": " ".join(exc.messages)})


def _schrijf_organisaties(nieuw, gewijzigd, hernoemd):
    """Renamed organisaties first get a name nobody has, so that no intermediate state of the
    bulk UPDATE breaks the unique name (A takes B's old name while B takes a new one); then
    the changed ones, then the new ones (their names are free by then)."""
    if hernoemd:
        definitief = {pk: org.naam for pk, org in hernoemd.items()}
        for pk, org in hernoemd.items():
            org.naam = f"\u2063{pk}"
        Organisatie.objects.bulk_update(list(hernoemd.values()), ["naam"], batch_size=BATCH)
        for pk, org in hernoemd.items():
            org.naam = definitief[pk]
    Organisatie.objects.bulk_update(gewijzigd, ORGANISATIE_VELDEN, batch_size=BATCH)
    # PostgreSQL and SQLite return the new keys, which the inschrijvingen and audit need.
    Organisatie.objects.bulk_create(nieuw, batch_size=BATCH)


def _herindexeer(hernoemd):
    """The organisatie's name is part of its aanbod's search terms."""
    from kaart.models import Aanbod
    from kaart.services import indexeer

    for aanbod in Aanbod.objects.filter(organisatie_id__in=list(hernoemd)).select_related(
            "organisatie").prefetch_related("levensdomeinen"):
        indexeer(aanbod)


def lees(gemeente, register, naam, data):
    """The gemeente's rows of a register file and the encoding used; ImportGeweigerd (with
    Dutch row/column problems) when the file is not right."""
    lezer = lees_duo if register == Registerinschrijving.Register.DUO else lees_lrk
    rijen, codering = lezer(gemeente, naam, data)
    if not rijen:  # a file of another region would close every school or opvang
        imports.weiger(_("In dit bestand staat geen enkele rij van gemeente %(g)s. Er is niets "
                         "ingelezen en niets gesloten.") % {"g": gemeente.naam})
    return rijen, codering


def voorbeeld(gemeente, register, naam, data) -> tuple[Plan, str]:
    """The preview of an upload: what the import would do, and the encoding."""
    rijen, codering = lees(gemeente, register, naam, data)
    return plan(gemeente, register, rijen), codering


IMPORT_PAGINA = {Registerinschrijving.Register.DUO: "kaart:import-scholen",
                 Registerinschrijving.Register.LRK: "kaart:import-kinderopvang"}


@imports.vastgelegd(
    "kaart.register", _l("Register van scholen of kinderopvang (sociale kaart)"),
    lambda actor, gemeente, register, naam, data, **kwargs: imports.Poging(
        gemeente, actor, naam, onderwerp=register,
        url=reverse(IMPORT_PAGINA[register], kwargs={"gemeente": gemeente.slug})))
def importeer_bestand(actor, gemeente, register, naam, data, *, check_permission=True):
    rijen, codering = lees(gemeente, register, naam, data)
    resultaat = importeer(actor, gemeente, register, rijen, check_permission=check_permission)
    resultaat.codering = codering
    return resultaat
