"""In a real browser: township staff record a home visit to a left-behind
elderly person whose visit is overdue."""

import datetime

import pytest

from care import services
from care.models import ElderlyPerson, ElderlyVisit
from tests.factories import make_id_number, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_home_visit_from_the_visit_queue(page, login, personas, acheng):
    village = make_village(acheng, "东关村")
    person = services.elderly_register(
        village=village,
        name="孙福贵",
        id_number=make_id_number(datetime.date(1938, 4, 2)),
        contact_name="孙小红",
        contact_phone="13800001111",
    )
    ElderlyPerson.objects.filter(pk=person.pk).update(
        registered_on=datetime.date.today() - datetime.timedelta(days=45)
    )
    login("staff_acheng")

    page.click("nav >> text=关爱服务")
    page.click("text=探访提醒")
    row = page.locator("tr", has_text="孙福贵")
    assert "逾期 15 天" in row.inner_text()
    row.locator("text=登记探访").click()

    assert "登记探访：孙福贵" in page.content()
    page.select_option("select[name=method]", value="home")
    page.fill("input[name=visitor]", "李干部")
    page.fill("textarea[name=situation]", "身体状况稳定，家中用电安全")
    page.fill("textarea[name=needs]", "希望子女多打电话")
    page.click("button:has-text('保存探访记录')")

    assert "已登记对 孙福贵 的探访" in page.content()
    assert "身体状况稳定，家中用电安全" in page.content()
    assert "探访记录（1 次）" in page.content()
    visit = ElderlyVisit.objects.get()
    assert visit.visit_date == datetime.date.today()
    assert visit.recorded_by.username == "staff_acheng"

    page.click("nav >> text=关爱服务")
    page.click("text=探访提醒")
    assert "所有留守老年人都在探访周期内" in page.locator("main").inner_text()
