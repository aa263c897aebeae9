"""The rule catalogue: one :class:`Rule` per stable rule code.

The codes appear in the ledger, the UI, the Excel report and the JSON output
and must never be renamed (policy-rules.md).  ``RULES`` is in the spec's
order, which is also the order findings are reported in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import consistency, coverage, data_quality
from .base import DATA_QUALITY, INCONSISTENT, MISSING, REVIEW, Verdict
from .derived import HouseholdView, MemberView
from .facts import (
    DIBAO,
    DISABILITY_LIVING,
    DISABILITY_NURSING,
    ELDERLY,
    TEKUN,
    TEMPORARY_ASSISTANCE,
)

COVERAGE = "coverage"
CONSISTENCY = "consistency"
GROUPS = (COVERAGE, CONSISTENCY, DATA_QUALITY)

MEMBER = "member"
HOUSEHOLD = "household"

SOCIAL_ASSISTANCE = "social_assistance"
SOCIAL_AFFAIRS = "social_affairs"
CHARITY_ELDERLY = "charity_elderly"
SECTION_LABELS = {
    SOCIAL_ASSISTANCE: "社会救助科",
    SOCIAL_AFFAIRS: "社会事务科",
    CHARITY_ELDERLY: "慈善事业和养老服务科",
}

POLICIES = (
    DIBAO,
    TEKUN,
    TEMPORARY_ASSISTANCE,
    DISABILITY_LIVING,
    DISABILITY_NURSING,
    ELDERLY,
)

MemberCheck = Callable[[MemberView, HouseholdView], Verdict | None]
HouseholdCheck = Callable[[HouseholdView], Verdict | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its code, what it reports and the check that implements it.

    ``kind`` is the kind the spec's table gives; ``kinds`` every kind the
    rule can report (``review`` too where a condition can be unknown).
    ``levels`` is ``("member",)``, ``("household",)`` or both (the
    temporary-assistance bridge).  ``section`` and ``policy`` are None for
    data-quality rules.
    """

    code: str
    group: str
    kind: str
    kinds: tuple[str, ...]
    levels: tuple[str, ...]
    section: str | None
    policy: str | None
    title: str
    member_check: MemberCheck | None = None
    household_check: HouseholdCheck | None = None

    @property
    def level(self) -> str:
        """``member``, ``household`` or ``member/household``."""
        return "/".join(self.levels)


def _member(code, group, kinds, section, policy, title, check) -> Rule:
    return Rule(
        code, group, kinds[0], kinds, (MEMBER,), section, policy, title, check, None
    )


def _household(code, group, kinds, section, policy, title, check) -> Rule:
    return Rule(
        code, group, kinds[0], kinds, (HOUSEHOLD,), section, policy, title, None, check
    )


_MR = (MISSING, REVIEW)
_IR = (INCONSISTENT, REVIEW)
_DQ = (DATA_QUALITY,)

RULES: tuple[Rule, ...] = (
    # Coverage (应享未享).
    _household(
        "DIBAO_WHOLE_HOUSEHOLD_MISSING",
        COVERAGE,
        _MR,
        SOCIAL_ASSISTANCE,
        DIBAO,
        "无生活来源家庭未纳入整户低保",
        coverage.dibao_whole_household_missing,
    ),
    _member(
        "DIBAO_SEVERE_DISABILITY_INDIVIDUAL",
        COVERAGE,
        _MR,
        SOCIAL_ASSISTANCE,
        DIBAO,
        "成年无业重度残疾人未纳入单人保",
        coverage.dibao_severe_disability_individual,
    ),
    _member(
        "TEKUN_INSTEAD_OF_DIBAO",
        COVERAGE,
        _MR,
        SOCIAL_ASSISTANCE,
        TEKUN,
        "该吃五保吃低保",
        coverage.tekun_instead_of_dibao,
    ),
    _member(
        "TEKUN_MISSING",
        COVERAGE,
        _MR,
        SOCIAL_ASSISTANCE,
        TEKUN,
        "符合特困条件未纳入特困供养",
        coverage.tekun_missing,
    ),
    _household(
        "DIBAO_EXTENSION_MISSING",
        COVERAGE,
        (MISSING,),
        SOCIAL_ASSISTANCE,
        DIBAO,
        "退出低保未落实延保",
        coverage.dibao_extension_missing,
    ),
    _member(
        "DISABILITY_LIVING_SUBSIDY_MISSING",
        COVERAGE,
        _MR,
        SOCIAL_AFFAIRS,
        DISABILITY_LIVING,
        "未落实困难残疾人生活补贴",
        coverage.disability_living_subsidy_missing,
    ),
    _member(
        "DISABILITY_NURSING_SUBSIDY_MISSING",
        COVERAGE,
        _MR,
        SOCIAL_AFFAIRS,
        DISABILITY_NURSING,
        "未落实重度残疾人护理补贴",
        coverage.disability_nursing_subsidy_missing,
    ),
    _member(
        "ELDERLY_SUBSIDY_MISSING",
        COVERAGE,
        _MR,
        CHARITY_ELDERLY,
        ELDERLY,
        "未落实困难老年人补贴",
        coverage.elderly_subsidy_missing,
    ),
    Rule(
        "TEMPORARY_ASSISTANCE_BRIDGE",
        COVERAGE,
        REVIEW,
        (REVIEW,),
        (MEMBER, HOUSEHOLD),
        SOCIAL_ASSISTANCE,
        TEMPORARY_ASSISTANCE,
        "申请低保、特困期间未先给予临时救助",
        coverage.temporary_assistance_bridge,
        coverage.temporary_assistance_bridge_household,
    ),
    _member(
        "TEKUN_CENTRALIZED_CANDIDATE",
        COVERAGE,
        _MR,
        SOCIAL_ASSISTANCE,
        TEKUN,
        "有意愿的生活不能自理特困人员未集中供养",
        coverage.tekun_centralized_candidate,
    ),
    # Consistency (部分落实 / 不一致).
    _member(
        "TEKUN_IN_DIBAO_HOUSEHOLD",
        CONSISTENCY,
        (INCONSISTENT,),
        SOCIAL_ASSISTANCE,
        TEKUN,
        "特困人员同时享受低保",
        consistency.tekun_in_dibao_household,
    ),
    _member(
        "TEKUN_WITH_LIVING_SUBSIDY",
        CONSISTENCY,
        (INCONSISTENT,),
        SOCIAL_AFFAIRS,
        DISABILITY_LIVING,
        "特困人员享受困难残疾人生活补贴",
        consistency.tekun_with_living_subsidy,
    ),
    _member(
        "TEKUN_WITH_NURSING_SUBSIDY",
        CONSISTENCY,
        _IR,
        SOCIAL_AFFAIRS,
        DISABILITY_NURSING,
        "特困人员享受重度残疾人护理补贴",
        consistency.tekun_with_nursing_subsidy,
    ),
    _member(
        "LIVING_SUBSIDY_WITHOUT_DIBAO",
        CONSISTENCY,
        (INCONSISTENT,),
        SOCIAL_AFFAIRS,
        DISABILITY_LIVING,
        "未享受低保却享受困难残疾人生活补贴",
        consistency.living_subsidy_without_dibao,
    ),
    _member(
        "LIVING_SUBSIDY_NO_DISABILITY",
        CONSISTENCY,
        _IR,
        SOCIAL_AFFAIRS,
        DISABILITY_LIVING,
        "无残疾信息却享受困难残疾人生活补贴",
        consistency.living_subsidy_no_disability,
    ),
    _member(
        "NURSING_SUBSIDY_NOT_SEVERE",
        CONSISTENCY,
        _IR,
        SOCIAL_AFFAIRS,
        DISABILITY_NURSING,
        "非重度残疾人享受护理补贴",
        consistency.nursing_subsidy_not_severe,
    ),
    _member(
        "ELDERLY_SUBSIDY_OUT_OF_RANGE",
        CONSISTENCY,
        _IR,
        CHARITY_ELDERLY,
        ELDERLY,
        "困难老年人补贴对象不符合条件",
        consistency.elderly_subsidy_out_of_range,
    ),
    _household(
        "DIBAO_EXTENSION_OVERDUE",
        CONSISTENCY,
        (REVIEW,),
        SOCIAL_ASSISTANCE,
        DIBAO,
        "延保期满未复核",
        consistency.dibao_extension_overdue,
    ),
    _household(
        "DIBAO_EXIT_REVIEW",
        CONSISTENCY,
        (REVIEW,),
        SOCIAL_ASSISTANCE,
        DIBAO,
        "脱贫享受政策户年内退出低保未复核",
        consistency.dibao_exit_review,
    ),
    _household(
        "POVERTY_TYPE_MISMATCH",
        CONSISTENCY,
        (INCONSISTENT,),
        SOCIAL_ASSISTANCE,
        DIBAO,
        "贫困户属性与享受情况不符",
        consistency.poverty_type_mismatch,
    ),
    # Data quality (数据质量).
    _member(
        "ID_INVALID",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "身份证号码无效",
        data_quality.id_invalid,
    ),
    _member(
        "ID_DUPLICATE",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "身份证号码重复",
        data_quality.id_duplicate,
    ),
    _member(
        "ID_AREA_NOT_LOCAL",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "非本县身份证号码",
        data_quality.id_area_not_local,
    ),
    _member(
        "DISABILITY_CERT_MISMATCH",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "残疾人证号与登记信息不一致",
        data_quality.disability_cert_mismatch,
    ),
    _member(
        "DISABILITY_INCOMPLETE",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "残疾信息登记不完整",
        data_quality.disability_incomplete,
    ),
    _household(
        "HOUSEHOLD_HEAD_INVALID",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "户主登记有误",
        data_quality.household_head_invalid,
    ),
    _member(
        "DECEASED_WITH_BENEFIT",
        DATA_QUALITY,
        _DQ,
        None,
        None,
        "已死亡或已移除人员仍在享受待遇",
        data_quality.deceased_with_benefit,
    ),
)

CATALOGUE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CODES: tuple[str, ...] = tuple(CATALOGUE)
