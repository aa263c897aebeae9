"""In a real browser: the recorded “显示完整号码” action and the audit page."""

import datetime

import pytest

from households import services
from tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reveal_a_number_and_the_admin_sees_it_in_the_audit_log(
    page, login, live_server, personas, acheng
):
    staff = personas["staff_acheng"]
    village = services.village_get_or_create(township=acheng, name="东关村")
    household = services.household_create(
        household_no="3715210010001", village=village, actor=staff
    )
    number = make_id_number(datetime.date(1950, 1, 1))
    member = services.member_create(
        household=household,
        name="赵老汉",
        id_number=number,
        relation="head",
        actor=staff,
    )

    login("staff_acheng")
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    assert member.masked_id in page.content() and number not in page.content()
    page.click("button:has-text('显示完整号码')")
    page.locator("mark", has_text=number).wait_for()
    assert page.locator("mark", has_text=number).count() == 1

    page.click("button:has-text('退出')")
    login("admin")
    page.click("text=系统设置")
    page.click("text=访问审计")
    page.wait_for_selector("text=查看完整身份证号码")
    row = page.locator("table tbody tr").first
    assert "查看完整身份证号码" in row.inner_text()
    assert "阿城镇经办员" in row.inner_text()
    assert number not in page.content()
