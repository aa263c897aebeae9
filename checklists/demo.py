"""Demo data for the self-inspection: the 2020 campaign's dates, this year."""

import datetime

from .models import Campaign
from .services import campaign_save


def seed_campaign(today: datetime.date) -> Campaign:
    """The current campaign of ``today``'s year with the 2020 notice's dates.

    Inspection 03-01 … 05-31, fixes by 05-31, report by 06-30 (阳民发[2020]3号).
    Running it again keeps the same campaign.
    """
    year = today.year
    name = f"{year}年建档立卡贫困户兜底保障政策落实情况自查整改"
    return campaign_save(
        campaign=Campaign.objects.filter(name=name).first(),
        name=name,
        inspection_start=datetime.date(year, 3, 1),
        inspection_end=datetime.date(year, 5, 31),
        due_date=datetime.date(year, 5, 31),
        report_due=datetime.date(year, 6, 30),
        is_current=True,
    )
