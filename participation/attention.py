"""What waits in youth participation, for the home page (core/attention.py):

- beleidsmedewerker: children's ideas, questions and advice to pick up and answer, by deadline,
  and answered ones a child wants public whose public text nobody approved yet (moderation);
- raadslid: children's voices whose answer is overdue;
- gebiedscoördinator: overdue children's voices from the wijken of their gebied;
- jurylid: applications for kinderburgemeester they have not scored yet, until the jury's date.

Registered in ParticipationConfig.ready. Each function runs a fixed number of queries.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import attention
from core.models import Role
from participation import selectors
from participation.models import Aanmelding, Inzending


def open_inzendingen(gemeente):
    return (Inzending.objects.filter(gemeente=gemeente, beantwoord_op__isnull=True,
                                     gesloten_op__isnull=True)
            .select_related("gemeente").order_by("deadline", "pk"))


def inzending_item(inzending, today):
    if inzending.deadline < today:
        title = _("Antwoord te laat: %(onderwerp)s")
    elif inzending.behandelaar_id is None:
        title = _("Oppakken en beantwoorden: %(onderwerp)s")
    else:
        title = _("Beantwoorden: %(onderwerp)s")
    return attention.Item(title=title % {"onderwerp": inzending.onderwerp},
                          url=inzending.get_absolute_url(), deadline=inzending.deadline,
                          detail=inzending.get_soort_display(), category=_("Jeugdstem"))


def inzendingen(ctx, queryset, more_title):
    return attention.capped(
        queryset, lambda i: inzending_item(i, ctx.today),
        more=lambda n: attention.Item(
            title=more_title % {"n": n},
            url=reverse("participation:inzending-list", kwargs={"gemeente": ctx.gemeente.slug}),
            deadline=ctx.today, category=_("Jeugdstem")))


def na_te_kijken(gemeente):
    """Answered messages that wait only for their public text to be approved (an open one
    already waits as "beantwoorden", and its moderation is on the same page)."""
    return (Inzending.objects.filter(selectors.TE_BEOORDELEN, gemeente=gemeente,
                                     beantwoord_op__isnull=False, verborgen_op__isnull=True)
            .select_related("gemeente").order_by("beantwoord_op", "pk"))


@attention.provider
def beleid(ctx):
    if Role.BELEIDSMEDEWERKER not in ctx.roles:
        return
    yield from inzendingen(ctx, open_inzendingen(ctx.gemeente),
                           _("Nog %(n)s inzendingen van kinderen zonder antwoord"))
    yield from attention.capped(
        na_te_kijken(ctx.gemeente),
        lambda i: attention.Item(
            title=_("Openbare tekst nakijken: %(onderwerp)s") % {"onderwerp": i.onderwerp},
            url=i.get_absolute_url(), sinds=timezone.localtime(i.beantwoord_op).date(),
            detail=_("Het kind wil dit openbaar; het verschijnt pas na uw goedkeuring."),
            category=_("Jeugdstem")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s openbare teksten van kinderen om na te kijken") % {"n": n},
            url=reverse("participation:inzending-list", kwargs={"gemeente": ctx.gemeente.slug})
            + "?filter=nakijken", category=_("Jeugdstem")))


@attention.provider
def te_laat(ctx):
    """The raad and the coördinator see overdue answers to children (the beleidsmedewerker
    already sees every open one)."""
    if Role.BELEIDSMEDEWERKER in ctx.roles:
        return
    overdue = open_inzendingen(ctx.gemeente).filter(deadline__lt=ctx.today)
    more = _("Nog %(n)s inzendingen van kinderen met een te laat antwoord")
    if Role.RAADSLID in ctx.roles:
        yield from inzendingen(ctx, overdue, more)
        return
    gebieden = ctx.gebied_ids(Role.GEBIEDSCOORDINATOR)
    if gebieden:
        yield from inzendingen(
            ctx, overdue.filter(Q(gebied__in=gebieden) | Q(wijk__gebieden__in=gebieden))
            .distinct(), more)


@attention.provider
def jury(ctx):
    if Role.JURYLID not in ctx.roles:
        return
    yield from attention.capped(
        Aanmelding.objects.filter(
            gemeente=ctx.gemeente, status=Aanmelding.Status.INGEDIEND,
            verkiezing__aanmelding_start__lte=ctx.today, verkiezing__jury_eind__gte=ctx.today)
        .exclude(scores__jurylid=ctx.user)
        .select_related("gemeente", "verkiezing").order_by("verkiezing__jury_eind", "pk"),
        lambda a: attention.Item(
            title=_("Beoordelen: aanmelding %(nr)s voor %(verkiezing)s") % {
                "nr": a.pk, "verkiezing": a.verkiezing},
            url=a.get_absolute_url(), deadline=a.verkiezing.jury_eind,
            category=_("Kinderburgemeester")),
        more=lambda n: attention.Item(
            title=_("Nog %(n)s aanmeldingen om te beoordelen") % {"n": n},
            url=reverse("participation:verkiezing-list",
                        kwargs={"gemeente": ctx.gemeente.slug}),
            category=_("Kinderburgemeester")))
