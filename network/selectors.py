"""Reads for the network, always within one gemeente."""

from django.db.models import Count, Prefetch

from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol
from regions.models import Gebied


def organisaties(user, gemeente):
    return (Organisatie.objects.filter(gemeente=gemeente).select_related("gemeente")
            .annotate(n_personen=Count("personen", distinct=True)).order_by("naam"))


def organisatie_detail_queryset(user, gemeente):
    return Organisatie.objects.filter(gemeente=gemeente).select_related("gemeente") \
        .prefetch_related(
            Prefetch("gebieden", queryset=Gebied.objects.select_related("gemeente")),
            Prefetch("personen", queryset=Persoon.objects.select_related("gemeente")),
            Prefetch("stuurgroeprollen", queryset=StuurgroepRol.objects.select_related(
                "stuurgroep__gemeente")))


def personen(user, gemeente):
    return Persoon.objects.filter(gemeente=gemeente).select_related("gemeente", "organisatie")


def stuurgroepen(user, gemeente):
    return (Stuurgroep.objects.filter(gemeente=gemeente).select_related("gemeente", "gebied")
            .annotate(n_rollen=Count("rollen")).order_by("naam"))


def stuurgroep_detail_queryset(user, gemeente):
    return Stuurgroep.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "gebied__gemeente").prefetch_related(
        Prefetch("rollen", queryset=StuurgroepRol.objects.select_related(
            "organisatie__gemeente", "persoon__gemeente")))


def stuurgroeprollen(user, gemeente):
    return StuurgroepRol.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "stuurgroep__gebied", "stuurgroep__gemeente", "organisatie", "persoon")


def stuurgroepen_summary(user, gemeente):
    return [(s.naam, s.get_absolute_url()) for s in
            Stuurgroep.objects.filter(gemeente=gemeente).select_related("gemeente")]


def organisaties_summary(user, gemeente, limit=8):
    """The first organisaties by naam, and a line with how many more there are."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    qs = Organisatie.objects.filter(gemeente=gemeente).select_related("gemeente")
    shown = list(qs[: limit + 1])
    items = [(o.naam, o.get_absolute_url()) for o in shown[:limit]]
    if len(shown) > limit:
        rest = qs.count() - limit
        items.append((ngettext("en nog %(n)s organisatie", "en nog %(n)s organisaties", rest)
                      % {"n": rest},
                      reverse("network:organisatie-list", kwargs={"gemeente": gemeente.slug})))
    return items
