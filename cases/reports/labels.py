"""Chinese labels the report shows: policies, sections, statuses, rules."""

from __future__ import annotations

from accounts.models import Section
from cases.models import Case
from checklists.models import Policy

POLICIES: tuple[str, ...] = (
    Policy.DIBAO,
    Policy.TEKUN,
    Policy.TEMPORARY_ASSISTANCE,
    Policy.DISABILITY_LIVING,
    Policy.DISABILITY_NURSING,
    Policy.ELDERLY,
)
POLICY_LABELS: dict[str, str] = dict(Policy.choices)
SECTION_LABELS: dict[str, str] = dict(Section.choices)
STATUS_LABELS: dict[str, str] = dict(Case.Status.choices)

# The sections that own rules (policy-rules.md); they always get a row.
RULE_SECTIONS: tuple[str, ...] = (
    Section.SOCIAL_ASSISTANCE,
    Section.SOCIAL_AFFAIRS,
    Section.CHARITY_ELDERLY,
)

# Data-quality rules in the order of policy-rules.md; columns of 数据质量.
DATA_QUALITY_RULES: tuple[str, ...] = (
    "ID_INVALID",
    "ID_DUPLICATE",
    "ID_AREA_NOT_LOCAL",
    "DISABILITY_CERT_MISMATCH",
    "DISABILITY_INCOMPLETE",
    "HOUSEHOLD_HEAD_INVALID",
    "DECEASED_WITH_BENEFIT",
)

# Used only while the rule catalogue (subsidies.rules.catalogue) is absent
# or lacks a code, so the report never shows a bare code to a reader.
_FALLBACK_TITLES = {
    "ID_INVALID": "身份证号码无效",
    "ID_DUPLICATE": "身份证号码重复",
    "ID_AREA_NOT_LOCAL": "身份证号码非本县",
    "DISABILITY_CERT_MISMATCH": "残疾人证号与身份证号或残疾类别等级不符",
    "DISABILITY_INCOMPLETE": "残疾信息不完整",
    "HOUSEHOLD_HEAD_INVALID": "户主缺失或不唯一",
    "DECEASED_WITH_BENEFIT": "已死亡或已移除人员仍在享受待遇",
}


def _catalogue() -> dict:
    """Rules by code from ``subsidies.rules.catalogue`` (empty while absent)."""
    try:
        from subsidies.rules import catalogue
    except ImportError:  # pragma: no cover - the catalogue ships with the rules
        return {}
    by_code = getattr(catalogue, "CATALOGUE", None)
    if isinstance(by_code, dict):
        return by_code
    rules = getattr(catalogue, "RULES", {})
    if isinstance(rules, dict):
        return rules
    return {getattr(rule, "code", None): rule for rule in rules}


def rule_title(code: str) -> str:
    """The rule's Chinese title from the catalogue, else a known one, else the code."""
    entry = _catalogue().get(code)
    if isinstance(entry, str) and entry:
        return entry
    if isinstance(entry, dict):
        title = entry.get("title") or entry.get("name")
        if title:
            return str(title)
    for attribute in ("title", "title_zh", "name"):
        title = getattr(entry, attribute, None)
        if isinstance(title, str) and title:
            return title
    return _FALLBACK_TITLES.get(code, code)
