"""dibao_whole_household_start: 整户保 = one dibao per covered member."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import Enrollment
from subsidies.services import dibao_whole_household_start
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_enrols_every_living_member_not_on_tekun(
    family, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    household, head, wife, son = family
    Enrollment.objects.create(
        member=wife,
        benefit_id="tekun",
        care_mode="dispersed",
        status="active",
        start=D(2018, 1, 1),
    )
    make_member(household, name="已故者", relation="father", deceased=True)
    make_member(household, name="已移除", relation="other", removed=True)
    with django_capture_on_commit_callbacks(execute=True):
        created = dibao_whole_household_start(
            household=household, start=D(2020, 4, 1), amount=380, actor=staff_acheng
        )
    assert sorted(e.member_id for e in created) == sorted([head.pk, son.pk])
    assert {(e.scope, e.status, e.start, e.amount) for e in created} == {
        ("household", "active", D(2020, 4, 1), 380)
    }
    assert {e.history.get().history_change_reason for e in created} == {"表单"}
    assert rechecked == [[household.pk]]


def test_it_counts_tekun_at_the_start_date(family, staff_acheng):
    household, head, wife, son = family
    Enrollment.objects.create(
        member=wife,
        benefit_id="tekun",
        care_mode="dispersed",
        status="ended",
        start=D(2018, 1, 1),
        end=D(2019, 12, 31),
    )
    created = dibao_whole_household_start(
        household=household, start=D(2020, 4, 1), amount=None, actor=staff_acheng
    )
    assert len(created) == 3


def test_it_leaves_a_running_dibao_alone(family, dibao, staff_acheng):
    household, head, wife, son = family
    created = dibao_whole_household_start(
        household=household, start=D(2020, 4, 1), amount=380, actor=staff_acheng
    )
    assert sorted(e.member_id for e in created) == sorted([wife.pk, son.pk])
    assert head.enrollments.get() == dibao


def test_it_records_and_then_approves_a_whole_household_application(
    family, staff_acheng
):
    household = family[0]
    pending = dibao_whole_household_start(
        household=household,
        start=D(2020, 3, 1),
        amount=None,
        status="pending",
        actor=staff_acheng,
    )
    assert {e.status for e in pending} == {"pending"}
    approved = dibao_whole_household_start(
        household=household, start=D(2020, 4, 1), amount=380, actor=staff_acheng
    )
    assert sorted(e.pk for e in approved) == sorted(e.pk for e in pending)
    assert set(
        Enrollment.objects.values_list("status", "start", "scope").distinct()
    ) == {("active", D(2020, 4, 1), "household")}


def test_it_refuses_when_nobody_can_be_covered(family, staff_acheng):
    household = family[0]
    for member in family[1:]:
        Enrollment.objects.create(
            member=member, benefit_id="tekun", care_mode="dispersed", status="active"
        )
    with pytest.raises(ValidationError, match="没有可纳入整户保的成员"):
        dibao_whole_household_start(
            household=household, start=D(2020, 4, 1), amount=380, actor=staff_acheng
        )


def test_it_refuses_other_statuses(family, staff_acheng):
    with pytest.raises(ValidationError):
        dibao_whole_household_start(
            household=family[0],
            start=D(2020, 4, 1),
            amount=380,
            status="ended",
            actor=staff_acheng,
        )


def test_it_refuses_staff_of_another_township(family, staff_qiji):
    with pytest.raises(PermissionDenied):
        dibao_whole_household_start(
            household=family[0], start=D(2020, 4, 1), amount=380, actor=staff_qiji
        )
    assert not Enrollment.objects.exists()
