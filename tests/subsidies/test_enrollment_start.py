"""enrollment_start: record a benefit or an application for one member."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import Enrollment
from subsidies.services import enrollment_start

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_records_a_dibao_with_history_and_schedules_the_recheck(
    head, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_start(
            member=head,
            benefit="dibao",
            scope="household",
            start=D(2020, 3, 1),
            amount=380,
            actor=staff_acheng,
        )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.scope, enrollment.start) == (
        "active",
        "household",
        D(2020, 3, 1),
    )
    history = enrollment.history.get()
    assert history.history_type == "+"
    assert history.history_change_reason == "表单"
    assert history.history_user == staff_acheng
    assert rechecked == [[head.household_id]]


def test_it_keeps_the_channel_as_the_change_reason(head, admin_user):
    enrollment = enrollment_start(
        member=head,
        benefit="tekun",
        care_mode="dispersed",
        actor=admin_user,
        source="导入批次#12",
    )
    assert enrollment.history.get().history_change_reason == "导入批次#12"


def test_it_records_a_pending_application(head, staff_acheng):
    enrollment = enrollment_start(
        member=head,
        benefit="tekun",
        care_mode="dispersed",
        status="pending",
        start=D(2020, 4, 1),
        actor=staff_acheng,
    )
    assert enrollment.status == "pending"


def test_it_records_what_breaks_a_policy_for_the_rules_to_report(head, staff_acheng):
    """Tekun and dibao together is the rules' finding, not a refusal."""
    enrollment_start(
        member=head, benefit="tekun", care_mode="dispersed", actor=staff_acheng
    )
    enrollment_start(
        member=head, benefit="dibao", scope="household", actor=staff_acheng
    )
    assert head.enrollments.count() == 2


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"benefit": "elderly", "scope": "household"}, "scope", "只适用于低保"),
        ({"benefit": "dibao", "scope": ""}, "scope", "整户保或单人保"),
        (
            {"benefit": "disability_living", "care_mode": "dispersed"},
            "care_mode",
            "只适用于特困",
        ),
        ({"benefit": "tekun"}, "care_mode", "分散供养或集中供养"),
        (
            {
                "benefit": "elderly",
                "start": D(2020, 5, 1),
                "end": D(2020, 4, 30),
            },
            "end",
            "不能早于开始日期",
        ),
        ({"benefit": "temporary_assistance"}, "benefit", "登记临时救助"),
        ({"benefit": "elderly", "status": "extension"}, "status", "只有低保可以延保"),
        ({"benefit": "elderly", "amount": -1}, "amount", "不能为负数"),
    ],
)
def test_it_refuses_a_malformed_enrollment_in_chinese(
    head, staff_acheng, fields, field, message
):
    with pytest.raises(ValidationError) as exc:
        enrollment_start(member=head, actor=staff_acheng, **fields)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Enrollment.objects.exists()


def test_it_refuses_a_running_benefit_for_a_deceased_member(head, staff_acheng):
    head.deceased = True
    head.save()
    with pytest.raises(ValidationError) as exc:
        enrollment_start(member=head, benefit="elderly", actor=staff_acheng)
    assert "已死亡" in exc.value.message_dict["member"][0]


def test_it_still_records_a_past_benefit_of_a_deceased_member(head, staff_acheng):
    head.deceased = True
    head.save()
    enrollment = enrollment_start(
        member=head,
        benefit="elderly",
        status="ended",
        start=D(2018, 1, 1),
        end=D(2019, 12, 31),
        end_reason="death",
        actor=staff_acheng,
    )
    assert enrollment.pk


def test_it_refuses_a_second_running_enrollment_of_the_same_benefit(
    head, dibao, staff_acheng
):
    with pytest.raises(ValidationError) as exc:
        enrollment_start(
            member=head, benefit="dibao", scope="household", actor=staff_acheng
        )
    assert "已有低保记录" in exc.value.messages[0]


def test_it_allows_a_new_enrollment_after_the_old_one_ended(head, staff_acheng):
    enrollment_start(
        member=head,
        benefit="elderly",
        status="ended",
        start=D(2018, 1, 1),
        end=D(2019, 1, 31),
        actor=staff_acheng,
    )
    enrollment_start(
        member=head, benefit="elderly", start=D(2020, 1, 1), actor=staff_acheng
    )
    assert head.enrollments.count() == 2


def test_it_refuses_staff_of_another_township(head, staff_qiji):
    with pytest.raises(PermissionDenied):
        enrollment_start(member=head, benefit="elderly", actor=staff_qiji)


def test_it_refuses_a_section_chief(head, chief_assistance):
    with pytest.raises(PermissionDenied):
        enrollment_start(member=head, benefit="elderly", actor=chief_assistance)


def test_it_lets_the_bureau_admin_write_anywhere(outsider_member, admin_user):
    enrollment = enrollment_start(
        member=outsider_member, benefit="elderly", actor=admin_user
    )
    assert enrollment.history.get().history_user == admin_user
