"""Fixtures of the self-inspection tests."""

import datetime

import pytest

from checklists.services import campaign_save
from tests.factories import make_household, make_member


@pytest.fixture
def campaign(db):
    return campaign_save(
        name="2020年自查整改",
        inspection_start=datetime.date(2020, 3, 1),
        inspection_end=datetime.date(2020, 5, 31),
        due_date=datetime.date(2020, 5, 31),
        report_due=datetime.date(2020, 6, 30),
        is_current=True,
    )


@pytest.fixture
def household(db, acheng):
    household = make_household(acheng, household_no="3715210010001")
    make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    return household
