"""Parsing a benefit roster into validated rows (§2, §3), no database."""

import datetime
from decimal import Decimal

import pytest

from subsidies.imports.roster import parse_benefit_roster_file, same_name
from tests.households.imports.helpers import workbook_bytes

from .helpers import HEADER, benefit_row, benefits_bytes, make_id


def parse(data, **options):
    return parse_benefit_roster_file(data, name="名册.xlsx", **options)


def codes(found) -> list[tuple]:
    return [(i.code, i.row, i.column) for i in found]


def only_row(plan):
    (row,) = plan.rows
    return row


def test_it_reads_every_column_of_a_row():
    number = make_id(datetime.date(1950, 3, 1))
    plan = parse(
        benefits_bytes(
            [
                benefit_row(
                    " 王 大山 ",
                    number,
                    "低保",
                    保障方式="单人保",
                    开始日期=datetime.date(2019, 1, 1),
                    结束日期="2020.03",
                    停保原因="就业",
                    月标准="380",
                    状态="停保",
                )
            ]
        )
    )
    assert plan.errors == [] and plan.warnings == []
    row = only_row(plan)
    assert (row.sheet, row.row) == ("花名册", 3)
    assert row.name == "王大山"
    assert row.id_number == number
    assert row.benefit == "dibao"
    assert (row.scope, row.care_mode, row.mode_given) == ("individual", "", True)
    assert row.start == datetime.date(2019, 1, 1)
    assert row.end == datetime.date(2020, 3, 31)  # a month ends on its last day
    assert row.end_reason == "employment"
    assert row.amount == Decimal("380.00")
    assert row.status == "ended"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("低保", "dibao"),
        ("最低生活保障", "dibao"),
        ("特困", "tekun"),
        ("五保", "tekun"),
        ("特困供养", "tekun"),
        ("临时救助", "temporary_assistance"),
        ("生活补贴", "disability_living"),
        ("困难残疾人生活补贴", "disability_living"),
        ("护理补贴", "disability_nursing"),
        ("残疾人护理补贴", "disability_nursing"),
        ("老年人补贴", "elderly"),
        ("困难老年人补贴", "elderly"),
    ],
)
def test_it_accepts_the_benefit_names_of_the_format(typed, code):
    row = only_row(
        parse(
            benefits_bytes(
                [benefit_row("甲", make_id(), typed, 开始日期="2020-01-01", 月标准=100)]
            )
        )
    )
    assert row.benefit == code


def test_it_applies_the_defaults_of_blank_cells():
    plan = parse(
        benefits_bytes(
            [
                benefit_row("甲", make_id(), "低保"),
                benefit_row("乙", make_id(), "特困"),
                benefit_row("丙", make_id(), "老年人补贴", 保障方式="整户"),
            ]
        )
    )
    dibao, tekun, elderly = plan.rows
    assert (dibao.scope, dibao.mode_given, dibao.status) == (
        "household",
        False,
        "active",
    )
    assert (tekun.care_mode, tekun.mode_given) == ("dispersed", False)
    # 保障方式 means nothing for other benefits: ignored, not an error.
    assert (elderly.scope, elderly.care_mode) == ("", "")
    assert dibao.end_reason is None and dibao.start is None
    assert plan.errors == []


def test_it_reads_months_as_first_and_last_days():
    row = only_row(
        parse(
            benefits_bytes(
                [
                    benefit_row(
                        "甲", make_id(), "低保", 开始日期="2020年3月", 结束日期=202002
                    )
                ]
            )
        )
    )
    assert row.start == datetime.date(2020, 3, 1)
    assert row.end == datetime.date(2020, 2, 29)
    assert row.errors  # and the end before the start is reported


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("在保", "active"),
        ("正常", "active"),
        ("延保", "extension"),
        ("暂停", "suspended"),
        ("停保", "ended"),
        ("待审批", "pending"),
        ("申请中", "pending"),
    ],
)
def test_it_reads_every_status(typed, status):
    assert (
        only_row(
            parse(benefits_bytes([benefit_row("甲", make_id(), 状态=typed)]))
        ).status
        == status
    )


def test_it_finds_the_header_by_synonyms_and_uses_both_mode_columns():
    header = [
        "姓名",
        "公民身份号码",
        "项目",
        "保障方式",
        "供养方式",
        "享受日期",
        "停发年月",
        "退出原因",
        "金额（元）",
        "状态",
    ]
    dibao_id, tekun_id = make_id(), make_id()
    data = workbook_bytes(
        [
            header,
            ["甲", dibao_id, "低保", "单人", None, "2020-01", None, None, 300, None],
            ["乙", tekun_id, "特困", None, "集中", "2020-01", None, None, 600, None],
        ]
    )
    plan = parse(data)
    assert plan.errors == []
    dibao, tekun = plan.rows
    assert dibao.scope == "individual"
    assert (tekun.care_mode, tekun.mode_given) == ("centralized", True)
    assert tekun.start == datetime.date(2020, 1, 1)


def test_a_grant_row_ignores_status_end_and_mode():
    row = only_row(
        parse(
            benefits_bytes(
                [
                    benefit_row(
                        "甲",
                        make_id(),
                        "临时救助",
                        开始日期="2020-03-15",
                        月标准="1,500",
                        状态="乱写",
                        结束日期="不是日期",
                        保障方式="也不对",
                    )
                ]
            )
        )
    )
    assert row.errors == []
    assert row.is_grant
    assert (row.start, row.amount) == (datetime.date(2020, 3, 15), Decimal("1500.00"))


def test_a_grant_needs_a_date_and_a_positive_amount():
    plan = parse(
        benefits_bytes(
            [
                benefit_row("甲", make_id(), "临时救助", 月标准=500),
                benefit_row("乙", make_id(), "临时救助", 开始日期="2020-03-01"),
                benefit_row(
                    "丙", make_id(), "临时救助", 开始日期="2020-03-01", 月标准=0
                ),
            ]
        )
    )
    assert codes(plan.errors) == [
        ("required_value_missing", 3, "开始日期"),
        ("required_value_missing", 4, "月标准"),
        ("invalid_value", 5, "月标准"),
    ]
    assert all("请" in e.message for e in plan.errors)


def test_a_grant_date_without_its_column_is_reported_without_a_column():
    header = ["姓名", "身份证号码", "救助类别", "发放金额"]
    plan = parse(workbook_bytes([header, ["甲", make_id(), "临时救助", 800]]))
    assert codes(plan.errors) == [("required_value_missing", 2, None)]
    assert "开始日期" in plan.errors[0].message


@pytest.mark.parametrize(
    ("columns", "code", "column"),
    [
        ({"姓名": None}, "required_value_missing", "姓名"),
        ({"身份证号码": None}, "required_value_missing", "身份证号码"),
        ({"救助类别": None}, "required_value_missing", "救助类别"),
        ({"救助类别": "教育救助"}, "invalid_value", "救助类别"),
        ({"状态": "在册"}, "invalid_value", "状态"),
        ({"保障方式": "集中"}, "invalid_value", "保障方式"),
        ({"开始日期": "2020-13-01"}, "invalid_value", "开始日期"),
        ({"开始日期": "去年"}, "invalid_value", "开始日期"),
        ({"结束日期": "2020-02-30"}, "invalid_value", "结束日期"),
        ({"停保原因": "不想要了"}, "invalid_value", "停保原因"),
        ({"月标准": "三百"}, "invalid_value", "月标准"),
        ({"月标准": -5}, "invalid_value", "月标准"),
        ({"月标准": 1e9}, "invalid_value", "月标准"),
        ({"身份证号码": "37152119500101001"}, "id_invalid_format", "身份证号码"),
        ({"身份证号码": "371521195001010010"}, "id_invalid_checksum", "身份证号码"),
        ({"身份证号码": "371521195002300019"}, "id_invalid_date", "身份证号码"),
        ({"身份证号码": 371521195001010000}, "id_numeric_precision_lost", "身份证号码"),
        ({"身份证号码": "3.71521E+17"}, "id_numeric_precision_lost", "身份证号码"),
    ],
)
def test_it_reports_a_cell_it_cannot_read(columns, code, column):
    row = {**benefit_row("甲", make_id(), "低保"), **columns}
    plan = parse(benefits_bytes([row]))
    assert codes(plan.errors) == [(code, 3, column)]
    assert plan.rows[0].errors == plan.errors
    assert "请" in plan.errors[0].message


def test_an_end_before_the_start_is_invalid():
    plan = parse(
        benefits_bytes(
            [
                benefit_row(
                    "甲",
                    make_id(),
                    "低保",
                    开始日期="2020-05-01",
                    结束日期="2020-04-30",
                )
            ]
        )
    )
    assert codes(plan.errors) == [("invalid_value", 3, "结束日期")]


def test_the_same_record_twice_in_the_file_is_an_error_on_the_second():
    person = make_id()
    plan = parse(
        benefits_bytes(
            [
                benefit_row("甲", person, "低保", 开始日期="2020-01-01"),
                benefit_row("甲", person, "老年人补贴", 开始日期="2020-01-01"),
                benefit_row("甲", person, "低保", 开始日期="2020-01", 状态="停保"),
                benefit_row("甲", person, "特困"),
                benefit_row("甲", person, "特困", 供养方式="集中"),
                benefit_row(
                    "甲", person, "临时救助", 开始日期="2020-03-01", 月标准=500
                ),
                benefit_row(
                    "甲", person, "临时救助", 开始日期="2020-03-01", 月标准=800
                ),
                benefit_row(
                    "甲", person, "临时救助", 开始日期="2020-03-01", 月标准="500.00"
                ),
            ]
        )
    )
    assert codes(plan.errors) == [
        ("id_duplicate_in_file", 5, "身份证号码"),
        ("id_duplicate_in_file", 7, "身份证号码"),
        ("id_duplicate_in_file", 10, "身份证号码"),
    ]
    assert "第 3 行" in plan.errors[0].message


def test_it_warns_about_upgraded_and_non_local_numbers():
    upgraded = "371521500101001"  # 15 digits, a text cell
    elsewhere = make_id(area="110105")
    plan = parse(
        benefits_bytes([benefit_row("甲", upgraded), benefit_row("乙", elsewhere)])
    )
    assert plan.errors == []
    assert codes(plan.warnings) == [
        ("id_upgraded_15", 3, "身份证号码"),
        ("id_area_not_local", 4, "身份证号码"),
    ]
    assert plan.rows[0].id_number.startswith("37152119500101001")


def test_it_skips_titles_blank_rows_and_footers():
    rows = [benefit_row("甲", make_id()), {}, benefit_row("乙", make_id())]
    plan = parse(benefits_bytes(rows, header=HEADER[1:]))  # no 序号 numbering
    assert [r.row for r in plan.rows] == [3, 5]


def test_a_file_without_a_header_row_is_a_file_error():
    plan = parse(workbook_bytes([["名单"], ["张三", "371521195001010013"]]))
    assert plan.file_error
    assert codes(plan.errors) == [("no_header_row", None, None)]


def test_a_sheet_without_the_benefit_column_is_a_file_error():
    plan = parse(workbook_bytes([["姓名", "身份证号码"], ["甲", make_id()]]))
    assert plan.file_error
    assert codes(plan.errors) == [("missing_column", None, "救助类别")]


def test_an_unreadable_file_is_one_error():
    plan = parse(b"name,id\n")
    assert plan.file_error and plan.file == "名册.xlsx"
    assert codes(plan.errors) == [("file_unreadable", None, None)]


def test_names_compare_without_spaces_or_width():
    assert same_name("王 大山", "王大山")
    assert same_name("ＡＢ", "AB")
    assert not same_name("王大三", "王大山")


def test_every_column_of_the_helpers_header_maps_to_a_field():
    plan = parse(benefits_bytes([benefit_row("甲", make_id())]))
    assert set(plan.rows[0].header.columns) == {
        "name",
        "id_number",
        "benefit",
        "scope",
        "start",
        "end",
        "end_reason",
        "amount",
        "status",
    }


def test_a_person_merged_over_several_benefit_rows_applies_to_each():
    number = make_id()
    data = workbook_bytes(
        [
            ["姓名", "身份证号码", "救助类别", "开始日期"],
            ["甲", number, "低保", "2019-01"],
            [None, None, "老年人补贴", "2019-01"],
            [None, None, "临时救助", "2020-02-01"],
        ],
        merges={"花名册": ["A2:A4", "B2:B4"]},
    )
    plan = parse(data)
    assert [(r.name, r.id_number, r.benefit) for r in plan.rows] == [
        ("甲", number, "dibao"),
        ("甲", number, "elderly"),
        ("甲", number, "temporary_assistance"),
    ]
    # The grant lacks its amount: the only error.
    assert codes(plan.errors) == [("required_value_missing", 4, None)]


def test_every_sheet_is_read_and_others_are_reported_or_skipped():
    header = ["姓名", "身份证号码", "救助类别"]
    person = make_id()
    data = workbook_bytes(
        {
            "低保": [header, ["甲", person, "低保"]],
            "说明": [["本名册由民政所提供"]],
            "填写说明": [["姓名：必填"]],
            "隐藏": [header, ["乙", "bad", "低保"]],
            "补贴": [header, ["甲", person, "老年人补贴"], ["甲", person, "低保"]],
        },
        hidden=["隐藏"],
    )
    plan = parse(data)
    assert [(r.sheet, r.row, r.benefit) for r in plan.rows] == [
        ("低保", 2, "dibao"),
        ("补贴", 2, "elderly"),
        ("补贴", 3, "dibao"),
    ]
    assert codes(plan.warnings) == [("sheet_skipped", None, None)]
    assert plan.warnings[0].sheet == "说明"
    assert codes(plan.errors) == [("id_duplicate_in_file", 3, "身份证号码")]
    assert plan.errors[0].sheet == "补贴"
    assert "工作表“低保”第 2 行" in plan.errors[0].message
