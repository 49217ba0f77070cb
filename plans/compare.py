"""What changed between two versions of a wijkplan.

Pijlers and activiteiten are matched by their `sleutel`, which bijstellen carries over to the
copy; so a renamed pijler (Participatie → Inclusie) is a rename, not a removal plus an addition.
Items without a matching sleutel (e.g. typed in again) fall back to matching by name. Stuurgroep
roles are compared from the snapshots stored at vaststellen (a concept uses today's roles).

Texts are compared as words: a difference only in line endings (Windows CRLF from a paste) or
spacing is no change, and a changed text shows which words went and came (`Wijziging.delen`).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from monitor import weergave
from plans.services import rollen_snapshot


def gelijk(oud, nieuw) -> bool:
    """Equal apart from line endings and whitespace."""
    return str(oud or "").split() == str(nieuw or "").split()


_TOKENS = re.compile(r"\s+|[^\s]+")


def woordverschil(oud: str, nieuw: str) -> list[tuple[str, str]]:
    """[(soort, tekst)] with soort "gelijk", "weg" or "nieuw": the words of `oud` and `nieuw`
    in reading order, the changed ones marked. Whitespace is kept as in the new text (line
    breaks stay line breaks, CRLF becomes LF)."""
    oud, nieuw = ("" if str(t or "").strip() == "–" else t for t in (oud, nieuw))  # "none"
    oud_w = str(oud or "").split()
    nieuw_t = _TOKENS.findall(str(nieuw or "").replace("\r\n", "\n").replace("\r", "\n"))
    # Indices of the words among the new tokens (the rest is whitespace between them).
    woord_at = [i for i, t in enumerate(nieuw_t) if not t.isspace()]
    nieuw_w = [nieuw_t[i] for i in woord_at]
    delen = []

    def ruimte_na(j):  # the whitespace after new word j, if any
        i = woord_at[j] + 1
        return nieuw_t[i] if i < len(nieuw_t) and nieuw_t[i].isspace() else ""

    def add(soort, tekst):
        if delen and delen[-1][0] == soort:
            delen[-1] = (soort, delen[-1][1] + tekst)
        else:
            delen.append((soort, tekst))

    matcher = difflib.SequenceMatcher(a=oud_w, b=nieuw_w, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            add("weg", " ".join(oud_w[a1:a2]) + " ")
        if op in ("replace", "insert", "equal"):
            soort = "gelijk" if op == "equal" else "nieuw"
            for j in range(b1, b2):
                add(soort, nieuw_w[j] + ruimte_na(j))
    return delen


@dataclass
class Wijziging:
    veld: str
    oud: str
    nieuw: str

    @property
    def delen(self):
        return woordverschil(self.oud, self.nieuw)


@dataclass
class Verschil:
    soort: str  # "toegevoegd", "verwijderd", "gewijzigd"
    naam: str
    oud: object = None
    nieuw: object = None
    wijzigingen: list = field(default_factory=list)
    hernoemd: bool = False


def _match(oude, nieuwe, naam=lambda o: o.naam):
    """[(old or None, new or None)] matched by sleutel, then by name."""
    by_key = {o.sleutel: o for o in oude}
    pairs, rest_new = [], []
    used = set()
    for n in nieuwe:
        o = by_key.get(n.sleutel)
        if o is not None:
            pairs.append((o, n))
            used.add(o.pk)
        else:
            rest_new.append(n)
    rest_old = {naam(o).strip().lower(): o for o in oude if o.pk not in used}
    for n in rest_new:
        o = rest_old.pop(naam(n).strip().lower(), None)
        pairs.append((o, n))
    pairs.extend((o, None) for o in rest_old.values())
    return pairs


def _doelen(obj):
    return ", ".join(str(d.nummer) for d in obj.klaverblad_doelen()) or "–"


def _orgs(qs):
    return ", ".join(sorted(o.naam for o in qs.all())) or "–"


def _streefwaarden(a):
    return "; ".join(weergave.streefwaarde_tekst(s) for s in a.streefwaarden.all()) or "–"


def _act_fields(a):
    return [
        (_("naam"), a.naam),
        (_("pijler"), a.pijler.naam),
        (_("beschrijving"), a.beschrijving),
        (_("trekker"), a.trekker.naam if a.trekker_id else "–"),
        (_("partnerorganisaties"), _orgs(a.partners)),
        (_("locaties en scholen"), _orgs(a.locaties)),
        (_("andere plek"), a.locatie_omschrijving),
        (_("doelgroep"), str(a.doelgroep())),
        (_("start"), a.start.isoformat() if a.start else "–"),
        (_("einde"), a.eind.isoformat() if a.eind else "–"),
        (_("beoogde resultaten"), a.beoogde_resultaten),
        (_("te behalen resultaten"), _streefwaarden(a)),
        (_("status"), a.get_status_display()),
        (_("Klaverblad-doelen"), _doelen(a)),
    ]


def _pijler_fields(p):
    return [(_("naam"), p.naam), (_("doelen"), p.doelen), (_("Klaverblad-doelen"), _doelen(p))]


def _diff_fields(old_fields, new_fields):
    return [Wijziging(str(label), str(o), str(n))
            for (label, o), (_label, n) in zip(old_fields, new_fields, strict=True)
            if not gelijk(o, n)]


def _compare(oude, nieuwe, fields):
    result = []
    for o, n in _match(oude, nieuwe):
        if o is None:
            result.append(Verschil("toegevoegd", n.naam, nieuw=n))
        elif n is None:
            result.append(Verschil("verwijderd", o.naam, oud=o))
        else:
            changes = _diff_fields(fields(o), fields(n))
            if changes:
                result.append(Verschil("gewijzigd", n.naam, oud=o, nieuw=n, wijzigingen=changes,
                                       hernoemd=o.naam != n.naam))
    order = {"gewijzigd": 0, "toegevoegd": 1, "verwijderd": 2}
    return sorted(result, key=lambda v: order[v.soort])


def _rol_key(rol):
    if rol["rol"] != "lid":
        return rol["rol"]
    return "lid:" + (rol.get("titel") or rol.get("organisatie") or rol.get("persoon") or "")


def _rol_label(rol):
    label = rol.get("titel") or rol.get("rol_label") or rol["rol"]
    if rol.get("organisatie") and rol.get("organisatie") != label:
        label = f"{label} ({rol['organisatie']})"
    return label[:1].upper() + label[1:]


def rollen_van(versie):
    return versie.rollen_snapshot if versie.vastgesteld_op else rollen_snapshot(versie)


def _compare_rollen(oud, nieuw):
    old = {_rol_key(r): r for r in oud}
    new = {_rol_key(r): r for r in nieuw}
    result = []
    for key, r in new.items():
        if key not in old:
            result.append(Verschil("toegevoegd", _rol_label(r), nieuw=r))
        else:
            o = old[key]
            changes = []
            for veld, label in (("titel", _("titel")), ("organisatie", _("organisatie")),
                                ("persoon", _("persoon"))):
                if not gelijk(o.get(veld), r.get(veld)):
                    changes.append(Wijziging(str(label), o.get(veld) or "–", r.get(veld) or "–"))
            if not gelijk(" ".join(o.get("taken", [])), " ".join(r.get("taken", []))):
                changes.append(Wijziging(str(_("taken")), "; ".join(o.get("taken", [])) or "–",
                                         "; ".join(r.get("taken", [])) or "–"))
            if changes:
                result.append(Verschil("gewijzigd", _rol_label(r), oud=o, nieuw=r,
                                       wijzigingen=changes))
    for key, r in old.items():
        if key not in new:
            result.append(Verschil("verwijderd", _rol_label(r), oud=r))
    order = {"gewijzigd": 0, "toegevoegd": 1, "verwijderd": 2}
    return sorted(result, key=lambda v: order[v.soort])


def vergelijk(oud, nieuw):
    """Both versions loaded with selectors.versie_met_inhoud."""
    tekst = [Wijziging(str(label), getattr(oud, veld), getattr(nieuw, veld))
             for veld, label in (("jaar", _("jaar")), ("titel", _("titel")),
                                 ("inleiding", _("inleiding")),
                                 ("organisatie", _("organisatie")),
                                 ("speerpunten", _("speerpunten")))
             if not gelijk(getattr(oud, veld), getattr(nieuw, veld))]
    return {
        "tekst": tekst,
        "pijlers": _compare(list(oud.pijlers.all()), list(nieuw.pijlers.all()), _pijler_fields),
        "activiteiten": _compare(list(oud.activiteiten.all()), list(nieuw.activiteiten.all()),
                                 _act_fields),
        "rollen": _compare_rollen(rollen_van(oud), rollen_van(nieuw)),
    }

