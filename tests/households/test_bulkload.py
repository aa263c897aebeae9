"""households.bulkload writes exactly what django-simple-history's ORM path writes.

On PostgreSQL the module streams rows with COPY; each test writes the same
objects through both paths and compares every stored column (keys, the
household number and timestamps aside).  On SQLite both paths are the ORM,
so the comparison holds trivially there; the CI runs the suite on both.
"""

import datetime
from decimal import Decimal

import pytest
from simple_history import utils as orm

from households import bulkload
from households.models import Household, Member
from subsidies.models import PolicyParameter
from tests.factories import make_id_number, make_village

pytestmark = pytest.mark.django_db

AWKWARD = "后院\t2号\\东屋\n（旧址）\r"
SKIP = {"id", "history_id", "household_no", "household_id", "name", "id_number"}
SKIP |= {"created_at", "updated_at", "history_date"}


def _household(number: str) -> Household:
    village = make_village("阿城镇", "东关村")
    return Household(
        household_no=number,
        township=village.township,
        village=village,
        poverty_type="dibao",
        poverty_status="not_lifted",
        income_per_capita=Decimal("3456.70"),
        employment_costs=Decimal(0),
        phone="",
        address=AWKWARD,
    )


def _member(household: Household, tag: str) -> Member:
    return Member(
        household=household,
        name=f"张{tag}",
        relation="head",
        id_number=make_id_number(datetime.date(1960, 2, 29)),
        sex="male",
        birth_date=datetime.date(1960, 2, 29),
        disability_grade=None,
        deceased=True,
    )


def _stored(queryset) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in SKIP}
        for row in queryset.order_by("pk").values()
    ]


def test_created_rows_and_history_match_the_orm():
    copied = bulkload.bulk_create_with_history(
        [_household("371521COPY001")], Household, reason="演示数据"
    )
    via_orm = orm.bulk_create_with_history(
        [_household("371521ORM0001")], Household, default_change_reason="演示数据"
    )
    assert copied[0].pk is not None
    assert Household.objects.get(pk=copied[0].pk).address == AWKWARD
    assert _stored(Household.objects.filter(pk=copied[0].pk)) == _stored(
        Household.objects.filter(pk=via_orm[0].pk)
    )
    history = Household.history.model.objects
    assert _stored(history.filter(id=copied[0].pk)) == _stored(
        history.filter(id=via_orm[0].pk)
    )
    assert history.get(id=copied[0].pk).history_change_reason == "演示数据"
    assert history.get(id=copied[0].pk).history_type == "+"

    # Children link to the keys the parents received.
    members = bulkload.bulk_create_with_history(
        [_member(copied[0], "甲")], Member, reason="演示数据"
    )
    stored = Member.objects.get(pk=members[0].pk)
    assert stored.household_id == copied[0].pk
    assert stored.birth_date == datetime.date(1960, 2, 29)
    assert stored.deceased is True
    assert stored.disability_grade is None


def test_json_values_round_trip():
    values = [{"标准": "550.00", "档": [1, 2]}, ["甲\t乙"]]
    for day, value in enumerate(values, start=1):
        bulkload.bulk_create_with_history(
            [
                PolicyParameter(
                    name="x", value=value, effective_from=datetime.date(2020, 1, day)
                )
            ],
            PolicyParameter,
            reason="演示数据",
        )
    stored = list(
        PolicyParameter.objects.filter(name="x")
        .order_by("pk")
        .values_list("value", flat=True)
    )
    assert stored == [{"标准": "550.00", "档": [1, 2]}, ["甲\t乙"]]


def test_updates_and_their_history_match_the_orm():
    copied = bulkload.bulk_create_with_history(
        [_household("371521COPY002")], Household, reason="演示数据"
    )[0]
    via_orm = bulkload.bulk_create_with_history(
        [_household("371521ORM0002")], Household, reason="演示数据"
    )[0]
    for household in (copied, via_orm):
        household.poverty_type = "tekun"
        household.address = "新址\\1号"
    bulkload.bulk_update_with_history(
        [copied], Household, ["poverty_type", "address"], reason="演示数据"
    )
    orm.bulk_update_with_history(
        [via_orm],
        Household,
        ["poverty_type", "address"],
        default_change_reason="演示数据",
    )
    assert _stored(Household.objects.filter(pk=copied.pk)) == _stored(
        Household.objects.filter(pk=via_orm.pk)
    )
    assert Household.objects.get(pk=copied.pk).address == "新址\\1号"
    history = Household.history.model.objects
    assert _stored(history.filter(id=copied.pk)) == _stored(
        history.filter(id=via_orm.pk)
    )
    assert [h.history_type for h in history.filter(id=copied.pk).order_by("pk")] == [
        "+",
        "~",
    ]
