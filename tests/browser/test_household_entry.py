import datetime
import re

import pytest

from households.models import Household
from tests.factories import make_id_number, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_creates_a_household_with_two_members_and_finds_it(
    page, login, live_server, personas, acheng
):
    make_village(acheng, "东关村")
    head_id = make_id_number(datetime.date(1956, 4, 2), male=True)
    spouse_id = make_id_number(datetime.date(1958, 9, 9), male=False)
    login("staff_acheng")
    assert "工作台" in page.title()

    page.click("text=建档立卡户")
    page.click("text=新增户")
    page.fill("input[name=household_no]", "3715210029999")
    page.select_option("select[name=village]", label="东关村")
    page.select_option("select[name=poverty_type]", label="低保贫困户")
    page.fill("input[name=income_per_capita]", "3100")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r".*/members/new/"))
    assert "添加家庭成员" in page.content()

    page.fill("input[name=name]", "孙福贵")
    page.fill("input[name=id_number]", head_id.lower())
    page.select_option("select[name=relation]", value="head")
    page.click("button:has-text('保存并继续添加')")
    page.fill("input[name=name]", "刘桂兰")
    page.fill("input[name=id_number]", spouse_id)
    page.select_option("select[name=relation]", value="spouse")
    page.click("button:has-text('保存'):not(:has-text('继续'))")
    page.wait_for_selector("text=家庭成员（2 人）")

    page.click("nav >> text=建档立卡户")
    page.fill("input[name=q]", "孙福贵")
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(r".*[?&]q="))
    row = page.locator("table tbody tr")
    row.first.wait_for()
    assert row.count() == 1
    assert "3715210029999" in row.inner_text()
    assert head_id not in page.content()  # masked in lists
    assert Household.objects.get(household_no="3715210029999").members.count() == 2
