"""Reads for regions, always within one gemeente the user is a member of."""

from django.db.models import Count, Prefetch

from regions.models import Gebied, Region


def gebieden(user, gemeente):
    return (Gebied.objects.filter(gemeente=gemeente).select_related("gemeente")
            .annotate(n_regions=Count("regions")).order_by("naam"))


def gebied_detail_queryset(user, gemeente):
    return Gebied.objects.filter(gemeente=gemeente).select_related("gemeente").prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related(
            "gemeente", "parent").order_by("code")))


def regions(user, gemeente, jaar=None, soort=None):
    qs = Region.objects.filter(gemeente=gemeente).select_related("gemeente", "parent__gemeente")
    if jaar:
        qs = qs.filter(jaar=jaar)
    if soort:
        qs = qs.filter(soort=soort)
    return qs


def indelingsjaren(gemeente):
    """The years of CBS indeling the gemeente has regions of, the latest first."""
    return list(Region.objects.filter(gemeente=gemeente).values_list("jaar", flat=True)
                .distinct().order_by("-jaar"))


def home_summary(user, gemeente):
    return [(g.naam, g.get_absolute_url()) for g in
            Gebied.objects.filter(gemeente=gemeente).select_related("gemeente")]
