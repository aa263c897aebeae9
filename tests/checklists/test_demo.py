"""seed_campaign: the demo's current campaign with the 2020 notice's dates."""

import datetime

import pytest

from checklists.demo import seed_campaign
from checklists.models import Campaign

pytestmark = pytest.mark.django_db


def test_it_creates_this_years_campaign_with_the_2020_dates():
    campaign = seed_campaign(datetime.date(2026, 11, 29))

    assert campaign.is_current
    assert "2026" in campaign.name
    assert (campaign.inspection_start, campaign.inspection_end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 5, 31),
    )
    assert campaign.due_date == datetime.date(2026, 5, 31)
    assert campaign.report_due == datetime.date(2026, 6, 30)


def test_running_it_again_keeps_one_campaign():
    first = seed_campaign(datetime.date(2020, 4, 1))

    second = seed_campaign(datetime.date(2020, 4, 2))

    assert first == second
    assert Campaign.objects.count() == 1


def test_it_becomes_the_current_one(campaign):
    seeded = seed_campaign(datetime.date(2021, 1, 1))

    campaign.refresh_from_db()
    assert not campaign.is_current
    assert Campaign.objects.current() == seeded
