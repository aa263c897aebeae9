"""enrollment_extend: the six-month dibao extension (延保) and its dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.evaluation import load_household_facts, run_rules
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set, params_for
from subsidies.services import enrollment_extend, extension_period

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    "review, months, rule, period",
    [
        (D(2020, 3, 15), 6, "month_after_review", (D(2020, 4, 1), D(2020, 9, 30))),
        (D(2020, 3, 15), 6, "review_date", (D(2020, 3, 15), D(2020, 9, 14))),
        (D(2020, 12, 31), 6, "month_after_review", (D(2021, 1, 1), D(2021, 6, 30))),
        (D(2020, 8, 31), 6, "review_date", (D(2020, 8, 31), D(2021, 2, 27))),
        (D(2020, 1, 1), 3, "month_after_review", (D(2020, 2, 1), D(2020, 4, 30))),
    ],
)
def test_it_computes_the_extension_period(review, months, rule, period):
    assert extension_period(review, months=months, start_rule=rule) == period


def _whole_household(family):
    household, *members = family
    return [
        Enrollment.objects.create(
            member=m,
            benefit_id="dibao",
            scope="household",
            status="active",
            start=D(2019, 1, 1),
            amount=380,
        )
        for m in members
    ]


def test_it_ends_the_dibao_and_starts_the_extension_the_next_month(
    family, staff_acheng, rechecked, django_capture_on_commit_callbacks
):
    current = _whole_household(family)[0]
    with django_capture_on_commit_callbacks(execute=True):
        extension = enrollment_extend(
            enrollment=current,
            review_date=D(2020, 3, 15),
            end_reason="employment",
            actor=staff_acheng,
        )
    current.refresh_from_db()
    assert (
        current.status,
        current.end,
        current.end_reason,
        current.review_date,
        current.review_decision,
    ) == ("ended", D(2020, 3, 31), "employment", D(2020, 3, 15), "extend")
    assert (
        extension.status,
        extension.scope,
        extension.start,
        extension.end,
        extension.amount,
    ) == ("extension", "household", D(2020, 4, 1), D(2020, 9, 30), 380)
    assert extension.history.get().history_change_reason == "表单"
    assert current.history.latest().history_change_reason == "表单"
    assert rechecked == [[family[0].pk]]


def test_it_extends_the_whole_household_for_a_whole_household_dibao(
    family, staff_acheng
):
    enrollments = _whole_household(family)
    enrollment_extend(
        enrollment=enrollments[1], review_date=D(2020, 3, 15), actor=staff_acheng
    )
    extensions = Enrollment.objects.filter(status="extension")
    assert sorted(e.member_id for e in extensions) == sorted(m.pk for m in family[1:])
    assert {(e.start, e.end) for e in extensions} == {(D(2020, 4, 1), D(2020, 9, 30))}
    assert (
        Enrollment.objects.filter(status="ended", review_decision="extend").count() == 3
    )


def test_it_follows_the_dated_parameters_in_force_at_the_review(
    head, dibao, staff_acheng
):
    parameter_set(
        name="extension_start", value_text="review_date", effective_from=D(2020, 1, 1)
    )
    parameter_set(name="extension_months", value_text="3", effective_from=D(2020, 1, 1))
    extension = enrollment_extend(
        enrollment=dibao, review_date=D(2020, 3, 15), actor=staff_acheng
    )
    dibao.refresh_from_db()
    assert dibao.end == D(2020, 3, 14)
    assert (extension.start, extension.end) == (D(2020, 3, 15), D(2020, 6, 14))


def test_it_records_a_late_extension_after_a_dibao_ended_for_employment(
    head, dibao, staff_acheng
):
    """The case DIBAO_EXTENSION_MISSING reports: ended, never extended."""
    dibao.status, dibao.end, dibao.end_reason = "ended", D(2020, 1, 31), "employment"
    dibao.save()
    as_of = D(2020, 4, 15)
    facts = load_household_facts(head.household)
    assert "DIBAO_EXTENSION_MISSING" in {
        f.rule for f in run_rules([facts], as_of=as_of, params=params_for(as_of))
    }
    extension = enrollment_extend(
        enrollment=dibao, review_date=D(2020, 1, 20), actor=staff_acheng
    )
    dibao.refresh_from_db()
    assert (dibao.end, dibao.end_reason) == (D(2020, 1, 31), "employment")
    assert (extension.start, extension.end) == (D(2020, 2, 1), D(2020, 7, 31))
    facts = load_household_facts(head.household)
    assert "DIBAO_EXTENSION_MISSING" not in {
        f.rule for f in run_rules([facts], as_of=as_of, params=params_for(as_of))
    }


def test_it_is_idempotent_for_the_same_review(head, dibao, staff_acheng):
    enrollment_extend(enrollment=dibao, review_date=D(2020, 3, 15), actor=staff_acheng)
    enrollment_extend(enrollment=dibao, review_date=D(2020, 3, 15), actor=staff_acheng)
    assert head.enrollments.filter(status="extension").count() == 1


def test_it_refuses_a_dibao_that_ended_for_another_reason(head, dibao, staff_acheng):
    dibao.status, dibao.end, dibao.end_reason = "ended", D(2020, 1, 31), "moved"
    dibao.save()
    with pytest.raises(ValidationError, match="延保只适用于"):
        enrollment_extend(
            enrollment=dibao, review_date=D(2020, 1, 20), actor=staff_acheng
        )


def test_it_refuses_other_benefits(head, staff_acheng):
    elderly = Enrollment.objects.create(
        member=head, benefit_id="elderly", status="active"
    )
    with pytest.raises(ValidationError, match="只有低保可以延保"):
        enrollment_extend(
            enrollment=elderly, review_date=D(2020, 3, 15), actor=staff_acheng
        )


def test_it_refuses_a_review_before_the_dibao_started(head, dibao, staff_acheng):
    with pytest.raises(ValidationError, match="不能在此之前延保"):
        enrollment_extend(
            enrollment=dibao, review_date=D(2018, 6, 1), actor=staff_acheng
        )
    assert head.enrollments.count() == 1


def test_it_refuses_a_chief(dibao, chief_assistance):
    with pytest.raises(PermissionDenied):
        enrollment_extend(
            enrollment=dibao, review_date=D(2020, 3, 15), actor=chief_assistance
        )
