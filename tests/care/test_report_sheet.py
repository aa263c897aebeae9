"""The progress report's last sheet, 工作要点: the nine work points and the
indicators of 四 to 九 per township, after the report's own sheets."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from care import services
from cases.reports import SHEETS, build_progress_report, write_progress_workbook

pytestmark = pytest.mark.django_db
FIRST_SHEETS = ["封面", "汇总", "分政策", "特困集中供养", "问题台账明细", "数据质量"]


def workbook(report):
    buffer = io.BytesIO()
    write_progress_workbook(buffer, report, generated_by="测试员")
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_is_appended_after_the_reports_sheets(elder):
    assert SHEETS[-1] == "工作要点" and list(SHEETS[:6]) == FIRST_SHEETS
    book = workbook(build_progress_report(as_of=datetime.date.today()))
    assert book.sheetnames[:6] == FIRST_SHEETS
    assert book.sheetnames[-1] == "工作要点"


def test_it_lists_the_nine_points_with_their_units_and_progress(
    acheng, village, elder, child, today, django_assert_max_num_queries
):
    services.charity_drive_set(
        township=acheng, year=today.year, amount=Decimal("8000.5")
    )
    services.child_director_set(village=village, name="张主任", phone="1")
    report = build_progress_report(as_of=today)
    with django_assert_max_num_queries(25):
        book = workbook(report)
    table = rows(book["工作要点"])
    assert table[0][:4] == ["序号", "工作要点", "责任单位", "进展"]
    points = table[1:10]
    assert [row[0] for row in points] == list("一二三四五六七八九")
    assert points[6][2] == "政策法规和社会工作科、县慈善总会服务中心、各乡镇（街道）"
    assert "建档立卡户" in points[0][3] and "整改率" in points[0][3]
    assert "集中供养率" in points[1][3]
    assert points[3][3].startswith("留守老年人 1 人")
    assert "8,000.50 元" in points[6][3]

    header_at = next(i for i, row in enumerate(table) if row[0] == "乡镇（街道）")
    header = table[header_at]
    body = table[header_at + 1 : header_at + 20]
    assert [row[0] for row in body][-1] == "全县合计"
    assert len(body) == 19
    acheng_row = dict(
        zip(header, next(row for row in body if row[0] == "阿城镇"), strict=False)
    )
    assert acheng_row["留守老年人（人）"] == 1
    assert acheng_row["留守儿童（人）"] == 1
    assert acheng_row["已配备儿童主任的村（居）"] == 1
    assert acheng_row["儿童主任配备率"] == 1.0
    assert acheng_row["慈心一日捐（元）"] == 8000.5
    total = dict(zip(header, body[-1], strict=False))
    assert isinstance(total["留守老年人（人）"], int) and total["儿童督导员（人）"] == 0


def test_a_townships_report_has_its_row_and_a_total(acheng, elder, today):
    book = workbook(build_progress_report(as_of=today, township=acheng))
    table = rows(book["工作要点"])
    header_at = next(i for i, row in enumerate(table) if row[0] == "乡镇（街道）")
    assert [table[header_at + 1][0], table[header_at + 2][0]] == ["阿城镇", "合计"]
