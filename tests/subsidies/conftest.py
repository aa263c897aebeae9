"""Fixtures for the subsidies app's services, pages and commands."""

import datetime

import pytest

from checklists import recheck
from subsidies.models import Enrollment
from tests.factories import make_household, make_member


@pytest.fixture
def family(acheng):
    """An 阿城镇 household: a 70-year-old head, his wife and their son."""
    household = make_household(acheng, household_no="AC-0001")
    head = make_member(household, name="王大山", birth=datetime.date(1950, 3, 1))
    wife = make_member(
        household,
        name="李秀英",
        relation="spouse",
        birth=datetime.date(1952, 5, 1),
        male=False,
    )
    son = make_member(
        household, name="王小军", relation="son", birth=datetime.date(1980, 8, 1)
    )
    return household, head, wife, son


@pytest.fixture
def head(family):
    return family[1]


@pytest.fixture
def outsider_member(qiji):
    """A member of a 七级镇 household: outside 阿城镇 staff's area."""
    household = make_household(qiji, household_no="QJ-0001")
    return make_member(household, name="赵七", birth=datetime.date(1955, 1, 1))


@pytest.fixture
def dibao(head):
    """The head's active individual dibao since 2019-01-01."""
    return Enrollment.objects.create(
        member=head,
        benefit_id="dibao",
        scope="individual",
        status="active",
        start=datetime.date(2019, 1, 1),
        amount=380,
    )


@pytest.fixture
def rechecked(monkeypatch):
    """The household ids the re-check hook received after each commit."""
    calls: list[list[int]] = []
    monkeypatch.setattr(recheck, "_handlers", [calls.append])
    return calls
