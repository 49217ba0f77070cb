"""How monitor values are shown to people (pages and exports): Dutch number format, units,
status texts, trend and target texts. Pure functions on selector results; no queries.

A suppressed value is never a number here: its text is "onderdrukt (minder dan N)".
"""

from dataclasses import dataclass

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
        return _("onderdrukt (minder dan %(n)s)") % {"n": minimum_n}
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


def samenvatting(summary: dict, minimum_n: int) -> dict:
    """A selectors summary ({indicator, punten, laatste, trend, streefwaarde, streef_status})
    with display fields added."""
    indicator = summary["indicator"]
    laatste = summary["laatste"]
    return {**summary,
            "cel": cel(indicator, laatste, minimum_n),
            "periode": laatste.periode if laatste else None,
            "trend_weergave": trend_weergave(indicator, summary["trend"]),
            "streef": streef_weergave(indicator, summary["streefwaarde"],
                                      summary["streef_status"])}


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
