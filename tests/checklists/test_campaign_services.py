"""campaign_save and campaign_set_current: at most one current campaign."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checklists.models import Campaign
from checklists.services import campaign_save, campaign_set_current

pytestmark = pytest.mark.django_db


def save(**changes):
    fields = {
        "name": "2021年自查整改",
        "inspection_start": datetime.date(2021, 3, 1),
        "inspection_end": datetime.date(2021, 5, 31),
        "due_date": datetime.date(2021, 5, 31),
        "report_due": datetime.date(2021, 6, 30),
        "is_current": True,
    }
    return campaign_save(**(fields | changes))


def test_it_creates_a_campaign():
    campaign = save()

    assert Campaign.objects.current() == campaign
    assert campaign.due_date == datetime.date(2021, 5, 31)


def test_making_one_current_unmarks_the_other(campaign):
    newer = save()

    campaign.refresh_from_db()
    assert not campaign.is_current
    assert Campaign.objects.current() == newer


def test_it_edits_a_campaign_in_place(campaign):
    save(campaign=campaign, name="改名", due_date=datetime.date(2021, 6, 15))

    campaign.refresh_from_db()
    assert (campaign.name, campaign.due_date, campaign.is_current) == (
        "改名",
        datetime.date(2021, 6, 15),
        True,
    )
    assert Campaign.objects.count() == 1


def test_a_campaign_that_is_not_current_leaves_the_current_one(campaign):
    save(is_current=False)

    assert Campaign.objects.current() == campaign


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inspection_end": datetime.date(2021, 2, 1)}, "inspection_end"),
        ({"due_date": datetime.date(2021, 2, 1)}, "due_date"),
        ({"report_due": datetime.date(2021, 5, 1)}, "report_due"),
    ],
)
def test_it_refuses_dates_out_of_order(changes, field):
    with pytest.raises(ValidationError) as exc:
        save(**changes)

    assert field in exc.value.message_dict
    assert not Campaign.objects.exists()


def test_set_current_moves_the_flag(campaign):
    older = save(is_current=False)

    campaign_set_current(campaign=older)

    campaign.refresh_from_db()
    assert not campaign.is_current
    assert Campaign.objects.current() == older


def test_the_database_refuses_two_current_campaigns(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(
            name="另一个",
            inspection_start=datetime.date(2021, 3, 1),
            inspection_end=datetime.date(2021, 5, 31),
            due_date=datetime.date(2021, 5, 31),
            report_due=datetime.date(2021, 6, 30),
            is_current=True,
        )
