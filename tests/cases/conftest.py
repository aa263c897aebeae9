"""Fixtures of the ledger tests: an 阿城镇 household with an elderly member."""

import datetime

import pytest

from tests.factories import make_household, make_member


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def household(db, acheng):
    return make_household(acheng, household_no="3715210010001")


@pytest.fixture
def elder(household):
    return make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))


@pytest.fixture
def qiji_household(db, qiji):
    return make_household(qiji, household_no="3715210020001")
