"""What waits in the subsidies, for the home page (core/attention.py):

- beleidsmedewerker: aanvragen past (or within BINNENKORT_DAGEN of) their beslistermijn;
  verantwoordingen to assess (vaststellen), flagged when more was spent than granted (with the
  grantee's reason; the beleidsmedewerkers were also told through the outbox);
- partner: aanvragen of their organisatie still to complete (concept, or aanvulling gevraagd);
  verantwoordingen due for granted aanvragen.

Deadlines: the beslistermijn is `Aanvraag.uiterste_beslisdatum`; a verantwoording is due
VERANTWOORDING_WEKEN after the last subsidy year (`verantwoording_uiterlijk`); the gemeente
assesses it within VASTSTELLING_WEKEN of its submission.

Registered in FinanceConfig.ready. Each function runs a fixed number of queries.
"""

import datetime

from django.db.models import Exists, F, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core import attention
from core.models import Role
from finance.models import Aanvraag, AanvraagJaar

BINNENKORT_DAGEN = 14
VERANTWOORDING_WEKEN = 13
VASTSTELLING_WEKEN = 8


def verantwoording_uiterlijk(laatste_jaar: int) -> datetime.date:
    """When the verantwoording of a grant whose last subsidy year is `laatste_jaar` is due."""
    return datetime.date(laatste_jaar, 12, 31) + datetime.timedelta(weeks=VERANTWOORDING_WEKEN)


def te_verantwoorden(gemeente, **scope):
    """Granted aanvragen without a verantwoording, with `laatste_jaar`, the soonest due first."""
    return (Aanvraag.objects.filter(gemeente=gemeente, status=Aanvraag.Status.VERLEEND,
                                    verantwoording__isnull=True, **scope)
            .annotate(laatste_jaar=Max("jaren__jaar")).filter(laatste_jaar__isnull=False)
            .select_related("gemeente").order_by("laatste_jaar", "pk"))


def list_url(ctx, name="finance:aanvraag-list"):
    return reverse(name, kwargs={"gemeente": ctx.gemeente.slug})


@attention.provider
def beleid(ctx):
    if Role.BELEIDSMEDEWERKER not in ctx.roles:
        return
    grens = ctx.today + datetime.timedelta(days=BINNENKORT_DAGEN)
    yield from attention.capped(
        Aanvraag.objects.filter(gemeente=ctx.gemeente, status__in=Aanvraag.OPEN,
                                uiterste_beslisdatum__lte=grens)
        .select_related("gemeente").order_by("uiterste_beslisdatum", "pk"),
        lambda a: attention.Item(
            title=_("Besluiten op %(nummer)s: %(titel)s") % {"nummer": a.nummer,
                                                           "titel": a.titel},
            url=a.get_absolute_url(), deadline=a.uiterste_beslisdatum,
            detail=_("beslistermijn"), category=_("Subsidies")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s aanvragen dicht bij of over de beslistermijn") % {"n": n},
            url=list_url(ctx, "finance:aanvraag-te-laat"), deadline=ctx.today,
            category=_("Subsidies")))
    yield from attention.capped(
        Aanvraag.objects.filter(gemeente=ctx.gemeente, status=Aanvraag.Status.VERANTWOORD)
        .annotate(overschreden=Exists(AanvraagJaar.objects.filter(
            aanvraag=OuterRef("pk"), besteed__gt=F("toegekend"))))
        .select_related("gemeente", "verantwoording")
        .order_by("verantwoording__ingediend_op", "pk"),
        lambda a: attention.Item(
            title=(_("Meer uitgegeven dan de subsidie, verantwoording beoordelen: %(nummer)s "
                     "%(titel)s") if a.overschreden
                   else _("Verantwoording beoordelen: %(nummer)s %(titel)s")) % {
                "nummer": a.nummer, "titel": a.titel},
            url=a.get_absolute_url(),
            detail=(_("Reden: %(reden)s") % {"reden": Truncator(
                a.verantwoording.overschrijding_reden).chars(120)} if a.overschreden else ""),
            deadline=timezone.localtime(a.verantwoording.ingediend_op).date()
            + datetime.timedelta(weeks=VASTSTELLING_WEKEN),
            category=_("Subsidies")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s verantwoordingen om te beoordelen") % {"n": n},
            url=list_url(ctx), category=_("Subsidies")))


@attention.provider
def partner(ctx):
    organisaties = ctx.organisatie_ids(Role.PARTNER)
    if not organisaties:
        return
    yield from attention.capped(
        Aanvraag.objects.filter(gemeente=ctx.gemeente, status=Aanvraag.Status.CONCEPT,
                                organisatie_id__in=organisaties)
        .select_related("gemeente", "regeling").order_by("regeling__aanvragen_tot", "pk"),
        lambda a: attention.Item(
            title=(_("Aanvulling gevraagd: %(titel)s") if a.aanvulling_gevraagd
                   else _("Aanvraag afmaken en indienen: %(titel)s")) % {"titel": a.titel},
            url=a.get_absolute_url(), deadline=a.regeling.aanvragen_tot,
            detail=str(a.regeling), category=_("Subsidies")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s aanvragen om af te maken") % {"n": n},
            url=list_url(ctx), category=_("Subsidies")))
    yield from attention.capped(
        te_verantwoorden(ctx.gemeente, organisatie_id__in=organisaties),
        lambda a: attention.Item(
            title=_("Verantwoording indienen: %(nummer)s %(titel)s") % {
                "nummer": a.nummer, "titel": a.titel},
            url=a.get_absolute_url(), deadline=verantwoording_uiterlijk(a.laatste_jaar),
            category=_("Subsidies")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s verantwoordingen in te dienen") % {"n": n},
            url=list_url(ctx), category=_("Subsidies")))
