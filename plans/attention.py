"""What waits in the wijkplannen, for the home page (core/attention.py):

- stuurgroeplid: aangeboden versions of their gebied's wijkplan to vaststellen, for the one
  who may (the voorzitter; plans.selectors.te_vaststellen);
- gebiedscoördinator: activiteiten without a progress report this quarter, concepts the
  stuurgroep sent back and that were not offered again (plans.selectors.teruggestuurd);
- partner: activiteiten their organisatie trekt without a report this quarter;
- raadslid: versions vastgesteld in the last RECENT_DAYS days.

Registered in PlansConfig.ready. Each function runs a fixed number of queries.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import attention
from core.models import Role
from core.periods import KWARTAAL, Periode
from plans import selectors
from plans.models import WijkplanVersie

RECENT_DAYS = 30
S = WijkplanVersie.Status




@attention.provider
def stuurgroep(ctx):
    if not ctx.gebied_ids(Role.STUURGROEPLID):
        return
    yield from attention.capped(
        selectors.te_vaststellen(ctx.user, ctx.gemeente),
        lambda v: attention.Item(
            title=_("Vaststellen: %(plan)s, versie %(n)s (%(jaar)s)") % {
                "plan": v.wijkplan.naam, "n": v.nummer, "jaar": v.jaar},
            url=v.get_absolute_url(), detail=str(v.wijkplan.gebied),
            category=_("Wijkplannen")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s versies om vast te stellen") % {"n": n},
            url=reverse("plans:wijkplan-list", kwargs={"gemeente": ctx.gemeente.slug}),
            category=_("Wijkplannen")))


def rapportage_items(ctx, **scope):
    """Activiteiten in `scope` that run now and have no report this quarter."""
    kwartaal = Periode.containing(ctx.today, KWARTAAL)
    activiteiten = (selectors.zonder_rapportage(kwartaal, gemeente=ctx.gemeente, **scope)
                    .select_related("gemeente", "versie__wijkplan__gebied")
                    .order_by("versie__wijkplan__gebied__naam", "naam", "pk"))
    list_url = reverse("plans:wijkplan-list", kwargs={"gemeente": ctx.gemeente.slug})
    return attention.capped(
        activiteiten,
        lambda a: attention.Item(
            title=_("Voortgang rapporteren: %(activiteit)s") % {"activiteit": a.naam},
            url=a.get_absolute_url(), deadline=kwartaal.end,
            detail=_("%(kwartaal)s, %(gebied)s") % {"kwartaal": kwartaal.label,
                                                   "gebied": a.versie.wijkplan.gebied},
            category=_("Voortgang")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s activiteiten zonder voortgang dit kwartaal") % {"n": n},
            url=list_url, deadline=kwartaal.end, category=_("Voortgang")))


@attention.provider
def coordinator(ctx):
    gebieden = ctx.gebied_ids(Role.GEBIEDSCOORDINATOR)
    if not gebieden:
        return
    yield from rapportage_items(ctx, versie__wijkplan__gebied_id__in=gebieden)
    yield from attention.capped(
        selectors.teruggestuurd(ctx.user, ctx.gemeente),
        lambda v: attention.Item(
            title=_("Teruggestuurd door de stuurgroep: %(plan)s, versie %(n)s") % {
                "plan": v.wijkplan.naam, "n": v.nummer},
            url=v.get_absolute_url(), detail=str(v.wijkplan.gebied),
            category=_("Wijkplannen")))


@attention.provider
def partner(ctx):
    organisaties = ctx.organisatie_ids(Role.PARTNER)
    if not organisaties:
        return
    yield from rapportage_items(ctx, trekker_id__in=organisaties)


@attention.provider
def raad(ctx):
    if Role.RAADSLID not in ctx.roles:
        return
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    yield from attention.capped(
        WijkplanVersie.objects.filter(gemeente=ctx.gemeente, status=S.VASTGESTELD,
                                      vastgesteld_op__gte=since)
        .select_related("gemeente", "wijkplan").order_by("-vastgesteld_op", "-pk"),
        lambda v: attention.Item(
            title=_("Vastgesteld: %(plan)s, versie %(n)s (%(jaar)s)") % {
                "plan": v.wijkplan.naam, "n": v.nummer, "jaar": v.jaar},
            url=v.get_absolute_url(),
            detail=_("op %(datum)s") % {
                "datum": timezone.localtime(v.vastgesteld_op).strftime("%d-%m-%Y")},
            category=_("Wijkplannen")))
