"""The progress workbook: sheets, headers, numbers, escaping, layout."""

import datetime
import io

import openpyxl
import pytest

from cases.reports import build_progress_report, excel_text, write_progress_workbook
from checklists.models import Campaign
from tests.factories import make_household, make_member, make_village

from .report_builders import data_quality_finding, enroll_tekun, evaluate, open_case

MAY_31 = datetime.date(2020, 5, 31)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+86 123", "'+86 123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("张三", "张三"),
        ("", ""),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_excel_text_prefixes_formula_like_values_with_an_apostrophe(value, written):
    assert excel_text(value) == written


def workbook_for(report, generated_by="测试员"):
    buffer = io.BytesIO()
    write_progress_workbook(
        buffer,
        report,
        generated_by=generated_by,
        generated_at=datetime.datetime(2020, 6, 1, 9, 30, tzinfo=datetime.UTC),
    )
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def dangerous(db, acheng):
    """A household whose typed values look like formulas."""
    village = make_village(acheng, "=cmd|' /C calc'!A0")
    household = make_household(acheng, village=village, household_no="-3715210001")
    member = make_member(household, name='=HYPERLINK("http://evil","点击")')
    evaluate(
        household,
        datetime.date(2020, 4, 1),
        {member: {"elderly": "missing"}},
        findings=[
            data_quality_finding(
                household, "ID_AREA_NOT_LOCAL", member, message="@SUM(1)"
            )
        ],
    )
    open_case(
        household,
        member=member,
        opened=datetime.date(2020, 4, 1),
        message="+应落实困难老年人补贴",
    )
    return household, member


def test_it_writes_formula_like_text_as_text_with_an_apostrophe(dangerous):
    book = workbook_for(build_progress_report(as_of=MAY_31))

    ledger = values(book["问题台账明细"])
    header, row = ledger[0], ledger[1]
    entry = dict(zip(header, row, strict=True))
    assert entry["姓名"] == '\'=HYPERLINK("http://evil","点击")'
    assert entry["户编号"] == "'-3715210001"
    assert entry["村（居）"] == "'=cmd|' /C calc'!A0"
    assert entry["问题描述"] == "'+应落实困难老年人补贴"
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    listing = [r for r in values(book["数据质量"]) if r and r[0] == 1]
    assert '\'=HYPERLINK("http://evil","点击")' in listing[0]
    assert "'@SUM(1)" in listing[0]


def test_it_lists_cases_with_masked_ids_status_at_the_date_and_dates(db, acheng):
    household = make_household(acheng, household_no="3715210000001")
    make_member(household, name="户主甲")
    member = make_member(household, name="老人乙", relation="father")
    open_case(
        household,
        member=member,
        opened=datetime.date(2020, 4, 1),
        events=[
            ("submitted", "submitted", datetime.date(2020, 4, 20)),
            ("verified", "verified", datetime.date(2020, 5, 10)),
        ],
    )
    open_case(
        household,
        rule="POVERTY_TYPE_MISMATCH",
        section="social_assistance",
        policy="dibao",
        opened=datetime.date(2020, 4, 1),
    )

    april = values(
        workbook_for(build_progress_report(as_of=datetime.date(2020, 4, 25)))[
            "问题台账明细"
        ]
    )
    may = values(workbook_for(build_progress_report(as_of=MAY_31))["问题台账明细"])

    header = may[0]
    assert header[:6] == [
        "序号",
        "户编号",
        "乡镇（街道）",
        "村（居）",
        "姓名",
        "身份证号码",
    ]
    first = dict(zip(header, may[1], strict=True))
    assert (
        first["身份证号码"] == member.id_number[:6] + "********" + member.id_number[-4:]
    )
    assert first["规则代码"] == "ELDERLY_SUBSIDY_MISSING"
    assert first["问题名称"]
    assert first["责任科室"] == "慈善事业和养老服务科"
    assert first["状态"] == "已核实（销号）"
    assert first["立案日期"] == datetime.datetime(2020, 4, 1)
    assert first["整改期限"] == datetime.datetime(2020, 5, 31)
    assert first["销号日期"] == datetime.datetime(2020, 5, 10)
    second = dict(zip(header, may[2], strict=True))
    assert (second["姓名"], second["对象"], second["身份证号码"]) == (
        "户主甲",
        "整户",
        None,
    )
    assert dict(zip(header, april[1], strict=True))["状态"] == "已提交（待核实）"
    assert dict(zip(header, april[1], strict=True))["销号日期"] is None


def test_it_lays_out_sheets_for_screen_and_print(db, acheng):
    Campaign.objects.create(
        name="2020年兜底保障自查整改",
        inspection_start=datetime.date(2020, 3, 1),
        inspection_end=MAY_31,
        due_date=MAY_31,
        report_due=datetime.date(2020, 6, 30),
        is_current=True,
    )
    household = make_household(acheng)
    member = make_member(household, self_care="none", willing_centralized="yes")
    enroll_tekun(member, care_mode="centralized")
    evaluate(household, datetime.date(2020, 4, 1), {member: {"tekun": "covered"}})

    book = workbook_for(build_progress_report(as_of=MAY_31), generated_by="局管理员")

    assert book.sheetnames == [
        "封面",
        "汇总",
        "分政策",
        "特困集中供养",
        "问题台账明细",
        "数据质量",
        "分科室整改进度",
        "工作要点",
    ]
    cover = [c for row in values(book["封面"]) for c in row if c]
    assert "阳谷县" in cover
    assert "局管理员" in cover
    assert "2020-06-01 17:30" in cover  # generated_at in Asia/Shanghai
    assert any("2020年兜底保障自查整改" in str(c) for c in cover)
    summary = book["汇总"]
    assert summary.freeze_panes == "B2"
    assert summary.page_setup.orientation == "landscape"
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert summary.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert summary.page_setup.fitToHeight == 0
    assert summary.print_title_rows == "$1:$1"
    assert summary.column_dimensions["A"].width >= 12
    acheng_row = next(r for r in summary.iter_rows(min_row=2) if r[0].value == "阿城镇")
    assert acheng_row[4].number_format == "0.0%"
    assert acheng_row[1].number_format == "#,##0"

    policies = values(book["分政策"])
    assert policies[0][:2] == ["乡镇（街道）", "低保"]
    assert policies[1][1:5] == ["应享人数", "已享受", "应享未享", "部分落实"]
    tekun = policies[0].index("特困供养")
    total = policies[-1]
    assert total[0] == "全县合计"
    assert total[tekun : tekun + 4] == [1, 1, 0, 0]
    assert book["分政策"].freeze_panes == "B3"

    care = values(book["特困集中供养"])
    assert care[0][0] == "乡镇（街道）"
    total = next(r for r in care if r[0] == "全县合计")
    assert total[1:8] == [1, 1, 1, 1, 1.0, 0.5, "达标"]

    quality = values(book["数据质量"])
    assert quality[0][0] == "乡镇（街道）"
    assert quality[0][-1] == "合计"
    assert any(r[0] == "没有数据质量问题" for r in quality)
