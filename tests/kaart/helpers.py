"""Aanbod and locaties for the kaart tests, made through the services."""

import datetime

from kaart import services
from kaart.models import Aanbod, Levensdomein, Locatie, PostcodeBuurt
from network.models import Organisatie
from regions.models import Region


def organisatie(gemeente, naam="Kids First"):
    return Organisatie.objects.get(gemeente=gemeente, naam=naam)


def buurt(gemeente, code=None):
    qs = Region.objects.filter(gemeente=gemeente, soort=Region.Soort.BUURT)
    return qs.get(code=code) if code else qs.order_by("code").first()


def locatie(gemeente, org=None, *, postcode="9742AB", naam="Clubhuis", buurt_obj=None,
            tijden=((1, "09:00", "17:00"), (3, "09:00", "12:00"))):
    org = org or organisatie_van(gemeente)
    loc = Locatie(gemeente=gemeente, organisatie=org, naam=naam, adres="Plutolaan 1",
                  postcode=postcode, plaats=gemeente.naam, buurt=buurt_obj)
    services.save_locatie(None, loc, check_permission=False)
    if tijden:
        services.zet_openingstijden(
            None, loc, [(d, datetime.time.fromisoformat(a), datetime.time.fromisoformat(b))
                        for d, a, b in tijden], check_permission=False)
    return loc


def organisatie_van(gemeente):
    from core.models import Membership

    return Membership.objects.get(user__username=f"{gemeente.slug}-partner").organisatie


def aanbod(gemeente, naam="Voorleesochtend", *, org=None, locaties=(), domeinen=(),
           doelen=None, **fields):
    fields.setdefault("korte_beschrijving", "Samen lezen met je kind in de bibliotheek.")
    a = Aanbod(gemeente=gemeente, organisatie=org or organisatie_van(gemeente), naam=naam,
               **fields)
    return services.save_aanbod(
        None, a, levensdomeinen=list(Levensdomein.objects.filter(code__in=domeinen)),
        locaties=list(locaties), doelen=doelen, check_permission=False)


def postcode_in(gemeente, postcode, buurt_obj):
    return PostcodeBuurt.objects.create(gemeente=gemeente, postcode=postcode, buurt=buurt_obj)
