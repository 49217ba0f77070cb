"""factory-boy factories for tests that need their own data beside the demo."""

import factory

from core.models import Gemeente, Membership, Role, User
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol
from regions.models import Gebied, Region


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    naam = factory.Sequence(lambda n: f"Testgemeente {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("geheim-wachtwoord-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    gemeente = factory.SubFactory(GemeenteFactory)
    role = Role.BELEIDSMEDEWERKER


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    gemeente = factory.SubFactory(GemeenteFactory)
    jaar = 2022
    soort = Region.Soort.WIJK
    code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.gemeente.cbs_code[2:]}{n % 100:02d}")
    naam = factory.Sequence(lambda n: f"Wijk {n}")


class GebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebied

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Gebied {n}")
    jaar = 2022


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    type = Organisatie.Type.BASISSCHOOL


class PersoonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persoon

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Persoon {n}")


class StuurgroepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stuurgroep

    gemeente = factory.SubFactory(GemeenteFactory)
    gebied = factory.SubFactory(GebiedFactory, gemeente=factory.SelfAttribute("..gemeente"))
    naam = factory.Sequence(lambda n: f"Stuurgroep {n}")


class StuurgroepRolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StuurgroepRol

    gemeente = factory.SubFactory(GemeenteFactory)
    stuurgroep = factory.SubFactory(StuurgroepFactory,
                                    gemeente=factory.SelfAttribute("..gemeente"))
    rol = StuurgroepRol.Rol.LID
    titel = "Lid"
