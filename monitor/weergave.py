"""How monitor values are shown to people (pages and exports): Dutch number format, units,
status texts, trend and target texts, and the small HTML fragments of a value (also the
template tags of monitor_weergave). Pure functions on selector results; no queries.

A suppressed value is never a number here: its text is "onderdrukt (privacy, minimum N)",
the same for a figure that is too small and for one hidden so that a small one cannot be
computed (monitor.suppressie): telling them apart would point at the small ones.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from monitor.models import Eenheid, Indicator, Status


def getal(value: float, decimalen: int = 1) -> str:
    """12345.67 → '12.345,7' (Dutch: dot for thousands, comma for decimals; a fixed number
    of decimals, so a column of figures lines up)."""
    tekst = f"{value:,.{decimalen}f}"
    return tekst.replace(",", "_").replace(".", ",").replace("_", ".")


def met_eenheid(indicator: Indicator, value: float) -> str:
    if indicator.eenheid == Eenheid.PERCENTAGE:
        return f"{getal(value)}%"
    if indicator.eenheid == Eenheid.PER_1000:
        return _("%(getal)s per 1.000") % {"getal": getal(value)}
    if indicator.eenheid == Eenheid.DAGEN:
        return _("%(getal)s dagen") % {"getal": getal(value, 0)}
    if indicator.eenheid == Eenheid.AANTAL:
        return getal(value, 0)
    return getal(value)


@dataclass(frozen=True)
class Cel:
    """One value as shown: `tekst` for people, `getal` for the chart (None = no point),
    `status` for CSS and the export, `afgerond` for the CBS rounding mark."""

    tekst: str
    getal: float | None
    status: str
    afgerond: bool = False
    breuk: bool = False
    indeling_jaar: int | None = None

    @property
    def heeft_getal(self) -> bool:
        return self.getal is not None


def status_tekst(status: str, minimum_n: int) -> str:
    if status == Status.ONDERDRUKT:
        return _("onderdrukt (privacy, minimum %(n)s)") % {"n": minimum_n}
    if status == Status.GEHEIM:
        return _("geheim (CBS)")
    if status == Status.ONVOLLEDIG:
        return _("onvolledig (niet voor alle wijken en buurten een cijfer)")
    return _("geen cijfer")


def cel(indicator: Indicator, punt, minimum_n: int) -> Cel:
    """The presentation of one selectors.Punt (or None: no figure)."""
    if punt is None:
        return Cel(_("geen cijfer"), None, "")
    if punt.waarde is None or punt.status == Status.ONDERDRUKT:
        return Cel(status_tekst(punt.status, minimum_n), None, punt.status, breuk=punt.breuk,
                   indeling_jaar=punt.indeling_jaar)
    return Cel(met_eenheid(indicator, punt.waarde), punt.waarde, punt.status,
               afgerond=punt.status == Status.AFGEROND, breuk=punt.breuk,
               indeling_jaar=punt.indeling_jaar)


# trend() result → (arrow, text). The arrow shows the direction of the number; the text says
# whether that is good, so colour and arrow are never the only carriers of meaning.
def trend_weergave(indicator: Indicator, trend: str | None) -> dict | None:
    if trend is None:
        return None
    hoger_beter = indicator.richting == Indicator.Richting.HOGER
    if trend == "gelijk":
        return {"pijl": "→", "tekst": _("gelijk gebleven"), "soort": "gelijk"}
    if trend == "stijgend":
        return {"pijl": "↑", "tekst": _("gestegen"), "soort": "context"}
    if trend == "dalend":
        return {"pijl": "↓", "tekst": _("gedaald"), "soort": "context"}
    omhoog = (trend == "beter") == hoger_beter
    pijl = "↑" if omhoog else "↓"
    if trend == "beter":
        tekst = _("beter (gestegen)") if omhoog else _("beter (gedaald)")
    else:
        tekst = _("slechter (gestegen)") if omhoog else _("slechter (gedaald)")
    return {"pijl": pijl, "tekst": tekst, "soort": trend}


def streef_weergave(indicator: Indicator, streefwaarde, status: str | None) -> dict | None:
    if streefwaarde is None:
        return None
    doel = _("streefwaarde %(waarde)s in %(periode)s") % {
        "waarde": met_eenheid(indicator, streefwaarde.waarde),
        "periode": streefwaarde.periode.label}
    if status == "gehaald":
        return {"tekst": _("gehaald"), "doel": doel, "soort": "gehaald"}
    if status == "niet_gehaald":
        return {"tekst": _("niet gehaald"), "doel": doel, "soort": "niet-gehaald"}
    return {"tekst": _("nog niet te beoordelen"), "doel": doel, "soort": "open"}


# --- HTML fragments ----------------------------------------------------------------------------

def cel_html(c: Cel | None) -> str:
    """A Cel: the number, marked when CBS-rounded; else the status in words."""
    if c is None:
        return ""
    if c.heeft_getal:
        return _getal_html(c.tekst, _("afgerond") if c.afgerond else None)
    return format_html('<span class="mon-geen mon-status-{}">{}</span>', c.status or "leeg",
                       c.tekst)


def _getal_html(tekst: str, afgerond: str | None) -> str:
    if afgerond:
        return format_html('<span class="mon-getal">{}</span> <span class="mon-afgerond">({})'
                           '</span>', tekst, afgerond)
    return format_html('<span class="mon-getal">{}</span>', tekst)


def trend_html(t: dict | None) -> str:
    """A trend_weergave dict: the arrow only repeats the words (CSS content)."""
    if not t:
        return format_html('<span class="og-muted">{}</span>', _("geen trend"))
    return format_html('<span class="mon-trend mon-trend-{}"><span aria-hidden="true" '
                       'class="mon-pijl" data-pijl="{}"></span> {}</span>', t["soort"],
                       t["pijl"], t["tekst"])


def streef_html(s: dict | None) -> str:
    """A streef_weergave dict: reached or not, and the target itself."""
    if not s:
        return format_html('<span class="og-muted">{}</span>', _("geen streefwaarde"))
    return format_html('<span class="mon-streef mon-streef-{}">{}</span><br><span '
                       'class="og-muted mon-klein">{}</span>', s["soort"], s["tekst"],
                       s["doel"])


def periode_html(periode) -> str:
    if periode is None:
        return mark_safe("")
    return format_html(' <span class="og-muted mon-klein">({})</span>', periode.label)


class Dashboard:
    """The display of dashboard summaries (selectors.laatste_waarden, gebied_overzicht) for one
    page, in one pass: every value becomes its finished HTML fragment here, so the template
    only places strings. Fragments that repeat on a page (a direction, a trend in words, a
    suppressed or missing value, "geen streefwaarde") are built and translated once per page,
    not once per row; every number is formatted from its own point."""

    def __init__(self, minimum_n: int):
        self.minimum_n = minimum_n
        self._eens = {}
        self._afgerond = _("afgerond")

    def _memo(self, key, maak):
        value = self._eens.get(key)
        if value is None:
            value = self._eens[key] = maak()
        return value

    def richting(self, indicator) -> str:
        return self._memo(("richting", indicator.richting), indicator.get_richting_display)

    def cel(self, indicator, punt) -> str:
        if punt is None or punt.waarde is None or punt.status == Status.ONDERDRUKT:
            status = punt.status if punt is not None else None
            return self._memo(("zonder getal", status), lambda: cel_html(
                cel(indicator, punt, self.minimum_n)))
        return _getal_html(met_eenheid(indicator, punt.waarde),
                           self._afgerond if punt.status == Status.AFGEROND else None)

    def trend(self, indicator, trend) -> str:
        return self._memo(("trend", indicator.richting, trend), lambda: trend_html(
            trend_weergave(indicator, trend)))

    def streef(self, indicator, streefwaarde, status) -> str:
        if streefwaarde is None:
            return self._memo(("geen streefwaarde",), lambda: streef_html(None))
        return streef_html(streef_weergave(indicator, streefwaarde, status))

    def periode(self, periode) -> str:
        """' (2024)' after a value: the periode it is of."""
        return self._memo(("periode", periode), lambda: periode_html(periode))

    def periode_label(self, periode) -> str:
        if periode is None:
            return "–"
        return self._memo(("label", periode), lambda: periode.label)

    def samenvatting(self, summary: dict) -> dict:
        """A selectors summary → {"indicator", "cel" (HTML), "periode" (Periode | None),
        "trend", "streef", "land" (HTML of Nederland, with its periode when that differs),
        "afgerond" (bool: a CBS-rounded figure), "heeft_land" (bool)}."""
        indicator, laatste, land = summary["indicator"], summary["laatste"], summary["land"]
        periode = laatste.periode if laatste is not None else None
        land_html = self.cel(indicator, land)
        if land is not None and land.periode != periode:
            land_html += self.periode(land.periode)
        return {"indicator": indicator, "cel": self.cel(indicator, laatste), "periode": periode,
                "trend": self.trend(indicator, summary["trend"]),
                "streef": self.streef(indicator, summary["streefwaarde"],
                                      summary["streef_status"]),
                "land": land_html, "heeft_land": land is not None,
                "afgerond": laatste is not None and laatste.status == Status.AFGEROND}


def voortgang_weergave(indicator: Indicator, streefwaarde, status: str | None) -> dict:
    """streef_weergave for a selectors.streef_voortgang status, which adds 'op_koers' and
    'niet_op_koers' (a target that lies ahead, judged by the latest value)."""
    weergave = streef_weergave(indicator, streefwaarde, None)
    if status == "op_koers":
        return {**weergave, "tekst": _("op koers"), "soort": "op-koers"}
    if status == "niet_op_koers":
        return {**weergave, "tekst": _("nog niet op koers"), "soort": "niet-op-koers"}
    return streef_weergave(indicator, streefwaarde, status)


def streefwaarde_tekst(streefwaarde) -> str:
    """One target in words: "Kinderen in armoede – SPT – 2024: 10,0%" (indicator, gebied or
    'hele gemeente', periode, waarde)."""
    return _("%(indicator)s – %(waar)s – %(periode)s: %(waarde)s") % {
        "indicator": streefwaarde.indicator.naam,
        "waar": streefwaarde.gebied.naam if streefwaarde.gebied_id else _("hele gemeente"),
        "periode": streefwaarde.periode.label,
        "waarde": met_eenheid(streefwaarde.indicator, streefwaarde.waarde)}


# --- the indicator page, the exports and the import preview ------------------------------------

def indicator_tabel(indicator, reeksen, minimum_n) -> dict:
    """Rows per periode, columns gemeente, Nederland (when imported) and the gebieden, cells as
    Cel."""
    kolommen = [{"naam": _("Gemeente"), "gemeente": True, "punten": reeksen["gemeente"]}]
    if reeksen["land"]:
        kolommen.append({"naam": _("Nederland"), "land": True, "punten": reeksen["land"]})
    kolommen += [{"naam": g["gebied"].naam, "gebied": g["gebied"], "punten": g["punten"]}
                 for g in reeksen["gebieden"]]
    rijen = [{"periode": p, "cellen": [cel(indicator, k["punten"].get(p), minimum_n)
                                      for k in kolommen]}
             for p in reeksen["periodes"]]
    for rij in rijen:
        rij["breuk"] = any(c.breuk for c in rij["cellen"])
    breuken = sorted({(r["periode"], c.indeling_jaar) for r in rijen for c in r["cellen"]
                      if c.breuk}, key=lambda x: x[0])
    return {"kolommen": kolommen, "rijen": rijen, "breuken": breuken,
            "heeft_land": bool(reeksen["land"]),
            "heeft_afgerond": any(c.afgerond for r in rijen for c in r["cellen"]),
            "heeft_onderdrukt": any(c.status == Status.ONDERDRUKT for r in rijen
                                    for c in r["cellen"])}


EXPORT_KOPPEN = ["indicator", "naam_indicator", "eenheid", "periode", "soort", "code", "naam",
                 "waarde", "teller", "noemer", "status", "toelichting", "breuk_in_reeks",
                 "cbs_indeling"]


def export_tabel(indicator, rijen, minimum_n) -> list[list]:
    """Rows for CSV/XLSX. A suppressed or secret value has no number, only its status text."""
    result = []
    for rij in rijen:
        p = rij["punt"]
        zonder_getal = p.waarde is None or p.status == Status.ONDERDRUKT
        toelichting = ""
        if zonder_getal:
            toelichting = status_tekst(p.status, minimum_n)
        elif p.status == Status.AFGEROND:
            toelichting = _("afgerond door het CBS; wijken en buurten tellen niet precies op "
                            "tot de gemeente")
        result.append([
            indicator.code, indicator.naam, indicator.get_eenheid_display(), p.periode.code,
            rij["soort"], rij["code"], rij["naam"],
            None if zonder_getal else round(p.waarde, 4),
            None if zonder_getal else p.teller, None if zonder_getal else p.noemer,
            p.status, toelichting, _("ja") if p.breuk else "", p.indeling_jaar])
    return result


def voorbeeld_rij(rij: dict, voorbeeld, minimum_n: int) -> dict:
    """A preview row with Dutch numbers; a row on fewer than minimum_n is suppressed here too,
    as on every other page."""
    def fmt(value, decimalen):
        return "–" if value is None else getal(value, decimalen)

    indicator = next((i for i in voorbeeld.indicatoren.values() if i.code == rij["indicator"]),
                     None)
    n = rij["noemer"] if rij["noemer"] is not None else (
        rij["waarde"] if indicator is not None and indicator.eenheid == "aantal" else None)
    if n is not None and n < minimum_n:
        tekst = status_tekst(Status.ONDERDRUKT, minimum_n)
        return {**rij, "waarde": tekst, "teller": "–", "noemer": "–",
                "status": Status(rij["status"]).label}
    return {**rij, "waarde": fmt(rij["waarde"], 2),
            "teller": fmt(rij["teller"], 0 if rij["teller"] == int(rij["teller"] or 0) else 2),
            "noemer": fmt(rij["noemer"], 0 if rij["noemer"] == int(rij["noemer"] or 0) else 2),
            "status": Status(rij["status"]).label if rij["status"] in Status.values
            else rij["status"]}
