"""What an import reports: its problems (`Probleem`, `Problemen`), the refusal of a whole file
(`ImportGeweigerd`, `weiger`, `command_error`) and what a run did (`Resultaat`)."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class Probleem:
    """One reason to refuse a file: row (1 = header line), column as the file names it, and a
    Dutch message (starting lower-case: it follows "Rij n, kolom 'x': ")."""

    rij: int
    kolom: str
    melding: str

    def __str__(self):
        if self.kolom:
            return _("Rij %(rij)s, kolom '%(kolom)s': %(melding)s") % {
                "rij": self.rij, "kolom": self.kolom, "melding": self.melding}
        return _("Rij %(rij)s: %(melding)s") % {"rij": self.rij, "melding": self.melding}


class ImportGeweigerd(ValidationError):
    """The whole file is refused; nothing was imported. `problemen`: [Probleem], by row
    (stable: within a row in the order they were found)."""

    def __init__(self, problemen):
        self.problemen = sorted(problemen, key=lambda p: p.rij)
        super().__init__([str(p) for p in self.problemen])

    def __str__(self):
        return "; ".join(str(p) for p in self.problemen)


def weiger(melding: str, rij: int = 1, kolom: str = ""):
    """Refuse the file with one problem."""
    raise ImportGeweigerd([Probleem(rij, kolom, melding)])


def command_error(exc: ImportGeweigerd, heading: str = ""):
    """The CommandError a management command raises for a refused file (exit code 1)."""
    from django.core.management.base import CommandError

    heading = heading or _("Niets ingelezen:")
    return CommandError(heading + "\n" + "\n".join(str(p) for p in exc.problemen))


MAX_PROBLEMEN = 200


class Problemen(list):
    """Problems found while reading, with a ceiling: past `maximum` one closing problem says
    there are more, and later ones are dropped (a file of a million bad rows stays cheap)."""

    def __init__(self, *args, maximum: int = MAX_PROBLEMEN):
        super().__init__(*args)
        self.maximum = maximum

    def melden(self, rij: int, kolom: str, melding: str):
        if len(self) < self.maximum:
            self.append(Probleem(rij, kolom, melding))
        elif len(self) == self.maximum:
            self.append(Probleem(rij, "", _(
                "er zijn nog meer fouten; herstel eerst deze en lees het bestand opnieuw in.")))

    def melden_form(self, form, rij: int, kolommen: dict | None = None):
        """The errors of a form that validated one row, as problems of that row. `kolommen`
        maps a form field to the column name in the file (default: the field name); non-field
        errors (the model's constraints) have no column."""
        kolommen = kolommen or {}
        for veld, errors in form.errors.as_data().items():
            kolom = "" if veld == forms.forms.NON_FIELD_ERRORS else kolommen.get(veld, veld)
            for error in errors:
                for melding in error.messages:
                    self.melden(rij, kolom, melding)

    def weiger_als_nodig(self):
        if self:
            raise ImportGeweigerd(self)


# --- the result of an import run --------------------------------------------------------------

VOORBEELD, INGELEZEN, ONGEWIJZIGD = "voorbeeld", "ingelezen", "ongewijzigd"


@dataclass
class Resultaat:
    """What one import run did, or as a preview would do. The counts are of the importer's
    own rows (regions, activiteiten, organisaties, metingen): `aangemaakt` new, `bijgewerkt`
    changed, `gesloten` closed (a register location that left the file; kept, never
    deleted), `ongewijzigd` already as the file has them.

    `status`: INGELEZEN (written), VOORBEELD (a preview: nothing written) or ONGEWIJZIGD (the
    very same file went in before: nothing changed). `codering`: the encoding the file was
    read in, for the page. An importer that keeps a record of each run (monitor's
    ImportBatch) gives it as `batch`, the earlier runs this one replaced as `vervangen`, its
    preview of the rows and problems as `voorbeeld`, and the derived rows it rebuilt
    afterwards (monitor's rollup) as `afgeleid`."""

    aangemaakt: int = 0
    bijgewerkt: int = 0
    gesloten: int = 0
    ongewijzigd: int = 0
    status: str = INGELEZEN
    codering: str = ""
    voorbeeld: object = None
    batch: object = None
    vervangen: list = field(default_factory=list)
    afgeleid: int = 0

    def regel(self) -> str:
        """The counts as a management command prints them."""
        return (f"aangemaakt {self.aangemaakt}, bijgewerkt {self.bijgewerkt}, "
                f"gesloten {self.gesloten}, ongewijzigd {self.ongewijzigd}")
