"""模板下载: the roster templates and the view that serves them."""

import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from households.imports import values as v
from households.imports.roster_import import roster_import
from households.imports.template import (
    BENEFIT_TEMPLATE,
    CODED_LISTS,
    HOUSEHOLD_TEMPLATE,
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    roster_template,
)
from households.models import Household, Township
from subsidies.imports.roster_import import benefit_roster_import
from tests.factories import make_village

pytestmark = pytest.mark.django_db

ROSTER, BENEFITS = "household_roster", "benefit_roster"
ROSTER_DROPDOWNS = [
    "与户主关系",
    "性别",
    "贫困户属性",
    "脱贫状态",
    "健康状况",
    "残疾类别",
    "残疾等级",
    "劳动能力",
    "生活自理能力",
    "就业状况",
]
BENEFIT_DROPDOWNS = ["救助类别", "保障方式", "状态", "停保原因"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def download(user, kind=ROSTER):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("households:import_template", args=[kind]))
    assert response.status_code == 200
    return response


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[2] if cell.value]


def dropdowns(book, sheet) -> dict[str, list[str]]:
    """Header text → the values its list validation offers."""
    names = header(sheet)
    options = book[OPTIONS_SHEET]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        ref = str(validation.sqref)
        column = openpyxl.utils.column_index_from_string(ref.split(":")[0][0])
        assert ref.split(":")[0][1:] == "3", ref  # from the first data row
        source = validation.formula1.split("!")[1].replace("$", "")
        cells = options[source]
        found[names[column - 1]] = [row[0].value for row in cells]
    return found


def column_format(sheet, title: str) -> str:
    letter = openpyxl.utils.get_column_letter(header(sheet).index(title) + 1)
    return sheet.column_dimensions[letter].number_format


@pytest.fixture
def villages(qiji, acheng):
    make_village(qiji, "示例村")
    make_village(qiji, "北街社区")
    make_village(acheng, "东关村")


def test_it_serves_the_household_template_for_the_staff_members_township(
    staff_qiji, villages
):
    response = download(staff_qiji)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "七级镇建档立卡贫困户花名册模板.xlsx" in unquote(
        response["Content-Disposition"]
    )
    book = load(response.content)
    assert book.sheetnames == ["花名册", INSTRUCTIONS_SHEET, OPTIONS_SHEET]
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    sheet = book["花名册"]
    assert "七级镇" in sheet["A1"].value
    assert header(sheet) == [column.header for column in HOUSEHOLD_TEMPLATE]
    offered = dropdowns(book, sheet)
    assert offered["乡镇（街道）"] == ["七级镇"]
    assert offered["村（居）"] == ["北街社区", "示例村"]  # not 阿城镇's 东关村
    for title in ROSTER_DROPDOWNS:
        assert offered[title] == CODED_LISTS[title], title
    assert offered["与户主关系"][0] == "户主"
    assert offered["残疾等级"] == ["一级", "二级", "三级", "四级"]


def test_the_id_column_and_other_number_like_text_are_formatted_as_text(staff_qiji):
    sheet = load(download(staff_qiji).content)["花名册"]
    for title in ("身份证号码", "户编号", "残疾人证号", "联系电话"):
        assert column_format(sheet, title) == "@", title
    assert column_format(sheet, "出生日期") == "yyyy-mm-dd"
    assert column_format(sheet, "姓名") == "General"
    benefits = load(download(staff_qiji, BENEFITS).content)["救助补贴名册"]
    assert column_format(benefits, "身份证号码") == "@"


def test_the_instructions_sheet_explains_every_column(staff_qiji, villages):
    notes = load(download(staff_qiji).content)[INSTRUCTIONS_SHEET]
    rows = {
        row[0]: row[1:]
        for row in notes.iter_rows(values_only=True)
        if row[0] and row[1]
    }
    for column in HOUSEHOLD_TEMPLATE:
        required, note, accepted = rows[column.header]
        if column.header == "乡镇（街道）":
            assert required == "按乡镇导入时可不填"
        else:
            assert required == ("必填" if column.required else "可不填")
        assert note
    assert rows["与户主关系"][2] == "、".join(CODED_LISTS["与户主关系"])
    assert rows["村（居）"][2] == "北街社区、示例村"
    assert "文本" in rows["身份证号码"][1]
    text = " ".join(
        str(c) for row in notes.iter_rows(values_only=True) for c in row if c
    )
    assert "不会被导入" in text


def test_the_admin_is_offered_every_township_and_village(admin_user, villages):
    response = download(admin_user)
    assert "attachment" in response["Content-Disposition"]
    book = load(response.content)
    offered = dropdowns(book, book["花名册"])
    assert offered["乡镇（街道）"] == list(
        Township.objects.order_by("order", "name").values_list("name", flat=True)
    )
    assert len(offered["乡镇（街道）"]) == 18
    assert offered["村（居）"] == ["东关村", "北街社区", "示例村"]


def test_the_benefit_template_has_its_own_columns_and_dropdowns(staff_qiji):
    response = download(staff_qiji, BENEFITS)
    assert "救助补贴名册模板.xlsx" in unquote(response["Content-Disposition"])
    book = load(response.content)
    sheet = book["救助补贴名册"]
    assert header(sheet) == [column.header for column in BENEFIT_TEMPLATE]
    offered = dropdowns(book, sheet)
    assert set(offered) == set(BENEFIT_DROPDOWNS)
    assert offered["救助类别"][:2] == ["低保", "特困供养"]
    assert offered["保障方式"] == ["整户", "单人", "分散", "集中"]
    assert offered["状态"] == ["在保", "延保", "暂停", "停保", "待审批"]


def test_without_villages_the_village_column_has_no_dropdown():
    data = roster_template(kind=ROSTER, townships=["七级镇"], villages=[])
    book = load(data)
    assert "村（居）" not in dropdowns(book, book["花名册"])
    notes = {
        row[0]: row for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True)
    }
    assert "导入时新建" in notes["村（居）"][3]


@pytest.mark.parametrize(
    "title, parse",
    [
        ("与户主关系", v.parse_relation),
        ("性别", v.parse_sex),
        ("贫困户属性", v.parse_poverty_type),
        ("脱贫状态", v.parse_poverty_status),
        ("健康状况", v.parse_health),
        ("残疾类别", v.parse_disability_category),
        ("残疾等级", v.parse_disability_grade),
        ("劳动能力", v.parse_labor_capacity),
        ("生活自理能力", v.parse_self_care),
        ("就业状况", v.parse_employment),
        ("救助类别", v.parse_benefit),
        ("状态", v.parse_status),
        ("停保原因", v.parse_end_reason),
    ],
)
def test_every_dropdown_value_is_one_the_import_accepts(title, parse):
    codes = [parse(value) for value in CODED_LISTS[title]]
    assert None not in codes
    assert len(set(codes)) == len(codes)


def test_every_care_mode_and_scope_value_is_accepted():
    dibao, tekun = CODED_LISTS["保障方式"][:2], CODED_LISTS["保障方式"][2:]
    assert [v.parse_scope(x, benefit="dibao") for x in dibao] == [
        "household",
        "individual",
    ]
    assert [v.parse_scope(x, benefit="tekun") for x in tekun] == [
        "dispersed",
        "centralized",
    ]
    assert v.parse_scope("单人", benefit="dibao") == "individual"
    assert v.parse_scope("集中", benefit="tekun") == "centralized"


def test_importing_the_untouched_templates_reports_nothing(
    staff_qiji, admin_user, qiji, villages
):
    for user, township in ((staff_qiji, qiji), (admin_user, None)):
        data = download(user).content
        result = roster_import(
            source=data, name="模板.xlsx", township=township, actor=user, dry_run=True
        )
        assert result.as_json()["errors"] == [], user
        assert result.as_json()["warnings"] == [], user
        assert result.households.as_dict()["created"] == 0
        benefits = benefit_roster_import(
            source=download(user, BENEFITS).content,
            name="模板.xlsx",
            actor=user,
            dry_run=True,
        )
        assert benefits.errors == [] and benefits.warnings == [], user


def test_a_template_filled_with_dropdown_values_imports_without_a_warning(
    staff_qiji, qiji, villages
):
    book = load(download(staff_qiji).content)
    sheet = book["花名册"]
    titles = header(sheet)
    rows = [
        {
            "村（居）": "示例村",
            "户编号": "0012",
            "姓名": "马春生",
            "身份证号码": "371521195602114133",
            "与户主关系": "户主",
            "性别": "男",
            "贫困户属性": "低保贫困户",
            "脱贫状态": "已脱贫（享受政策）",
            "健康状况": "残疾",
            "残疾类别": "肢体",
            "残疾等级": "二级",
            "劳动能力": "丧失劳动力",
            "生活自理能力": "半失能",
            "就业状况": "无业",
            "家庭年人均纯收入": 2600,
        },
        {
            "乡镇（街道）": "七级镇",
            "村（居）": "示例村",
            "户编号": "0012",
            "姓名": "马李氏",
            "身份证号码": "371521195809035002",
            "与户主关系": "配偶",
        },
    ]
    for offset, values in enumerate(rows):
        for title, value in values.items():
            sheet.cell(row=3 + offset, column=titles.index(title) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    result = roster_import(
        source=buffer.getvalue(), name="已填写.xlsx", actor=staff_qiji
    )
    assert result.errors == [] and result.warnings == []
    household = Household.objects.get(household_no="0012")
    assert household.poverty_type == "dibao"
    head = household.members.get(relation="head")
    assert (head.disability_category, head.disability_grade) == ("physical", 2)
