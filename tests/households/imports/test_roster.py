"""Parsing a household roster into per-household plans (§1, §3), no database."""

import datetime
from decimal import Decimal

import pytest

from households.imports.roster import parse_roster_file

from .helpers import (
    ACHENG,
    HEADER,
    QIJI,
    TOWNSHIPS,
    family,
    make_id,
    person,
    roster_bytes,
    rows_for,
    workbook_bytes,
)


def parse(data, *, township=QIJI, **options):
    return parse_roster_file(
        data, townships=TOWNSHIPS, township=township, name="花名册.xlsx", **options
    )


def codes(found) -> list[tuple]:
    return [(i.code, i.row, i.column) for i in found]


def household(plan, number):
    return next(h for h in plan.households if h.household_no == number)


def test_the_example_roster_parses_without_error_or_warning(sample_path):
    plan = parse_roster_file(sample_path, townships=TOWNSHIPS, township="七级镇")
    assert plan.file == "village-roster-example.xlsx"
    assert [h.household_no for h in plan.households] == [
        "QJ0001",
        "QJ0002",
        "QJ0003",
        "QJ0004",
        "QJ0005",
    ]
    assert sum(len(h.members) for h in plan.households) == 11
    assert {h.village for h in plan.households} == {"示例村"}
    assert {h.township.name for h in plan.households} == {"七级镇"}
    assert plan.errors == [] and plan.warnings == []
    assert all(h.valid for h in plan.households)


def test_an_unknown_chosen_township_is_a_file_error(sample_path):
    plan = parse_roster_file(sample_path, townships=TOWNSHIPS, township="不存在镇")
    assert codes(plan.errors) == [("unknown_township", None, None)]
    assert plan.file_error and plan.households == []


def test_the_example_parses_without_a_township_chosen(sample_path):
    plan = parse_roster_file(sample_path, townships=TOWNSHIPS)
    assert plan.errors == [] and len(plan.households) == 5


def test_a_household_plan_holds_the_parsed_values():
    head = person(
        "QJ0001",
        "户主",
        name="马 春生",
        birth=datetime.date(1956, 2, 11),
        贫困户属性="低保户",
        脱贫状态="已脱贫（享受政策）",
        健康状况="残疾",
        残疾类别="肢体残疾",
        残疾等级="二级",
        家庭年人均纯收入="4,200",
        联系电话=13800000000,
        备注="  独居 ",
    )
    wife = person(
        "QJ0001",
        "配偶",
        male=False,
        家庭年人均纯收入=None,
        贫困户属性=None,
        脱贫状态=None,
    )
    plan = parse(roster_bytes([head, wife]))
    assert plan.errors == [] and plan.warnings == []
    found = household(plan, "QJ0001")
    assert (found.sheet, found.row) == ("花名册", 3)
    assert found.township.name == "七级镇" and found.village == "示例村"
    assert found.values == {
        "poverty_type": "dibao",
        "poverty_status": "lifted_keeping_policy",
        "income_per_capita": Decimal("4200.00"),
    }
    first = found.members[0]
    assert (first.sheet, first.row, first.id_number) == ("花名册", 3, head["证件号码"])
    assert first.values == {
        "name": "马春生",
        "relation": "head",
        "sex": "male",
        "birth_date": datetime.date(1956, 2, 11),
        "health": "disabled",
        "disability_category": "physical",
        "disability_grade": 2,
        "labor_capacity": "ordinary",
        "self_care": "full",
        "employment": "farming",
        "phone": "13800000000",
        "note": "独居",
    }
    assert found.members[1].values["relation"] == "spouse"
    assert found.members[1].values["sex"] == "female"


def test_blank_optional_cells_set_nothing():
    head = person("QJ0001", 健康状况=None, 劳动能力=" ", 就业状况=None, 性别=None)
    head["出生日期"] = None
    plan = parse(roster_bytes([head]))
    values = plan.households[0].members[0].values
    assert "health" not in values and "labor_capacity" not in values
    assert values["sex"] == "male"  # from the ID number


def test_households_are_grouped_by_number_across_rows_and_sheets():
    first, second = family("QJ0001", 2), family("QJ0002", 2)
    data = workbook_bytes(
        {
            "一组": [HEADER, *rows_for([first[0], second[0]])],
            "二组": [HEADER, *rows_for([second[1], first[1]])],
        }
    )
    plan = parse(data)
    assert plan.errors == []
    assert [(m.sheet, m.row) for m in household(plan, "QJ0001").members] == [
        ("一组", 2),
        ("二组", 3),
    ]


def test_household_values_come_from_the_head_even_when_the_head_is_not_first():
    son = person("QJ0001", "之子", 贫困户属性=None, 家庭年人均纯收入=None)
    head = person("QJ0001", "户主", 贫困户属性="特困户", 家庭年人均纯收入=900)
    plan = parse(roster_bytes([son, head]))
    assert plan.errors == []
    assert household(plan, "QJ0001").values["poverty_type"] == "tekun"
    assert household(plan, "QJ0001").values["income_per_capita"] == Decimal("900.00")


def test_a_household_value_missing_on_the_head_row_is_taken_from_another_row():
    head = person("QJ0001", "户主", 家庭年人均纯收入=None)
    wife = person("QJ0001", "配偶", male=False, 家庭年人均纯收入=3100)
    plan = parse(roster_bytes([head, wife]))
    assert plan.errors == []
    assert household(plan, "QJ0001").values["income_per_capita"] == Decimal("3100.00")


def test_conflicting_household_values_are_invalid_on_the_other_rows():
    head = person("QJ0001", "户主", 贫困户属性="低保户", 家庭年人均纯收入=4200)
    wife = person(
        "QJ0001", "配偶", male=False, 贫困户属性="低保贫困户", 家庭年人均纯收入=3000
    )
    son = person(
        "QJ0001", "之子", village="东街村", 脱贫状态="稳定脱贫", 贫困户属性=None
    )
    plan = parse(roster_bytes([head, wife, son]))
    assert codes(plan.errors) == [
        ("invalid_value", 4, "家庭年人均纯收入"),
        ("invalid_value", 5, "村（居）"),
        ("invalid_value", 5, "脱贫状态"),
    ]
    assert "户主所在行" in plan.errors[0].message
    assert not household(plan, "QJ0001").valid


def test_villages_are_compared_after_normalisation():
    head = person("QJ0001", "户主", village="示例村")
    wife = person("QJ0001", "配偶", male=False, village=" 示例 村")
    assert parse(roster_bytes([head, wife])).errors == []


def test_rows_naming_different_townships_are_invalid():
    head = person("QJ0001", "户主", township="阿城")
    wife = person("QJ0001", "配偶", male=False, township="七级镇")
    plan = parse(roster_bytes([head, wife]), township=None)
    assert codes(plan.errors) == [("invalid_value", 4, "乡镇（街道）")]
    same = [
        person("QJ0002", "户主", township="阿城"),
        person("QJ0002", "配偶", male=False, township="阿城镇"),
    ]
    assert parse(roster_bytes(same), township=None).errors == []


def test_no_head_is_reported_on_the_first_row():
    plan = parse(
        roster_bytes([person("QJ0001", "配偶", male=False), person("QJ0001", "之子")])
    )
    assert codes(plan.errors) == [("no_head", 3, "与户主关系")]


def test_multiple_heads_are_reported_on_every_head_after_the_first():
    people = [
        person("QJ0001", "户主"),
        person("QJ0001", "户主"),
        person("QJ0001", "户主"),
    ]
    plan = parse(roster_bytes(people))
    assert codes(plan.errors) == [
        ("multiple_heads", 4, "与户主关系"),
        ("multiple_heads", 5, "与户主关系"),
    ]


def test_a_duplicate_id_number_is_reported_on_every_later_occurrence():
    number = make_id()
    people = [
        person("QJ0001", id_number=number),
        person("QJ0002", id_number=number),
        person("QJ0003", id_number=number[:6] + number[8:17]),  # the 15-digit form
    ]
    plan = parse(roster_bytes(people))
    assert codes(plan.errors) == [
        ("id_duplicate_in_file", 4, "证件号码"),
        ("id_duplicate_in_file", 5, "证件号码"),
    ]
    assert "第 3 行" in plan.errors[0].message
    assert household(plan, "QJ0001").valid
    assert not household(plan, "QJ0002").valid


def test_required_values_missing():
    head = person("QJ0001", name=" ", relation=None, village=None)
    head["证件号码"] = None
    lost = person(None)
    plan = parse(roster_bytes([head, lost]))
    assert codes(plan.errors) == [
        ("required_value_missing", 3, "村（居）"),
        ("required_value_missing", 3, "姓名"),
        ("required_value_missing", 3, "与户主关系"),
        ("required_value_missing", 3, "证件号码"),
        ("no_head", 3, "与户主关系"),
        ("required_value_missing", 4, "户编号"),
    ]
    assert plan.unassigned_rows == 1
    assert [h.household_no for h in plan.households] == ["QJ0001"]


def test_the_township_is_required_when_none_is_chosen():
    head = person("QJ0001", township=None)
    plan = parse(roster_bytes([head]), township=None)
    assert codes(plan.errors) == [("required_value_missing", 3, "乡镇（街道）")]
    assert parse(roster_bytes([head]), township=QIJI).errors == []


def test_the_township_column_may_be_left_out_when_a_township_is_chosen():
    header = [h for h in HEADER if h != "乡镇（街道）"]
    data = roster_bytes(family("QJ0001", 2), header=header)
    plan = parse(data, township=ACHENG)
    assert plan.errors == [] and plan.households[0].township.name == "阿城镇"
    missing = parse(data, township=None)
    assert codes(missing.errors) == [("missing_column", None, "乡镇（街道）")]
    assert missing.file_error and missing.households == []


def test_an_unknown_township_and_one_other_than_chosen():
    plan = parse(
        roster_bytes(
            [person("QJ0001", township="东城镇"), person("QJ0002", township="阿城")]
        )
    )
    assert codes(plan.errors) == [
        ("unknown_township", 3, "乡镇（街道）"),
        ("invalid_value", 4, "乡镇（街道）"),
    ]
    assert "七级镇" in plan.errors[1].message


def test_townships_match_by_suffix_and_alias():
    people = [person("G1", township="郭屯镇"), person("Y1", township="闫楼")]
    plan = parse(roster_bytes(people), township=None)
    assert plan.errors == []
    assert [h.township.name for h in plan.households] == ["郭店屯镇", "阎楼镇"]


@pytest.mark.parametrize(
    ("column", "typed"),
    [
        ("与户主关系", "大哥"),
        ("贫困户属性", "贫困"),
        ("脱贫状态", "是"),
        ("健康状况", "良"),
        ("残疾类别", "盲"),
        ("残疾等级", "五级"),
        ("劳动能力", "强"),
        ("生活自理能力", "好"),
        ("就业状况", "打工"),
        ("家庭年人均纯收入", "很少"),
        ("出生日期", "1956-02-30"),
        ("性别", "未知"),
    ],
)
def test_an_unrecognised_coded_value_is_invalid(column, typed):
    plan = parse(roster_bytes([person("QJ0001", **{column: typed})]))
    assert codes(plan.errors)[0] == ("invalid_value", 3, column)
    assert typed in plan.errors[0].message


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (371521195602114133, "id_numeric_precision_lost"),
        ("3.71521E+17", "id_numeric_precision_lost"),
        ("37152119560211413", "id_invalid_format"),
        ("371521195602304133", "id_invalid_date"),
        ("371521195602114134", "id_invalid_checksum"),
    ],
)
def test_id_number_errors(typed, code):
    plan = parse(roster_bytes([person("QJ0001", id_number=typed)]))
    assert codes(plan.errors) == [(code, 3, "证件号码")]


def test_id_number_warnings():
    old = make_id(datetime.date(1956, 2, 11))
    elsewhere = make_id(area="110105")
    people = [
        person(
            "QJ0001", id_number=old[:6] + old[8:17], birth=datetime.date(1956, 2, 11)
        ),
        person("QJ0002", id_number=elsewhere),
        person("QJ0003", 性别="女"),
        person("QJ0004", 出生日期="1960-05-02"),
    ]
    plan = parse(roster_bytes(people))
    assert plan.errors == []
    assert codes(plan.warnings) == [
        ("id_upgraded_15", 3, "证件号码"),
        ("id_area_not_local", 4, "证件号码"),
        ("sex_mismatch", 5, "性别"),
        ("birth_date_mismatch", 6, "出生日期"),
    ]
    upgraded = household(plan, "QJ0001").members[0]
    assert len(upgraded.id_number) == 18 and upgraded.id_number.startswith("371521")
    assert household(plan, "QJ0003").members[0].values["sex"] == "male"


def test_merged_household_numbers_and_villages_group_a_family():
    people = rows_for(family("QJ0001", 3) + family("QJ0002", 2))
    for later in (people[1], people[2], people[4]):
        later[HEADER.index("户编号")] = None
        later[HEADER.index("村（居）")] = None
    data = workbook_bytes(
        [["标题"], HEADER, *people],
        merges={"花名册": ["D3:D5", "C3:C5", "D6:D7", "C6:C7", "A1:T1"]},
    )
    plan = parse(data)
    assert plan.errors == []
    assert [len(h.members) for h in plan.households] == [3, 2]


def test_a_two_row_header_with_group_titles():
    people = rows_for(
        [person("QJ0001", 健康状况="残疾", 残疾类别="智力", 残疾等级="3级")], HEADER
    )
    upper = [("残疾情况" if h == "残疾类别" else h) for h in HEADER]
    upper[HEADER.index("残疾等级")] = None
    lower = [(h if h in ("残疾类别", "残疾等级") else None) for h in HEADER]
    merges = [f"{c}2:{c}3" for c in "ABCDEFGHIJKLOPQRST"] + ["M2:N2"]
    data = workbook_bytes(
        [["标题"], upper, lower, *people],
        merges={"花名册": merges},
    )
    plan = parse(data)
    assert plan.errors == []
    values = plan.households[0].members[0].values
    assert (values["disability_category"], values["disability_grade"]) == (
        "intellectual",
        3,
    )
    assert plan.households[0].row == 4


def test_hostile_files_become_one_file_unreadable_error():
    for data in (b"", b"\x00not a workbook" * 100, "姓名,身份证\n".encode()):
        plan = parse(data)
        assert codes(plan.errors) == [("file_unreadable", None, None)]
        assert plan.file_error and plan.file == "花名册.xlsx"


def test_too_many_data_rows_is_file_unreadable():
    data = roster_bytes(family("QJ0001", 3))
    assert parse(data, max_rows=3).errors == []
    plan = parse(data, max_rows=2)
    assert codes(plan.errors) == [("file_unreadable", None, None)]


def test_an_empty_workbook_has_no_header_row():
    plan = parse(workbook_bytes({"Sheet1": []}))
    assert codes(plan.errors) == [("no_header_row", None, None)]
    assert plan.file_error


def test_errors_are_sorted_by_sheet_and_row():
    data = workbook_bytes(
        {
            "一组": [HEADER, *rows_for([person("A1", relation="大哥"), person("A2")])],
            "二组": [HEADER, *rows_for([person("B1", relation="配偶")])],
        }
    )
    plan = parse(data)
    assert [(e.sheet, e.row, e.code) for e in plan.errors] == [
        ("一组", 2, "invalid_value"),
        ("一组", 2, "no_head"),
        ("二组", 2, "no_head"),
    ]
