"""Enrollment facts: active, pending and whole-household, per the spec."""

import datetime

import pytest

from subsidies.rules import EnrollmentFact

D = datetime.date
AS_OF = D(2020, 4, 15)


@pytest.mark.parametrize(
    ("status", "start", "end", "active"),
    [
        ("active", D(2019, 1, 1), None, True),
        ("extension", D(2019, 1, 1), None, True),
        ("active", None, None, True),
        ("active", AS_OF, None, True),
        ("active", D(2020, 4, 16), None, False),
        ("active", D(2019, 1, 1), AS_OF, True),
        ("active", D(2019, 1, 1), D(2020, 4, 14), False),
        ("extension", None, D(2020, 4, 30), True),
        ("pending", D(2019, 1, 1), None, False),
        ("suspended", D(2019, 1, 1), None, False),
        ("ended", D(2019, 1, 1), None, False),
        ("ended", D(2019, 1, 1), D(2020, 12, 31), False),
    ],
    ids=lambda value: str(value),
)
def test_is_active_on(status, start, end, active):
    enrollment = EnrollmentFact(1, "dibao", status=status, start=start, end=end)
    assert enrollment.is_active_on(AS_OF) is active


@pytest.mark.parametrize(
    ("status", "start", "pending"),
    [
        ("pending", D(2020, 4, 1), True),
        ("pending", AS_OF, True),
        ("pending", None, True),
        ("pending", D(2020, 4, 16), False),
        ("active", D(2020, 4, 1), False),
    ],
    ids=lambda value: str(value),
)
def test_is_pending_on(status, start, pending):
    enrollment = EnrollmentFact(1, "tekun", status=status, start=start)
    assert enrollment.is_pending_on(AS_OF) is pending


@pytest.mark.parametrize(
    ("benefit", "scope", "whole"),
    [
        ("dibao", "household", True),
        ("dibao", "", True),
        ("dibao", "individual", False),
        ("tekun", "", False),
    ],
    ids=lambda value: str(value),
)
def test_a_blank_dibao_scope_is_whole_household(benefit, scope, whole):
    assert EnrollmentFact(1, benefit, scope=scope).is_whole_household is whole
