"""Data-quality rules (数据质量): for the township to fix.

No bureau section, no ledger case; they apply to every member of every
household, deceased, removed and lifted ones included.  Each returns a
:class:`~.base.Verdict` of kind ``data_quality`` or None.
"""

from __future__ import annotations

from households import idnumbers

from .base import DATA_QUALITY, Verdict
from .derived import (
    BENEFIT_LABELS,
    CATEGORY_DIGITS,
    CATEGORY_LABELS,
    INCOMPLETE,
    HouseholdView,
    MemberView,
)

_DIGIT_CATEGORIES = {digit: code for code, digit in CATEGORY_DIGITS.items()}


def _dq(message: str) -> Verdict:
    return Verdict(DATA_QUALITY, message)


def id_invalid(m: MemberView, h: HouseholdView) -> Verdict | None:
    """ID_INVALID: the ID number fails format, date or check validation.

    A safety net for records written outside the validated services
    (GB 11643-1999).  A number stored in another form than its normalised 18
    characters (a legacy 15-digit number, lower-case x) is also reported.
    """
    stored = m.facts.id_number or ""
    parsed = m.parsed_id
    if parsed is not None and parsed.number == stored:
        return None
    if not stored.strip():
        return _dq("身份证号码未填写，请补录")
    if parsed is None:
        try:
            idnumbers.parse(stored)
        except idnumbers.IdNumberError as error:
            return _dq(f"身份证号码“{stored}”无效：{error.message}")
        return None  # pragma: no cover - parse_id already failed
    if parsed.number != stored:
        return _dq(
            f"身份证号码“{stored}”未按18位标准格式保存，应为“{parsed.number}”，请更正"
        )
    return None


def id_duplicate(m: MemberView, h: HouseholdView) -> Verdict | None:
    """ID_DUPLICATE: one ID number in more than one non-removed member.

    A safety net: the database allows one non-removed member per number.
    ``duplicate_ids`` (county-wide, from the service) and the household's own
    members are both checked.
    """
    if m.facts.removed or not m.id_key:
        return None
    stored = m.facts.id_number
    elsewhere = stored in h.duplicate_ids or m.id_key in h.duplicate_ids
    if not elsewhere and h.id_counts[m.id_key] < 2:
        return None
    where = "本户" if h.id_counts[m.id_key] > 1 else "其他户"
    return _dq(f"身份证号码与{where}成员重复，请核实是否重复登记")


def id_area_not_local(m: MemberView, h: HouseholdView) -> Verdict | None:
    """ID_AREA_NOT_LOCAL: the address code is not the county's.

    People move: never an error, only a note for the township.  Checked for
    valid numbers only (an invalid one is ID_INVALID).
    """
    parsed = m.parsed_id
    if parsed is None or parsed.number.startswith(h.county_code):
        return None
    return _dq(
        f"身份证号码地址码为{parsed.number[:6]}，非本县（{h.county_code}），"
        "请确认是否为迁入人员（非错误）"
    )


def disability_cert_mismatch(m: MemberView, h: HouseholdView) -> Verdict | None:
    """DISABILITY_CERT_MISMATCH: certificate number against the record.

    The 20-character certificate number is the 18-character ID number, the
    category digit (1 视力 ... 7 多重) and the grade digit (1-4).  Reported
    when its first 18 characters differ from the ID number, or its 19th/20th
    character from the recorded category/grade.
    """
    cert = idnumbers.normalize(m.facts.disability_cert_no or "")
    if not cert:
        return None
    problems = []
    if cert[:18] != m.id_key:
        problems.append("前18位与身份证号码不一致")
    category = m.facts.disability_category
    digit = cert[18:19]
    if category in CATEGORY_DIGITS and digit != CATEGORY_DIGITS[category]:
        shown = CATEGORY_LABELS.get(_DIGIT_CATEGORIES.get(digit, ""), "无法识别")
        problems.append(
            f"第19位（{digit or '缺失'}，{shown}）与登记的残疾类别"
            f"（{CATEGORY_LABELS[category]}）不一致"
        )
    grade = m.facts.disability_grade
    if grade in (1, 2, 3, 4) and cert[19:20] != str(grade):
        problems.append(
            f"第20位（{cert[19:20] or '缺失'}）与登记的残疾等级（{grade}级）不一致"
        )
    if not problems:
        return None
    return _dq(f"残疾人证号“{cert}”" + "；".join(problems) + "，请核对残疾人证")


def disability_incomplete(m: MemberView, h: HouseholdView) -> Verdict | None:
    """DISABILITY_INCOMPLETE: 残疾 without category and grade, or half of it.

    健康状况 残疾 with no category or grade recorded; or a grade without a
    category; or a category without a grade.
    """
    if m.disability.state != INCOMPLETE:
        return None
    return _dq(m.disability.incomplete_text)


def household_head_invalid(h: HouseholdView) -> Verdict | None:
    """HOUSEHOLD_HEAD_INVALID: no head, or more than one head.

    Counted among living, non-removed members: a deceased or removed head
    leaves the household without one.
    """
    heads = [m for m in h.living if m.facts.relation == "head"]
    if len(heads) == 1:
        return None
    if heads:
        names = "、".join(m.facts.name for m in heads)
        return _dq(f"户内有{len(heads)}名户主（{names}），请只保留一名户主")
    gone = [m for m in h.members if m.facts.relation == "head" and not m.living]
    if gone:
        return _dq("户主已死亡或已移除，户内无户主，请变更户主")
    return _dq("户内无户主，请登记户主")


def deceased_with_benefit(m: MemberView, h: HouseholdView) -> Verdict | None:
    """DECEASED_WITH_BENEFIT: a deceased or removed member still receiving.

    Member marked deceased (or removed) with an active benefit.
    """
    if m.living or not m.active_benefits:
        return None
    state = "已死亡" if m.facts.deceased else "已移除"
    order = {code: index for index, code in enumerate(BENEFIT_LABELS)}
    benefits = "、".join(
        BENEFIT_LABELS.get(b, b)
        for b in sorted(m.active_benefits, key=lambda b: (order.get(b, 99), b))
    )
    return _dq(f"成员{state}，仍在享受{benefits}，请及时停发")
