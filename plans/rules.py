"""Plan-specific permission questions, answered from core.policy's memberships.

Model-level rights (who may view/add/change/delete a wijkplan, activiteit, ...) are rules in
core.policy (registered in PlansConfig.ready). Vaststellen is not a model action: it belongs to
the voorzitter of the gebied's stuurgroep (a stuurgroeplid of that gebied who holds the
voorzitter seat) or a beleidsmedewerker of the gemeente.
"""

from django.utils.translation import gettext as _

from core import policy
from core.models import Role
from network.models import StuurgroepRol


def vaststeller_rol(user, versie) -> str | None:
    """In which capacity `user` may vaststellen `versie`, or None."""
    mine = [m for m in policy.memberships(user) if m.gemeente_id == versie.gemeente_id]
    if any(m.role == Role.BELEIDSMEDEWERKER for m in mine):
        return _("beleidsmedewerker")
    gebied_id = versie.wijkplan.gebied_id
    if not any(m.role == Role.STUURGROEPLID and m.gebied_id == gebied_id for m in mine):
        return None
    is_voorzitter = StuurgroepRol.objects.filter(
        gemeente_id=versie.gemeente_id, stuurgroep__gebied_id=gebied_id,
        rol=StuurgroepRol.Rol.VOORZITTER, persoon__user=user).exists()
    return _("voorzitter van de stuurgroep") if is_voorzitter else None


def may_vaststellen(user, versie) -> bool:
    return vaststeller_rol(user, versie) is not None
