"""Reads both parts of participation share: the gemeente's settings and its primary schools."""

from network.models import Organisatie
from participation.models import Instelling


def instelling_for(gemeente) -> Instelling:
    """The gemeente's settings, or the defaults (unsaved) when it has none yet."""
    gemeente_id = getattr(gemeente, "pk", gemeente)
    return (Instelling.objects.filter(gemeente_id=gemeente_id).first()
            or Instelling(gemeente_id=gemeente_id))




def basisscholen(gemeente):
    return Organisatie.objects.filter(gemeente=gemeente,
                                      type=Organisatie.Type.BASISSCHOOL).order_by("naam")

