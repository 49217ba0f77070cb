"""Write use-cases for regions: the CBS regions CSV import and Gebied definitions."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.services import save_object
from regions.models import (
    CODE_PATTERNS,
    LAND_CODE,
    LAND_NAAM,
    PREFIX_SOORT,
    Gebied,
    Region,
    parent_code,
)

REGION_COLUMNS = ["code", "naam", "jaar"]


@dataclass
class ImportProblem:
    row: int  # 1 = header line
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Rij %(row)s, kolom '%(column)s': %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class RegionImportError(Exception):
    """The whole file is rejected; nothing was imported."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    years: set = field(default_factory=set)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise RegionImportError([ImportProblem(row, "", _(
            "het bestand is geen UTF-8. Sla het op als 'CSV UTF-8 (door komma's gescheiden)' "
            "en probeer het opnieuw."))]) from None


def parse_regions_csv(data: bytes, gemeente) -> list[dict]:
    """Check the whole file; return rows {code, naam, jaar, soort} or raise RegionImportError."""
    text = _decode(data)
    if not text.strip():
        raise RegionImportError([ImportProblem(1, "", _("het bestand is leeg."))])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if sorted(header) != sorted(REGION_COLUMNS):
        raise RegionImportError([ImportProblem(1, "", _(
            "de kolommen moeten precies 'code', 'naam' en 'jaar' zijn; gevonden: %(found)s."
        ) % {"found": ", ".join(f"'{h}'" for h in header) or _("geen")})])
    index = {name: header.index(name) for name in REGION_COLUMNS}

    problems, rows, seen = [], [], {}
    for line_no, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            problems.append(ImportProblem(line_no, "", _(
                "verwacht %(n)s kolommen, gevonden %(m)s.") % {"n": len(header), "m": len(raw)}))
            continue
        code = raw[index["code"]].strip().upper()
        naam = raw[index["naam"]].strip()
        jaar_text = raw[index["jaar"]].strip()
        soort = PREFIX_SOORT.get(code[:2])
        if not soort or not CODE_PATTERNS[soort].match(code):
            problems.append(ImportProblem(line_no, "code", _(
                "'%(code)s' is geen CBS-code (GM + 4 cijfers, WK + 6 cijfers of BU + 8 cijfers)."
            ) % {"code": code}))
        elif code[2:6] != gemeente.cbs_code[2:]:
            problems.append(ImportProblem(line_no, "code", _(
                "%(code)s hoort niet bij gemeente %(gm)s.") % {"code": code,
                                                                "gm": gemeente.cbs_code}))
        if not naam:
            problems.append(ImportProblem(line_no, "naam", _("de naam ontbreekt.")))
        elif len(naam) > 200:
            problems.append(ImportProblem(line_no, "naam", _("de naam is langer dan 200 tekens.")))
        try:
            jaar = int(jaar_text)
            if not 1900 <= jaar <= 2100:
                raise ValueError
        except ValueError:
            problems.append(ImportProblem(line_no, "jaar", _(
                "'%(jaar)s' is geen jaartal.") % {"jaar": jaar_text}))
            continue
        key = (code, jaar)
        if key in seen:
            problems.append(ImportProblem(line_no, "code", _(
                "%(code)s staat voor %(jaar)s al in rij %(first)s.") % {
                    "code": code, "jaar": jaar, "first": seen[key]}))
            continue
        seen[key] = line_no
        rows.append({"row": line_no, "code": code, "naam": naam, "jaar": jaar, "soort": soort})

    if not problems:
        existing = set(Region.objects.filter(gemeente=gemeente).values_list("code", "jaar"))
        for r in rows:
            parent = parent_code(r["code"])
            if parent and (parent, r["jaar"]) not in seen and (parent, r["jaar"]) not in existing:
                problems.append(ImportProblem(r["row"], "code", _(
                    "%(code)s ligt in %(parent)s, maar %(parent)s bestaat niet in de indeling "
                    "van %(jaar)s (niet in dit bestand en niet eerder ingelezen).") % {
                        "code": r["code"], "parent": parent, "jaar": r["jaar"]}))
    if not rows and not problems:
        problems.append(ImportProblem(2, "", _("het bestand bevat geen regio's.")))
    if problems:
        raise RegionImportError(problems)
    return rows


@transaction.atomic
def import_regions(actor, gemeente, data: bytes, *, check_permission=True) -> ImportResult:
    """Import a CBS regions CSV all-or-nothing. Re-importing the same file changes nothing."""
    if check_permission:
        policy.require(actor, policy.ADD, Region(gemeente=gemeente))
    rows = parse_regions_csv(data, gemeente)
    result = ImportResult()
    order = {"gemeente": 0, "wijk": 1, "buurt": 2}
    existing = {(r.code, r.jaar): r for r in Region.objects.filter(gemeente=gemeente)}
    for r in sorted(rows, key=lambda r: (r["jaar"], order[r["soort"]], r["code"])):
        result.years.add(r["jaar"])
        parent = existing.get((parent_code(r["code"]), r["jaar"]))
        region = existing.get((r["code"], r["jaar"]))
        if region is None:
            region = Region.objects.create(gemeente=gemeente, jaar=r["jaar"], soort=r["soort"],
                                           code=r["code"], naam=r["naam"], parent=parent)
            record(actor, AuditEntry.Action.CREATE, region, None, snapshot(region))
            existing[(region.code, region.jaar)] = region
            result.created += 1
        elif region.naam != r["naam"] or region.parent_id != (parent.pk if parent else None):
            before = snapshot(region)
            region.naam, region.parent = r["naam"], parent
            region.save(update_fields=["naam", "parent"])
            record(actor, AuditEntry.Action.UPDATE, region, before, snapshot(region))
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def land_regio(actor, gemeente, jaar: int) -> Region:
    """The gemeente's region Nederland (soort 'land', code NL01) in the indeling of `jaar`,
    created (and audited) the first time a national figure for that indeling is imported.
    The caller (the monitor import) checks permissions and holds the transaction."""
    region = Region.objects.filter(gemeente=gemeente, jaar=jaar, code=LAND_CODE).first()
    if region is None:
        region = Region.objects.create(gemeente=gemeente, jaar=jaar, soort=Region.Soort.LAND,
                                       code=LAND_CODE, naam=LAND_NAAM)
        record(actor, AuditEntry.Action.CREATE, region, None, snapshot(region))
    return region


def save_gebied(actor, gebied: Gebied, regions, *, check_permission=True) -> Gebied:
    """Create or update a Gebied; its regions are wijken/buurten of its own gemeente and year."""
    regions = list(regions)
    if not regions:
        raise ValidationError(_("Kies minstens één wijk of buurt."))
    for region in regions:
        if region.gemeente_id != gebied.gemeente_id:
            raise ValidationError(_("%(r)s hoort bij een andere gemeente.") % {"r": region})
        if region.soort not in (Region.Soort.WIJK, Region.Soort.BUURT):
            raise ValidationError(_("Een gebied bestaat uit wijken en buurten, niet uit een "
                                    "hele gemeente of uit Nederland."))
        if region.jaar != gebied.jaar:
            raise ValidationError(_(
                "%(r)s komt uit de indeling van %(j)s; dit gebied gebruikt die van %(g)s.") % {
                    "r": region, "j": region.jaar, "g": gebied.jaar})
    return save_object(actor, gebied, m2m={"regions": regions},
                       check_permission=check_permission)
