"""grant_record: a one-off temporary-assistance payment (临时救助)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import TemporaryGrant
from subsidies.services import grant_record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_records_a_grant_with_history_and_the_recheck(
    head, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant = grant_record(
            member=head,
            date=D(2020, 4, 1),
            amount=Decimal(800),
            grant_type="emergency",
            reason="因病住院",
            actor=staff_acheng,
        )
    grant.refresh_from_db()
    assert (grant.date, grant.amount, grant.grant_type) == (
        D(2020, 4, 1),
        Decimal(800),
        "emergency",
    )
    history = grant.history.get()
    assert (history.history_change_reason, history.history_user) == (
        "表单",
        staff_acheng,
    )
    assert rechecked == [[head.household_id]]


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": Decimal(0)}, "amount", "须大于0"),
        ({"date": D(2999, 1, 1)}, "date", "不能晚于今天"),
    ],
)
def test_it_refuses_bad_values(head, staff_acheng, fields, field, message):
    values = {"date": D(2020, 4, 1), "amount": Decimal(500)} | fields
    with pytest.raises(ValidationError) as exc:
        grant_record(member=head, actor=staff_acheng, **values)
    assert message in exc.value.message_dict[field][0]
    assert not TemporaryGrant.objects.exists()


def test_it_refuses_a_removed_member(head, staff_acheng):
    head.removed = True
    head.save()
    with pytest.raises(ValidationError, match="已移除"):
        grant_record(
            member=head, date=D(2020, 4, 1), amount=Decimal(500), actor=staff_acheng
        )


def test_it_refuses_staff_of_another_township(head, staff_qiji):
    with pytest.raises(PermissionDenied):
        grant_record(
            member=head, date=D(2020, 4, 1), amount=Decimal(500), actor=staff_qiji
        )
