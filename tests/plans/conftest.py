import pytest

from plans import services
from plans.models import Wijkplan


@pytest.fixture
def spt(groningen):
    return Wijkplan.objects.get(gemeente=groningen, gebied__afkorting="SPT")


@pytest.fixture
def v2018(spt):
    return spt.versies.get(nummer=1)


@pytest.fixture
def v2021(spt):
    return spt.versies.get(status="vastgesteld")


@pytest.fixture
def concept(v2021, demo_user):
    """The coördinator's revision of the 2021 version, for 2022."""
    return services.bijstellen(demo_user("groningen", "coordinator"), v2021, jaar=2022)
