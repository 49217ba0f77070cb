"""XLSX export of the money: the yearly overview and every row behind it. Amounts are numbers
(Decimal, 2 places) with a euro number format, never text, so a spreadsheet can add them."""

import datetime

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.exports import new_workbook, xlsx_append, xlsx_bytes, xlsx_cell
from core.money import EURO_XLSX_FORMAT, to_money
from finance import selectors
from finance.models import AanvraagJaar, Programmabudget, Regeling


def _sheet(wb, title, header, rows, money_columns=()):
    """A write-only sheet (fast for many rows): bold header, amounts as numbers in euro
    format, dates as dates, text through core.exports (formulas neutralised)."""
    ws = wb.create_sheet(title=title[:31])
    for i, title_ in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(50, len(title_) + 4))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    xlsx_append(ws, [xlsx_cell(ws, value, font=bold) for value in header])
    money_columns = set(money_columns)
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i in money_columns and value is not None:
                cell = xlsx_cell(ws, to_money(value), number_format=EURO_XLSX_FORMAT)
            elif isinstance(value, datetime.date):
                cell = xlsx_cell(ws, value, number_format="DD-MM-YYYY")
            else:
                cell = xlsx_cell(ws, value)
            cells.append(cell)
        xlsx_append(ws, cells)
    return ws


def workbook(user, gemeente, jaar) -> bytes:
    overzicht = selectors.jaaroverzicht(gemeente, jaar)
    wb = new_workbook(write_only=True)
    sums = [_("Gevraagd"), _("Toegekend"), _("Betaald"), _("Vastgesteld"), _("Teruggevorderd")]

    _sheet(wb, _("Per gebied %(jaar)s") % {"jaar": jaar},
           [_("Gebied"), _("Begroot"), *sums, _("Nog vrij")],
           [[r["naam"] or _("Zonder gebied"), r["begroot"], r["gevraagd"], r["toegekend"],
             r["betaald"], r["vastgesteld"], r["terugvordering"], r["vrij"]]
            for r in overzicht["per_gebied"]], money_columns=range(1, 8))
    _sheet(wb, _("Per organisatie %(jaar)s") % {"jaar": jaar}, [_("Organisatie"), *sums],
           [[r["naam"] or _("Initiatieven van bewoners"), r["gevraagd"], r["toegekend"],
             r["betaald"], r["vastgesteld"], r["terugvordering"]]
            for r in overzicht["per_organisatie"]], money_columns=range(1, 6))
    _sheet(wb, _("Per doel %(jaar)s") % {"jaar": jaar},
           [_("Doel"), _("Aanvragen"), *sums],
           [[r["doel"].kort(200) if r["doel"] else _("Zonder doel"), r["n"], r["gevraagd"],
             r["toegekend"], r["betaald"], r["vastgesteld"], r["terugvordering"]]
            for r in overzicht["per_doel"]], money_columns=range(2, 7))
    _sheet(wb, _("Regelingen"),
           [_("Regeling"), _("Eerste jaar"), _("Laatste jaar"), _("Aanvragen vanaf"),
            _("Aanvragen tot en met"), _("Plafond"), _("Toegekend"), _("Beschikbaar")],
           [[r.naam, r.jaar_van, r.jaar_tot, r.aanvragen_van, r.aanvragen_tot, r.plafond,
             r.toegekend, r.beschikbaar]
            for r in Regeling.objects.filter(gemeente=gemeente).order_by("naam")],
           money_columns=(5, 6, 7))
    budget_rows = []
    for pb in Programmabudget.objects.filter(gemeente=gemeente).prefetch_related(
            "gebiedsbudgetten__gebied"):
        budget_rows.append([pb.jaar, pb.naam, _("programma"), pb.bedrag, pb.toegewezen])
        for gb in pb.gebiedsbudgetten.all():
            budget_rows.append([pb.jaar, gb.gebied.naam, _("gebied"), gb.bedrag, gb.toegekend])
    _sheet(wb, _("Budgetten"),
           [_("Jaar"), _("Naam"), _("Soort"), _("Budget"), _("Verdeeld of toegekend")],
           budget_rows, money_columns=(3, 4))

    visible = selectors.aanvragen(user, gemeente)
    jaren = (AanvraagJaar.objects.filter(aanvraag__in=visible.values("pk"))
             .select_related("aanvraag__regeling", "aanvraag__organisatie", "aanvraag__gebied")
             .order_by("aanvraag_id", "jaar"))
    _sheet(wb, _("Aanvragen per jaar"),
           [_("Nummer"), _("Titel"), _("Regeling"), _("Aanvrager"), _("Gebied"), _("Status"),
            _("Uiterste beslisdatum"), _("Jaar"), *sums, _("Besteed")],
           [[j.aanvraag.nummer, j.aanvraag.titel, j.aanvraag.regeling.naam,
             j.aanvraag.aanvrager, j.aanvraag.gebied.naam if j.aanvraag.gebied_id else "",
             j.aanvraag.get_status_display(), j.aanvraag.uiterste_beslisdatum, j.jaar,
             j.gevraagd, j.toegekend, j.betaald, j.vastgesteld, j.terugvordering, j.besteed]
            for j in jaren], money_columns=range(8, 14))
    _sheet(wb, _("Betalingen"),
           [_("Nummer"), _("Aanvrager"), _("Soort"), _("Subsidiejaar"), _("Betaald op"),
            _("Bedrag")],
           [[b.aanvraag.nummer, b.aanvraag.aanvrager, b.get_soort_display(), b.jaar, b.datum,
             b.bedrag] for b in selectors.betalingen(user, gemeente).order_by("datum", "pk")],
           money_columns=(5,))
    _sheet(wb, _("Beschikkingen"),
           [_("Kenmerk"), _("Nummer"), _("Aanvrager"), _("Soort"), _("Datum")],
           [[b.kenmerk, b.aanvraag.nummer, b.aanvraag.aanvrager, b.get_soort_display(), b.datum]
            for b in selectors.beschikkingen(user, gemeente).order_by("datum", "pk")])
    regels = selectors.wijkplanregels(user, gemeente).select_related(
        "versie__wijkplan__gebied").order_by("versie__wijkplan__gebied__naam", "versie__jaar",
                                             "versie_id", "activiteit__volgorde", "pk")
    _sheet(wb, _("Wijkplanbegrotingen"),
           [_("Gebied"), _("Wijkplan"), _("Versie"), _("Jaar"), _("Status"), _("Activiteit"),
            _("Omschrijving"), _("Bron"), _("Financier"), _("Bedrag")],
           [[r.versie.wijkplan.gebied.naam, r.versie.wijkplan.naam, r.versie.nummer,
             r.versie.jaar, r.versie.get_status_display(),
             r.activiteit.naam if r.activiteit_id else _("het plan als geheel"),
             r.omschrijving, r.get_bron_display(), r.financier, r.bedrag] for r in regels],
           money_columns=(9,))
    return xlsx_bytes(wb)
