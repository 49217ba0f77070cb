"""The trace of each import run: `vastgelegd` records every run of an import's entry point as
an `ImportPoging` (gone in, or refused with its problems), and `SOORTEN` names the kinds of
import that do so, for the attention list."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ValidationError

# {soort: label} of the imports that record their runs (`vastgelegd`), for the attention list.
SOORTEN: dict[str, object] = {}
MAX_BEWAARDE_PROBLEMEN = 20


@dataclass(frozen=True)
class Poging:
    """What `beschrijf` says about one call of an import: where, by whom, which file, about
    what (`onderwerp`, e.g. "versie-12"; '' when the soort is about the whole gemeente), and
    the page to go to about it."""

    gemeente: object
    door: object
    bestandsnaam: str
    onderwerp: str = ""
    url: str = ""


def vastgelegd(soort: str, label, beschrijf: Callable[..., Poging | None]):
    """Record every run of the decorated import function as a `core.models.ImportPoging`:
    gone in, or refused (a ValidationError, e.g. ImportGeweigerd) with its problems; the
    exception then goes on to the caller unchanged. `beschrijf` gets the function's arguments
    and returns a `Poging`, or None for a call that is no import run (a preview). Put it
    outside the function's `transaction.atomic`, so the refusal is written after the import's
    own changes were rolled back. A PermissionDenied is no import run: not recorded.

        @imports.vastgelegd("regions.cbs", _("CBS-regio's"),
                            lambda actor, gemeente, data, **kw: imports.Poging(gemeente, actor,
                                                                               kw.get("naam", "")))
        @transaction.atomic
        def importeer(actor, gemeente, data, ...):
    """
    SOORTEN[soort] = label

    def decorate(fn):
        @wraps(fn)
        def run(*args, **kwargs):
            poging = beschrijf(*args, **kwargs)
            if poging is None:
                return fn(*args, **kwargs)
            try:
                result = fn(*args, **kwargs)
            except ValidationError as exc:
                problemen = [str(p) for p in getattr(exc, "problemen", None) or exc.messages]
                _leg_vast(soort, poging, gelukt=False, problemen=problemen)
                raise
            _leg_vast(soort, poging, gelukt=True, problemen=[])
            return result

        return run

    return decorate


def _leg_vast(soort, poging: Poging, *, gelukt: bool, problemen: list[str]):
    from core.models import ImportPoging

    door = poging.door if getattr(poging.door, "is_authenticated", False) else None
    ImportPoging.objects.create(
        gemeente_id=getattr(poging.gemeente, "pk", poging.gemeente), soort=soort,
        onderwerp=poging.onderwerp[:100], bestandsnaam=(poging.bestandsnaam or "")[:255],
        door=door, gelukt=gelukt, problemen=problemen[:MAX_BEWAARDE_PROBLEMEN],
        aantal_problemen=len(problemen), url=poging.url[:500])


def soort_label(soort: str):
    return SOORTEN.get(soort, soort)
