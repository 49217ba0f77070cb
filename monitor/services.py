"""Write use-cases for the monitor. Each is one transaction, permission-checked and audited.

Imports (monitor.importers parses and validates) are all-or-nothing and idempotent: the same
file again changes nothing; a corrected file for the same indicators, bron and periodes
replaces the earlier batch. After every change of measurements the rollup of the affected
indicators is rebuilt by monitor.rollup (set-based SQL).
"""

import contextlib
import hashlib
from dataclasses import dataclass

import psycopg
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import imports, policy
from core.audit import record, snapshot
from core.imports import ImportGeweigerd
from core.models import AuditEntry
from core.services import delete_object, save_object
from framework.services import set_doelen
from monitor import importers, rollup
from monitor.importers import lezer
from monitor.models import (
    FACTOR,
    ImportBatch,
    Indicator,
    Meting,
    MonitorInstelling,
    Status,
    Streefwaarde,
)
from regions.models import Region
from regions.services import land_regio


@transaction.atomic
def save_indicator(actor, indicator: Indicator, *, doelen=None, check_permission=True):
    """Create or update an indicator; `doelen` (Klaverblad doelen) replaces its tags."""
    indicator = save_object(actor, indicator, check_permission=check_permission)
    if doelen is not None:
        set_doelen(actor, indicator, doelen, check_permission=check_permission)
    return indicator


def save_streefwaarde(actor, streefwaarde: Streefwaarde, *, check_permission=True):
    return save_object(actor, streefwaarde, check_permission=check_permission)


def delete_streefwaarde(actor, streefwaarde: Streefwaarde):
    delete_object(actor, streefwaarde)


@transaction.atomic
def save_instelling(actor, instelling: MonitorInstelling, *, check_permission=True):
    """Save the gemeente's monitor settings. A changed minimum_n rebuilds the rollup, so the
    suppression holds everywhere at once."""
    old = None
    if instelling.pk is None:
        existing = MonitorInstelling.objects.filter(gemeente_id=instelling.gemeente_id).first()
        if existing is not None:
            instelling.pk = existing.pk
            instelling._state.adding = False
            old = existing.minimum_n
    else:
        old = MonitorInstelling.objects.get(pk=instelling.pk).minimum_n
    instelling = save_object(actor, instelling, check_permission=check_permission)
    if old is not None and old != instelling.minimum_n:
        rollup.herbereken_gemeente(instelling.gemeente)
    return instelling


def herbereken(actor, gemeente, *, check_permission=True) -> int:
    """Rebuild the gemeente's rollup on request (a change of a gebied's wijken and buurten
    rebuilds it by itself: monitor.receivers)."""
    if check_permission:
        policy.require(actor, policy.CHANGE, MonitorInstelling(gemeente=gemeente))
    with transaction.atomic():
        n = rollup.herbereken_gemeente(gemeente)
        instelling = MonitorInstelling.objects.filter(gemeente=gemeente).first()
        if instelling is not None:
            record(actor, AuditEntry.Action.UPDATE, instelling, snapshot(instelling),
                   {**snapshot(instelling), "rollup_herberekend": n})
    return n


# --- imports ---------------------------------------------------------------------------------

COPY_KOLOMMEN = ("gemeente_id", "indicator_id", "region_id", "periode", "waarde", "teller",
                 "noemer", "status", "batch_id")


def _te_vervangen(gemeente, voorbeeld, bron):
    """Active batches with exactly the same indicators, bron and periodes, and the same kind
    of regions (only Nederland, or the gemeente's own): a corrected file replaces them. A file
    with only national figures thus never replaces the local figures of the same source."""
    wanted_ind = set(voorbeeld.indicatoren)
    wanted_per = sorted(voorbeeld.periodes)
    alleen_land = all(voorbeeld.codes.get(r[1]) in lezer.LAND_CODES for r in voorbeeld.rijen)
    candidates = (ImportBatch.objects.filter(gemeente=gemeente, bron=bron,
                                             status=ImportBatch.BatchStatus.ACTIEF,
                                             indicatoren__in=wanted_ind)
                  .distinct().prefetch_related("indicatoren"))
    return [b for b in candidates if sorted(b.periodes) == wanted_per
            and {i.pk for i in b.indicatoren.all()} == wanted_ind
            and alleen_land == (not b.metingen.exclude(region__soort=Region.Soort.LAND).exists())]


def _conflicten(gemeente, voorbeeld, vervangen_ids):
    """Measurements of other active batches for the same indicator, region and periode."""
    problemen = []
    bestaand = (Meting.objects.filter(gemeente=gemeente, indicator_id__in=voorbeeld.indicatoren,
                                      periode__in=sorted(voorbeeld.periodes))
                .exclude(batch_id__in=vervangen_ids)
                .values_list("indicator_id", "region_id", "periode", "batch__bestandsnaam",
                             "region__code", "region__naam"))
    for ind_id, region_id, periode, bestandsnaam, code, naam in bestaand.iterator(
            chunk_size=10000):
        rij = voorbeeld.rijnummers.get((ind_id, region_id, periode.code))
        if rij is not None and len(problemen) < imports.MAX_PROBLEMEN:
            problemen.append(imports.Probleem(rij, "", _(
                "voor indicator '%(code)s', regio %(regio)s en %(periode)s is al een cijfer "
                "ingelezen uit '%(bestand)s'. Een verbeterd bestand vervangt een eerder bestand "
                "alleen als het dezelfde indicatoren, bron en periodes heeft.") % {
                "code": voorbeeld.indicatoren[ind_id].code, "periode": periode.label,
                "regio": f"{naam} ({code})", "bestand": bestandsnaam}))
    return problemen


def _maak_land_regios(actor, gemeente, voorbeeld) -> set:
    """Create (audited) the gemeente's region Nederland for each indeling year whose national
    rows still carry a placeholder id (lezer.Lezer.land), and put the real ids in.
    Returns the ids of the regions created (their rows were not streamed: _Stroom)."""
    if not voorbeeld.nieuwe_land_regios:
        return set()
    ids = {plek: land_regio(actor, gemeente, jaar).pk
           for jaar, plek in voorbeeld.nieuwe_land_regios.items()}
    voorbeeld.rijen = [r if r[1] not in ids else (r[0], ids[r[1]], *r[2:])
                       for r in voorbeeld.rijen]
    voorbeeld.codes = {ids.get(k, k): code for k, code in voorbeeld.codes.items()}
    voorbeeld.nieuwe_land_regios = {}
    return set(ids.values())


def _controleer(gemeente, voorbeeld, bron) -> list:
    """The file-level checks after parsing: at least one figure, and no figure that another
    active batch already has (unless that batch is replaced). Adds problems to the voorbeeld;
    returns the batches a corrected file replaces."""
    if not voorbeeld.rijen and voorbeeld.ok:
        voorbeeld.problemen.append(imports.Probleem(1, "", _(
            "het bestand bevat geen enkel cijfer om in te lezen.")))
    vervangen = _te_vervangen(gemeente, voorbeeld, bron) if voorbeeld.rijen else []
    if voorbeeld.ok:
        voorbeeld.problemen.extend(_conflicten(gemeente, voorbeeld, [b.pk for b in vervangen]))
    voorbeeld.problemen.sort(key=lambda p: p.rij)
    return vervangen


def _copy(value):
    return "\\N" if value is None else repr(value)


def _copy_tekst(prefix, suffix, rijen) -> str:
    """Checked rows (lezer.Voorbeeld.rijen) as COPY text lines between prefix and suffix."""
    return "".join([f"{prefix}{ind}\t{region}\t{periode}\t{_copy(waarde)}\t{_copy(teller)}\t"
                    f"{_copy(noemer)}\t{status}{suffix}"
                    for ind, region, periode, waarde, teller, noemer, status in rijen])


_COPY_SQL = f"COPY monitor_meting ({', '.join(COPY_KOLOMMEN)}) FROM STDIN"


def _schrijf_metingen(gemeente_id, batch_id, rijen):
    """Write the checked rows into monitor_meting: COPY on PostgreSQL, executemany else."""
    if connection.vendor == "postgresql":
        prefix, suffix = f"{gemeente_id}\t", f"\t{batch_id}\n"
        with connection.cursor() as cursor, cursor.cursor.copy(_COPY_SQL) as copy:
            stap = lezer.STROOM_RIJEN
            for start in range(0, len(rijen), stap):
                copy.write(_copy_tekst(prefix, suffix, rijen[start: start + stap]))
        return
    placeholders = ", ".join(["%s"] * len(COPY_KOLOMMEN))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO monitor_meting ({', '.join(COPY_KOLOMMEN)}) VALUES ({placeholders})",
            [(gemeente_id, *r, batch_id) for r in rijen])


class _Stroom:
    """Feeds checked rows into a COPY while the file is still being read, so that the
    PostgreSQL backend ingests them (on the other core) while Python parses the next rows.
    The COPY is opened at the first chunk (`open_copy()`), after the reader has done its own
    queries: a connection in COPY mode runs no other query. A database error (a figure that is
    already there: unique index) stops the writing; it is kept in `fout`."""

    def __init__(self, open_copy, gemeente_id, batch_id):
        self.open_copy, self.copy = open_copy, None
        self.prefix, self.suffix = f"{gemeente_id}\t", f"\t{batch_id}\n"
        self.fout = None

    def __call__(self, rijen):
        # A national row whose region Nederland is still to be made (placeholder id < 0)
        # waits: the region is created after the stream, then its rows are written.
        rijen = [r for r in rijen if r[1] > 0]
        if self.fout is None and rijen:
            try:
                if self.copy is None:
                    self.copy = self.open_copy()
                self.copy.write(_copy_tekst(self.prefix, self.suffix, rijen))
            except psycopg.Error as exc:
                self.fout = exc


class _Geweigerd(Exception):
    """Internal: the file has problems; leave the import's transaction (rolled back)."""

    def __init__(self, voorbeeld):
        self.voorbeeld = voorbeeld


def _lees_stromend(gemeente, batch, data, bestandsnaam, formaat, kolommen, periode):
    """Read the file and COPY its rows at the same time (PostgreSQL). Returns (voorbeeld,
    gestroomd): gestroomd is False when the database refused a row (a figure that is already
    there: a batch to replace or a conflict); everything written is then rolled back to the
    savepoint and the caller writes the checked rows after the usual checks. Raises _Geweigerd
    when the file has problems (nothing of it stays written)."""
    savepoint, voorbeeld, stroom = transaction.savepoint(), None, None
    try:
        # The COPY always ends normally (an aborted COPY can leave psycopg's connection
        # unusable); rows of a file with problems are undone by the savepoint rollback.
        with connection.cursor() as cursor, contextlib.ExitStack() as stack:
            stroom = _Stroom(lambda: stack.enter_context(cursor.cursor.copy(_COPY_SQL)),
                             gemeente.pk, batch.pk)
            try:
                voorbeeld = importers.lees_bestand(data, gemeente, bestandsnaam,
                                                   formaat=formaat, kolommen=kolommen,
                                                   stroom=stroom, periode=periode)
            except ImportGeweigerd as exc:
                voorbeeld = lezer.Voorbeeld(formaat=formaat or "",
                                                problemen=imports.Problemen(exc.problemen))
        if stroom.fout is not None:
            raise stroom.fout
    except psycopg.Error as exc:
        transaction.savepoint_rollback(savepoint)
        oorzaak = (stroom and stroom.fout) or exc
        if voorbeeld is None or not isinstance(oorzaak, psycopg.errors.UniqueViolation):
            raise
        if not voorbeeld.ok:
            raise _Geweigerd(voorbeeld) from None
        return voorbeeld, False
    if not voorbeeld.ok or not voorbeeld.rijen:
        transaction.savepoint_rollback(savepoint)
        raise _Geweigerd(voorbeeld)
    transaction.savepoint_commit(savepoint)
    return voorbeeld, True


def _poging(actor, gemeente, data, bestandsnaam, *, alleen_voorbeeld=False, **kwargs):
    if alleen_voorbeeld:
        return None  # a preview is no import run
    return imports.Poging(gemeente, actor, bestandsnaam, onderwerp=bestandsnaam,
                          url=reverse("monitor:import", kwargs={"gemeente": gemeente.slug}))


@imports.vastgelegd("monitor.metingen", _lazy("Metingen voor de monitor"), _poging)
def importeer(actor, gemeente, data: bytes, bestandsnaam: str, *, bron: str = "",
              formaat=None, kolommen=None, periode: str = "", alleen_voorbeeld=False,
              herbereken_rollup=True, check_permission=True) -> imports.Resultaat:
    """Import a measurement file, all or nothing.

    - the same file (sha256) as an active batch: nothing changes ('ongewijzigd', also as a
      preview: it says only that);
    - periode: the periode of a CBS table without a Perioden column (the Kerncijfers wijken
      en buurten);
    - alleen_voorbeeld: parse and check only; the result's `voorbeeld` lists the rows and the
      problems (row number + Dutch reason); nothing is written;
    - otherwise any problem rejects the whole file (ImportGeweigerd, every problem listed); a
      file with the same indicators, bron and periodes as an active batch replaces that batch;
    - on PostgreSQL the checked rows are streamed into COPY while the file is being read (in
      the import's transaction; at the first problem the writing stops, reading goes on to
      list every problem, and everything is rolled back);
    - afterwards the rollup of the imported indicators is rebuilt (herbereken_rollup=False
      leaves that to the caller, e.g. a bulk load that rebuilds once at the end).
    """
    if check_permission:
        policy.require(actor, policy.ADD, ImportBatch(gemeente=gemeente))
    sha = hashlib.sha256(data).hexdigest()
    bestaand = ImportBatch.objects.filter(gemeente=gemeente, sha256=sha,
                                          status=ImportBatch.BatchStatus.ACTIEF).first()
    if bestaand is not None:
        return imports.Resultaat(ongewijzigd=bestaand.rijen, status=imports.ONGEWIJZIGD,
                                 batch=bestaand)
    if alleen_voorbeeld or connection.vendor != "postgresql":
        try:
            voorbeeld = importers.lees_bestand(data, gemeente, bestandsnaam, formaat=formaat,
                                               kolommen=kolommen, periode=periode)
        except ImportGeweigerd as exc:
            if alleen_voorbeeld:
                voorbeeld = lezer.Voorbeeld(formaat=formaat or "",
                                                problemen=imports.Problemen(exc.problemen))
                return imports.Resultaat(status=imports.VOORBEELD, voorbeeld=voorbeeld)
            raise
        vervangen = _controleer(gemeente, voorbeeld, bron)
        if alleen_voorbeeld:
            return imports.Resultaat(aangemaakt=len(voorbeeld.rijen), status=imports.VOORBEELD,
                                     codering=voorbeeld.codering, voorbeeld=voorbeeld,
                                     vervangen=vervangen)
        if not voorbeeld.ok:
            raise ImportGeweigerd(voorbeeld.problemen)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                gemeente=gemeente, formaat=formaat or importers.formaat_van(data, bestandsnaam),
                bron=bron, bestandsnaam=bestandsnaam[:255], sha256=sha,
                door=actor if getattr(actor, "is_authenticated", False) else None)
            if connection.vendor == "postgresql":
                voorbeeld, gestroomd = _lees_stromend(gemeente, batch, data, bestandsnaam,
                                                      formaat, kolommen, periode)
                # After a refused row: the checks that explain it (or a batch to replace).
                vervangen = _controleer(gemeente, voorbeeld, bron) if not gestroomd \
                    else _te_vervangen(gemeente, voorbeeld, bron)
                if not voorbeeld.ok:
                    raise _Geweigerd(voorbeeld)
            else:
                gestroomd = False
            batch.formaat, batch.periodes = voorbeeld.formaat, sorted(voorbeeld.periodes)
            batch.rijen = len(voorbeeld.rijen)
            batch.save(update_fields=["formaat", "periodes", "rijen"])
            batch.indicatoren.set(list(voorbeeld.indicatoren))
            for oud in vervangen:
                before = snapshot(oud)
                Meting.objects.filter(batch=oud).delete()
                oud.status = ImportBatch.BatchStatus.VERVANGEN
                oud.vervangen_door = batch
                oud.save(update_fields=["status", "vervangen_door"])
                record(actor, AuditEntry.Action.UPDATE, oud, before, snapshot(oud))
            nieuw = _maak_land_regios(actor, gemeente, voorbeeld)
            if not gestroomd:
                _schrijf_metingen(gemeente.pk, batch.pk, voorbeeld.rijen)
            elif nieuw:
                _schrijf_metingen(gemeente.pk, batch.pk,
                                  [r for r in voorbeeld.rijen if r[1] in nieuw])
            record(actor, AuditEntry.Action.CREATE, batch, None, snapshot(batch))
            n = rollup.herbereken(voorbeeld.indicatoren) if herbereken_rollup else 0
    except _Geweigerd as exc:
        voorbeeld = exc.voorbeeld
        if not voorbeeld.rijen and voorbeeld.ok:
            _controleer(gemeente, voorbeeld, bron)  # adds "geen enkel cijfer"
        raise ImportGeweigerd(voorbeeld.problemen) from None
    return imports.Resultaat(aangemaakt=batch.rijen, status=imports.INGELEZEN,
                             codering=voorbeeld.codering, voorbeeld=voorbeeld, batch=batch,
                             vervangen=vervangen, afgeleid=n)


# --- figures computed by another app ---------------------------------------------------------

@dataclass(frozen=True)
class Cijfer:
    """One computed figure: a ratio's teller and noemer (the waarde follows), or a waarde."""

    region: Region
    teller: float | None = None
    noemer: float | None = None
    waarde: float | None = None


def schrijf_berekening(actor, indicator: Indicator, periode, cijfers, *, bron: str,
                       check_permission=True) -> imports.Resultaat:
    """Write the figures another app computed from its own data (the sociale kaart's share of
    current aanbod, kaart.indicator) as the measurements of one indicator and periode, so that
    pages, charts, exports, the API, targets and suppression treat them as any measurement.

    Kept like an import, audited: one ImportBatch of formaat 'berekend' per indicator and
    periode. The same figures again change nothing ('ongewijzigd': a second run on the same
    day writes nothing); other figures take the place of the batch's measurements in one
    transaction (the batch stays, with the new sha256 and count; the audit entry holds before
    and after) and the indicator's rollup is rebuilt. Figures of the same indicator and
    periode from a file import are never overwritten: ValidationError.

    For a ratio indicator the waarde is computed here from teller and noemer; a noemer of 0
    (nothing to count in that region) is kept without waarde: shown as suppressed (n = 0), it
    still tells the rollup that the region has its figure, so a gebied is not 'onvolledig'."""
    if check_permission:
        policy.require(actor, policy.ADD, ImportBatch(gemeente=indicator.gemeente))
    if getattr(periode, "soort", None) != indicator.periodetype:
        raise ValueError(f"{indicator.code}: periode {periode} is geen "
                         f"{indicator.periodetype}")
    rijen = []
    for c in sorted(cijfers, key=lambda c: c.region.code):
        if c.region.gemeente_id != indicator.gemeente_id:
            raise ValueError(f"{c.region.code} hoort bij een andere gemeente")
        waarde = c.waarde
        if indicator.is_ratio:
            waarde = (FACTOR.get(indicator.eenheid, 1.0) * c.teller / c.noemer if c.noemer
                      else None)
        if waarde is not None and not indicator.in_bereik(waarde):
            raise ValueError(f"{indicator.code} {c.region.code}: waarde {waarde} buiten bereik")
        rijen.append((indicator.pk, c.region.pk, periode.code, waarde, c.teller, c.noemer,
                      Status.WAARGENOMEN))
    inhoud = "\n".join([f"{indicator.pk}\t{periode.code}\t{bron}"]
                        + ["\t".join(map(str, r[1:])) for r in rijen])
    sha = hashlib.sha256(inhoud.encode()).hexdigest()
    with transaction.atomic():
        # One writer per indicator at a time (the scheduled job and the command).
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        batch = next((b for b in ImportBatch.objects.filter(
            gemeente_id=indicator.gemeente_id, indicatoren=indicator,
            formaat=ImportBatch.Formaat.BEREKEND, status=ImportBatch.BatchStatus.ACTIEF)
            if b.periodes == [periode.code]), None)
        if batch is not None and batch.sha256 == sha:
            return imports.Resultaat(status=imports.ONGEWIJZIGD, ongewijzigd=batch.rijen,
                                     batch=batch)
        andere = (Meting.objects.filter(indicator=indicator, periode=periode)
                  .exclude(batch=batch).select_related("batch").first())
        if andere is not None:
            raise ValidationError(_(
                "Voor indicator '%(code)s' en %(periode)s zijn al cijfers ingelezen uit "
                "'%(bestand)s'. Verwijder die import; Opgroeien berekent deze cijfers zelf.") % {
                "code": indicator.code, "periode": periode.label,
                "bestand": andere.batch.bestandsnaam})
        if batch is None:
            batch = ImportBatch.objects.create(
                gemeente_id=indicator.gemeente_id, formaat=ImportBatch.Formaat.BEREKEND,
                bron=bron, bestandsnaam=f"{indicator.code} {periode.code}"[:255], sha256=sha,
                periodes=[periode.code], rijen=len(rijen),
                door=actor if getattr(actor, "is_authenticated", False) else None)
            batch.indicatoren.set([indicator])
            record(actor, AuditEntry.Action.CREATE, batch, None, snapshot(batch))
        else:
            before = snapshot(batch)
            Meting.objects.filter(batch=batch).delete()
            batch.sha256, batch.rijen, batch.bron = sha, len(rijen), bron
            batch.save(update_fields=["sha256", "rijen", "bron"])
            record(actor, AuditEntry.Action.UPDATE, batch, before, snapshot(batch))
        _schrijf_metingen(indicator.gemeente_id, batch.pk, rijen)
        n = rollup.herbereken([indicator.pk])
    return imports.Resultaat(aangemaakt=len(rijen), status=imports.INGELEZEN, batch=batch,
                             afgeleid=n)


@transaction.atomic
def delete_batch(actor, batch: ImportBatch):
    """Delete an import with its measurements (audited) and rebuild the rollup."""
    indicator_ids = list(batch.indicatoren.values_list("pk", flat=True))
    delete_object(actor, batch)
    rollup.herbereken(indicator_ids)
