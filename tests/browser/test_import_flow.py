"""名册导入 end to end: upload the sample roster, preview, confirm, list."""

from pathlib import Path

import pytest

from households.models import Household, ImportBatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "village-roster-example.xlsx"


def test_it_uploads_previews_and_confirms_the_sample_roster(
    page, login, live_server, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    login("staff_qiji")
    page.click("nav >> text=名册导入")
    assert "还没有导入过名册" in page.content()
    page.check("label:has-text('建档立卡户花名册')")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("#import-counts")

    assert "检查通过" in page.content()
    households = page.locator("#import-counts tbody tr").first
    assert households.locator("td").nth(0).inner_text() == "5"  # 新增 5 户
    assert not Household.objects.exists()  # the preview wrote nothing

    page.click("button:has-text('确认导入')")
    page.wait_for_selector(".alert-success")
    assert "导入完成：新增 5 户" in page.content()
    assert ImportBatch.objects.get().status == ImportBatch.Status.COMMITTED

    page.click("text=查看建档立卡户")
    page.wait_for_selector("table tbody tr >> text=QJ0005")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    listed = rows.all_inner_texts()
    for number in ("QJ0001", "QJ0002", "QJ0003", "QJ0004", "QJ0005"):
        assert any(number in row for row in listed), number
    assert any("马春生" in row and "示例村" in row for row in listed)
