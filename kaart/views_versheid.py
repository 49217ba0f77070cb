"""How current the kaart is per aanbieder: the redacteur sees every aanbieder, a partner their
own organisation; other roles read the gemeente's figure in the monitor."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views import generic

from core import policy
from core.crud import GemeenteMixin
from kaart import indicator, selectors
from kaart.models import Aanbieder, KaartInstelling
from monitor.models import Indicator


def zichtbare_organisaties(user, gemeente) -> set[int] | None:
    """The organisaties whose share `user` may see: None for every one (the redacteur), the
    partner's own, or an empty set (nobody else). The rule is the Aanbieder's view rule."""
    return policy.organisatie_ids(user, policy.VIEW, Aanbieder, gemeente)


class VersheidView(GemeenteMixin, generic.TemplateView):
    template_name = "kaart/versheid.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ids = zichtbare_organisaties(self.request.user, self.gemeente)
        if ids is not None and not ids:
            raise PermissionDenied
        instelling = KaartInstelling.voor(self.gemeente)
        ctx.update(
            rijen=selectors.versheid_per_organisatie(self.gemeente, ids),
            totaal=(selectors.versheid_telling(selectors.basis_queryset(self.gemeente),
                                               instelling) if ids is None else None),
            instelling=instelling,
            indicator=Indicator.objects.filter(gemeente=self.gemeente,
                                               code=indicator.CODE).first())
        return ctx


def organisatie_paneel(user, organisatie) -> dict | None:
    """The organisation page's section (network.panelen): this organisatie's share, for the
    redacteur and its own partners, when it has aanbod."""
    ids = zichtbare_organisaties(user, organisatie.gemeente_id)
    if ids is not None and organisatie.pk not in ids:
        return None
    rijen = selectors.versheid_per_organisatie(organisatie.gemeente, [organisatie.pk])
    if not rijen:
        return None
    return {"rijen": rijen, "url": reverse("kaart:versheid",
                                           kwargs={"gemeente": organisatie.gemeente.slug})}
