"""Value parsers of the coded and typed columns (§1, §2, §3), and fuzzing."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from households import idnumbers
from households.imports import values as v

from .helpers import TOWNSHIPS, make_id


def invalid(parser, value) -> str:
    with pytest.raises(v.InvalidValue) as caught:
        parser(value)
    assert caught.value.code == "invalid_value"
    assert caught.value.message
    return caught.value.message


@pytest.mark.parametrize(
    ("parser", "table"),
    [
        (
            v.parse_relation,
            {
                "户主": "head",
                "配偶": "spouse",
                "之子": "son",
                "子": "son",
                "儿子": "son",
                "之女": "daughter",
                "女": "daughter",
                "女儿": "daughter",
                "之孙子": "grandson",
                "孙子": "grandson",
                "之外孙子": "grandson",
                "外孙子": "grandson",
                "之孙女": "granddaughter",
                "孙女": "granddaughter",
                "之外孙女": "granddaughter",
                "外孙女": "granddaughter",
                "之父": "father",
                "父亲": "father",
                "之母": "mother",
                "母亲": "mother",
                "之儿媳": "daughter_in_law",
                "儿媳": "daughter_in_law",
                "之女婿": "son_in_law",
                "女婿": "son_in_law",
                "兄": "sibling",
                "弟": "sibling",
                "姐": "sibling",
                "妹": "sibling",
                "兄弟姐妹": "sibling",
                "其他": "other",
                " 户 主 ": "head",
            },
        ),
        (v.parse_sex, {"男": "male", "女": "female", "男 ": "male"}),
        (
            v.parse_poverty_type,
            {
                "一般贫困户": "general",
                "低保贫困户": "dibao",
                "低保户": "dibao",
                "特困供养贫困户": "tekun",
                "五保户": "tekun",
                "特困户": "tekun",
            },
        ),
        (
            v.parse_poverty_status,
            {
                "未脱贫": "not_lifted",
                "已脱贫": "lifted_keeping_policy",
                "已脱贫（享受政策）": "lifted_keeping_policy",
                "已脱贫(享受政策)": "lifted_keeping_policy",
                "脱贫享受政策": "lifted_keeping_policy",
                "已脱贫（不再享受政策）": "lifted",
                "稳定脱贫": "lifted",
            },
        ),
        (
            v.parse_health,
            {
                "健康": "healthy",
                "长期慢性病": "chronic",
                "患有大病": "serious",
                "残疾": "disabled",
            },
        ),
        (
            v.parse_disability_category,
            {
                "视力": "visual",
                "视力残疾": "visual",
                "听力": "hearing",
                "听力残疾": "hearing",
                "言语": "speech",
                "言语残疾": "speech",
                "肢体": "physical",
                "肢体残疾": "physical",
                "智力": "intellectual",
                "智力残疾": "intellectual",
                "精神": "mental",
                "精神残疾": "mental",
                "多重": "multiple",
                "多重残疾": "multiple",
            },
        ),
        (
            v.parse_disability_grade,
            {
                1.0: 1,
                4.0: 4,
                "1": 1,
                "2": 2,
                "3": 3,
                "4": 4,
                "一级": 1,
                "二级": 2,
                "三级": 3,
                "四级": 4,
                "1级": 1,
                "4级": 4,
                "１级": 1,
                "壹级": 1,
                "贰级": 2,
                "叁级": 3,
                "肆级": 4,
            },
        ),
        (
            v.parse_labor_capacity,
            {
                "普通劳动力": "ordinary",
                "技能劳动力": "skilled",
                "弱劳动力或半劳动力": "weak",
                "弱劳动力": "weak",
                "半劳动力": "weak",
                "丧失劳动力": "lost",
                "无劳动力": "none",
            },
        ),
        (
            v.parse_self_care,
            {
                "全自理": "full",
                "能自理": "full",
                "半失能": "partial",
                "部分自理": "partial",
                "全失能": "none",
                "不能自理": "none",
            },
        ),
        (
            v.parse_employment,
            {
                "务工": "migrant_work",
                "务农": "farming",
                "个体经营": "self_employed",
                "无业": "unemployed",
                "在校生": "student",
                "学龄前": "preschool",
                "其他": "other",
            },
        ),
        (
            v.parse_benefit,
            {
                "低保": "dibao",
                "特困供养": "tekun",
                "特困": "tekun",
                "五保": "tekun",
                "临时救助": "temporary_assistance",
                "残疾人生活补贴": "disability_living",
                "困难残疾人生活补贴": "disability_living",
                "生活补贴": "disability_living",
                "重度残疾人护理补贴": "disability_nursing",
                "护理补贴": "disability_nursing",
                "困难老年人补贴": "elderly",
                "老年人补贴": "elderly",
            },
        ),
        (
            v.parse_status,
            {
                "在保": "active",
                "正常": "active",
                "延保": "extension",
                "暂停": "suspended",
                "停保": "ended",
                "待审批": "pending",
                "申请中": "pending",
                None: "active",
                "": "active",
            },
        ),
        (
            v.parse_end_reason,
            {
                "就业": "employment",
                "收入提高": "improved",
                "改善": "improved",
                "死亡": "death",
                "迁出": "moved",
                "其他": "other",
                None: "other",
            },
        ),
    ],
)
def test_coded_values(parser, table):
    for typed, code in table.items():
        assert parser(typed) == code, typed


@pytest.mark.parametrize(
    "parser",
    [
        v.parse_relation,
        v.parse_sex,
        v.parse_poverty_type,
        v.parse_health,
        v.parse_disability_category,
        v.parse_labor_capacity,
        v.parse_self_care,
        v.parse_employment,
    ],
)
def test_optional_coded_columns_are_none_when_blank(parser):
    assert parser(None) is None
    assert parser("  ") is None


@pytest.mark.parametrize(
    ("parser", "typed"),
    [
        (v.parse_relation, "大哥"),
        (v.parse_sex, "未知"),
        (v.parse_poverty_type, "贫困户"),
        (v.parse_poverty_status, "是"),
        (v.parse_health, "良好"),
        (v.parse_disability_category, "盲"),
        (v.parse_disability_grade, "五级"),
        (v.parse_disability_grade, 5.0),
        (v.parse_disability_grade, 1.5),
        (v.parse_labor_capacity, "强"),
        (v.parse_self_care, "自理"),
        (v.parse_employment, "打工"),
        (v.parse_benefit, "医疗救助"),
        (v.parse_status, "取消"),
        (v.parse_end_reason, "转走"),
    ],
)
def test_unknown_coded_values_name_the_accepted_ones(parser, typed):
    message = invalid(parser, typed)
    assert "请填写以下之一" in message


def test_scope_and_care_mode_depend_on_the_benefit():
    assert v.parse_scope(None, benefit="dibao") == "household"
    assert v.parse_scope("整户", benefit="dibao") == "household"
    assert v.parse_scope("单人", benefit="dibao") == "individual"
    assert v.parse_scope("单人保", benefit="dibao") == "individual"
    assert v.parse_scope(None, benefit="tekun") == "dispersed"
    assert v.parse_scope("分散", benefit="tekun") == "dispersed"
    assert v.parse_scope("集中", benefit="tekun") == "centralized"
    assert v.parse_scope("整户", benefit="elderly") is None
    invalid(lambda value: v.parse_scope(value, benefit="tekun"), "整户")


D = datetime.date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (D(1950, 3, 1), D(1950, 3, 1)),
        (datetime.datetime(1950, 3, 1, 0, 0), D(1950, 3, 1)),
        ("1950-03-01", D(1950, 3, 1)),
        ("1950-3-1", D(1950, 3, 1)),
        ("1950.03.01", D(1950, 3, 1)),
        ("1950/03/01", D(1950, 3, 1)),
        ("19500301", D(1950, 3, 1)),
        (19500301.0, D(1950, 3, 1)),
        ("1950年3月1日", D(1950, 3, 1)),
        ("1950年03月01日", D(1950, 3, 1)),
        (" 1950 年 3 月 1 日 ", D(1950, 3, 1)),
        ("１９５０－０３－０１", D(1950, 3, 1)),
        ("1950-03-01 00:00:00", D(1950, 3, 1)),
        (None, None),
        ("", None),
    ],
)
def test_dates(typed, expected):
    assert v.parse_date(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "1950-02-30",
        "1950-13-01",
        "2020-03",
        "1950",
        "三月一日",
        "abc",
        18323.0,
        0.5,
        datetime.time(8, 30),
        True,
        "1800-01-01",
    ],
)
def test_bad_dates(typed):
    invalid(v.parse_date, typed)


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("2020-03", D(2020, 3, 1), D(2020, 3, 31)),
        ("2020.03", D(2020, 3, 1), D(2020, 3, 31)),
        ("2020年3月", D(2020, 3, 1), D(2020, 3, 31)),
        ("2020年02月", D(2020, 2, 1), D(2020, 2, 29)),
        ("2019-2", D(2019, 2, 1), D(2019, 2, 28)),
        ("202012", D(2020, 12, 1), D(2020, 12, 31)),
        ("2020-03-15", D(2020, 3, 15), D(2020, 3, 15)),
        (D(2020, 3, 15), D(2020, 3, 15), D(2020, 3, 15)),
        (None, None, None),
    ],
)
def test_months_are_first_or_last_days(typed, first, last):
    assert v.parse_start_date(typed) == first
    assert v.parse_end_date(typed) == last


def test_a_bad_month_is_invalid():
    invalid(v.parse_start_date, "2020-13")
    invalid(v.parse_end_date, "2020年0月")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (4200, Decimal("4200.00")),
        (4200.0, Decimal("4200.00")),
        (0.1 + 0.2, Decimal("0.30")),
        ("4200", Decimal("4200.00")),
        ("4,200.5", Decimal("4200.50")),
        ("4200元", Decimal("4200.00")),
        ("￥4200", Decimal("4200.00")),
        ("４２００", Decimal("4200.00")),
        (" 4200.005 ", Decimal("4200.01")),
        (0, Decimal("0.00")),
        ("-0", Decimal("0.00")),
        (None, None),
    ],
)
def test_amounts(typed, expected):
    assert v.parse_amount(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["abc", "-5", -5.0, "1e5", float("nan"), float("inf"), True, 1e12, "4200.5.1"],
)
def test_bad_amounts(typed):
    invalid(v.parse_amount, typed)


def test_text_columns():
    assert v.parse_name(" 张\u3000三 ") == "张三"
    assert v.parse_name("阿依古丽·买买提") == "阿依古丽·买买提"
    assert v.parse_household_no("0012") == "0012"
    assert v.parse_household_no(3715210010001.0) == "3715210010001"
    assert v.parse_household_no("ＱＪ０００１") == "QJ0001"
    assert v.parse_village(" 东街 村") == "东街村"
    assert v.parse_text(13800000000.0, label="联系电话", max_length=40) == "13800000000"
    assert v.parse_text("  ", label="备注", max_length=5) is None
    message = invalid(lambda x: v.parse_text(x, label="备注", max_length=5), "123456")
    assert "备注" in message and "5" in message
    invalid(v.parse_name, "张" * 51)


def test_disability_certificate_numbers():
    number = make_id()
    assert v.parse_disability_cert_no(number + "42") == number + "42"
    assert v.parse_disability_cert_no(" " + number[:-1] + "x42") == number[:-1] + "X42"
    assert v.parse_disability_cert_no(None) is None
    invalid(v.parse_disability_cert_no, number + "82")
    invalid(v.parse_disability_cert_no, number + "45")
    invalid(v.parse_disability_cert_no, number)
    # Any 20 digits Excel kept as a number (an ID ending in X cannot be one).
    assert "文本" in invalid(v.parse_disability_cert_no, float("37152119600501151042"))


def id_code(value) -> str:
    with pytest.raises(idnumbers.IdNumberError) as caught:
        v.parse_id(value)
    return caught.value.code


def test_id_numbers():
    number = make_id(D(1950, 3, 1))
    assert v.parse_id(number).number == number
    assert v.parse_id(f" '{number[:6]} {number[6:]}\u3000").number == number
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert v.parse_id(full_width).number == number
    upgraded = v.parse_id("371521500301001")
    assert upgraded.upgraded and upgraded.number.startswith("371521195003010")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (371521195003010013.0, "id_numeric_precision_lost"),
        (371521195003010013, "id_numeric_precision_lost"),
        (12345.0, "id_numeric_precision_lost"),
        ("3.71521E+17", "id_numeric_precision_lost"),
        ("3.71521e17", "id_numeric_precision_lost"),
        ("37152119500301001", "id_invalid_format"),
        ("37152119500301001Y", "id_invalid_format"),
        ("３٧1521195003010013", "id_invalid_format"),  # an Arabic-Indic digit
        ("37152119500301001²", "id_invalid_format"),
        (D(1950, 3, 1), "id_invalid_format"),
        (True, "id_invalid_format"),
        ("371521195002300013", "id_invalid_date"),
        ("371521195003010014", "id_invalid_checksum"),
    ],
)
def test_bad_id_numbers(typed, code):
    assert id_code(typed) == code


def test_townships_match_with_or_without_suffix_and_by_alias():
    matcher = v.TownshipMatcher(TOWNSHIPS)
    names = {t[1] for t in TOWNSHIPS}
    assert len(names) == 18
    for ident, name, _aliases in TOWNSHIPS:
        assert matcher.match(name).id == ident
        for suffix in ("街道", "镇", "乡"):
            if name.endswith(suffix):
                assert matcher.match(name[: -len(suffix)]).id == ident
    assert matcher.match("郭屯镇").name == "郭店屯镇"
    assert matcher.match("郭屯").name == "郭店屯镇"
    assert matcher.match("闫楼镇").name == "阎楼镇"
    assert matcher.match("闫楼").name == "阎楼镇"
    assert matcher.match(" 七 级 镇 ").name == "七级镇"
    assert matcher.match("东城镇") is None
    assert matcher.match("") is None
    assert matcher.match(None) is None
    assert matcher.match(6.0) is None


def test_townships_match_model_like_objects():
    class Township:
        def __init__(self, id, name, short_name, aliases):
            self.id, self.name, self.short_name, self.aliases = (
                id,
                name,
                short_name,
                aliases,
            )

    found = v.match_township(
        "郭屯", [Township(14, "郭店屯镇", "郭店屯", ["郭屯镇", "郭屯"])]
    )
    assert found == v.TownshipRef(14, "郭店屯镇", ("郭店屯", "郭屯镇", "郭屯"))


# Fuzzing: whatever a cell holds, a parser returns or raises its documented error.

cells = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789０１２３４５６７８９XxＸ-./年月日 '\u3000E+"),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.integers(min_value=10**400, max_value=10**401),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.sampled_from(["户主", "一级", "2020-03", "4,200元", "371521500301001"]),
)

PARSERS = [
    v.parse_relation,
    v.parse_sex,
    v.parse_poverty_type,
    v.parse_poverty_status,
    v.parse_health,
    v.parse_disability_category,
    v.parse_disability_grade,
    v.parse_labor_capacity,
    v.parse_self_care,
    v.parse_employment,
    v.parse_benefit,
    v.parse_status,
    v.parse_end_reason,
    v.parse_date,
    v.parse_start_date,
    v.parse_end_date,
    v.parse_amount,
    v.parse_name,
    v.parse_village,
    v.parse_household_no,
    v.parse_disability_cert_no,
    v.parse_id,
    lambda value: v.parse_scope(value, benefit="dibao"),
    lambda value: v.parse_scope(value, benefit="tekun"),
    lambda value: v.parse_text(value, label="备注", max_length=500),
    v.TownshipMatcher(TOWNSHIPS).match,
]


@given(value=cells)
def test_parsers_raise_only_their_documented_errors(value):
    for parser in PARSERS:
        try:
            parser(value)
        except v.VALUE_ERRORS as exc:
            assert exc.code and exc.message


@given(value=st.text(alphabet="0123456789Xx ０１２３４５６７８９'\u3000", max_size=20))
def test_a_parsed_id_number_is_always_18_ascii_characters(value):
    try:
        parsed = v.parse_id(value)
    except idnumbers.IdNumberError:
        return
    assert len(parsed.number) == 18 and parsed.number.isascii()
    assert idnumbers.is_valid(parsed.number)
