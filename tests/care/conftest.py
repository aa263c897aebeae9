"""Fixtures of the care tests: registers in 阿城镇, one record in 七级镇."""

import datetime

import pytest
from django.utils import timezone

from care import services
from care.models import CareServiceItem
from subsidies.models import Enrollment
from tests.factories import make_household, make_id_number, make_member, make_village

TODAY = datetime.date(2020, 5, 15)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Import batches keep their files in a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def village(db, acheng):
    return make_village(acheng, "东关村")


@pytest.fixture
def qiji_village(db, qiji):
    return make_village(qiji, "北街村")


@pytest.fixture
def items(db):
    """The care-service list the data migration ships."""
    return list(CareServiceItem.objects.order_by("order"))


@pytest.fixture
def elder(village, today):
    """A standalone left-behind elderly person in 阿城镇, registered today."""
    return services.elderly_register(
        village=village,
        name="王老汉",
        id_number=make_id_number(datetime.date(1940, 3, 1)),
        registered_on=today,
        contact_name="王小",
        contact_phone="13800000000",
    )


@pytest.fixture
def qiji_elder(qiji_village, today):
    return services.elderly_register(
        village=qiji_village,
        name="周大娘",
        id_number=make_id_number(datetime.date(1942, 6, 1), male=False),
        registered_on=today,
    )


@pytest.fixture
def child(village, today):
    return services.child_register(
        village=village,
        name="王小宝",
        id_number=make_id_number(datetime.date(2012, 9, 1)),
        category="left_behind",
        registered_on=today,
        guardian_name="王老汉",
    )


@pytest.fixture
def qiji_child(qiji_village, today):
    return services.child_register(
        village=qiji_village,
        name="周小妹",
        id_number=make_id_number(datetime.date(2013, 2, 1), male=False),
        category="in_difficulty",
        difficulty_type="poverty",
        registered_on=today,
    )


def on_dibao(member, *, start=datetime.date(2019, 1, 1)):
    return Enrollment.objects.create(
        member=member, benefit_id="dibao", scope="individual", start=start
    )


def on_tekun(member, *, care_mode="centralized", start=datetime.date(2019, 1, 1)):
    return Enrollment.objects.create(
        member=member, benefit_id="tekun", care_mode=care_mode, start=start
    )


@pytest.fixture
def household(village):
    return make_household(village.township, village=village, poverty_type="dibao")


@pytest.fixture
def member(household):
    """A registered member aged 80 on 2020-05-15."""
    return make_member(household, name="赵老汉", birth=datetime.date(1940, 1, 1))
