"""Write use-cases for regions: the CBS regions CSV import and Gebied definitions."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import imports, policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.services import save_object
from regions.forms import RegionRowForm
from regions.models import LAND_CODE, LAND_NAAM, Gebied, Region, parent_code

REGION_COLUMNS = ["code", "naam", "jaar"]
MAX_ROWS = 100_000  # all buurten of the Netherlands fit more than six times


def parse_regions_csv(data: bytes, gemeente) -> list[dict]:
    """Check the whole file; return rows {row, code, naam, jaar, soort} or raise
    ImportGeweigerd. Each row is validated by regions.forms.RegionRowForm (the model's rules);
    here only the columns, duplicates and the nesting of codes."""
    table = imports.read_table("regios.csv", data, formats=("csv",), max_rows=MAX_ROWS)
    header = [imports.normalize(h) for h in table.header]
    if sorted(header) != sorted(REGION_COLUMNS):
        imports.weiger(_(
            "de kolommen moeten precies 'code', 'naam' en 'jaar' zijn; gevonden: %(found)s."
        ) % {"found": ", ".join(f"'{h}'" for h in header) or _("geen")})
    index = {name: header.index(name) for name in REGION_COLUMNS}

    problems, rows, seen = imports.Problemen(), [], {}
    for line_no, raw in table.rows:
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            problems.melden(line_no, "", _(
                "verwacht %(n)s kolommen, gevonden %(m)s.") % {"n": len(header), "m": len(raw)})
            continue
        form = RegionRowForm({k: raw[i] for k, i in index.items()}, gemeente=gemeente)
        if not form.is_valid():
            problems.melden_form(form, line_no)
            continue
        r = form.cleaned_data
        key = (r["code"], r["jaar"])
        if key in seen:
            problems.melden(line_no, "code", _(
                "%(code)s staat voor %(jaar)s al in rij %(first)s.") % {
                    "code": r["code"], "jaar": r["jaar"], "first": seen[key]})
            continue
        seen[key] = line_no
        rows.append({"row": line_no, **r, "soort": form.instance.soort})

    if not problems:
        existing = set(Region.objects.filter(gemeente=gemeente).values_list("code", "jaar"))
        for r in rows:
            parent = parent_code(r["code"])
            if parent and (parent, r["jaar"]) not in seen and (parent, r["jaar"]) not in existing:
                problems.melden(r["row"], "code", _(
                    "%(code)s ligt in %(parent)s, maar %(parent)s bestaat niet in de indeling "
                    "van %(jaar)s (niet in dit bestand en niet eerder ingelezen).") % {
                        "code": r["code"], "parent": parent, "jaar": r["jaar"]})
    if not rows and not problems:
        problems.melden(2, "", _("het bestand bevat geen regio's."))
    problems.weiger_als_nodig()
    return rows


@imports.vastgelegd(
    "regions.cbs", gettext_lazy("CBS-regio's"),
    lambda actor, gemeente, data, **kwargs: imports.Poging(
        gemeente, actor, "", url=reverse("regions:region-import",
                                         kwargs={"gemeente": gemeente.slug})))
@transaction.atomic
def importeer(actor, gemeente, data: bytes, *, check_permission=True) -> imports.Resultaat:
    """Import a CBS regions CSV all-or-nothing (core.imports.ImportGeweigerd lists every
    problem). Re-importing the same file changes nothing."""
    if check_permission:
        policy.require(actor, policy.ADD, Region(gemeente=gemeente))
    rows = parse_regions_csv(data, gemeente)
    result = imports.Resultaat()
    order = {"gemeente": 0, "wijk": 1, "buurt": 2}
    existing = {(r.code, r.jaar): r for r in Region.objects.filter(gemeente=gemeente)}
    for r in sorted(rows, key=lambda r: (r["jaar"], order[r["soort"]], r["code"])):
        parent = existing.get((parent_code(r["code"]), r["jaar"]))
        region = existing.get((r["code"], r["jaar"]))
        if region is None:
            region = Region.objects.create(gemeente=gemeente, jaar=r["jaar"], soort=r["soort"],
                                           code=r["code"], naam=r["naam"], parent=parent)
            record(actor, AuditEntry.Action.CREATE, region, None, snapshot(region))
            existing[(region.code, region.jaar)] = region
            result.aangemaakt += 1
        elif region.naam != r["naam"] or region.parent_id != (parent.pk if parent else None):
            before = snapshot(region)
            region.naam, region.parent = r["naam"], parent
            region.save(update_fields=["naam", "parent"])
            record(actor, AuditEntry.Action.UPDATE, region, before, snapshot(region))
            result.bijgewerkt += 1
        else:
            result.ongewijzigd += 1
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
