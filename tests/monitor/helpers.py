"""Helpers shared by the monitor tests and the tests of other apps that use targets."""

from core.models import User
from core.periods import JAAR, Periode
from monitor import services
from monitor.models import Indicator, Streefwaarde
from regions.models import Region


def streefwaarde(gemeente, *, gebied=None, code="armoede_kind", jaar=2024, waarde=14.0):
    """A target saved by the gemeente's beleidsmedewerker through the monitor service, for a
    gebied or (gebied None) the whole gemeente (its CBS gemeente region)."""
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    region = None if gebied else Region.objects.get(gemeente=gemeente, code=gemeente.cbs_code,
                                                    jaar=2022)
    return services.save_streefwaarde(beleid, Streefwaarde(
        gemeente=gemeente, indicator=Indicator.objects.get(gemeente=gemeente, code=code),
        gebied=gebied, region=region, periode=Periode(JAAR, jaar), waarde=waarde))
