"""``evaluate_rules``: the command contract of roster-format.md §4."""

import datetime
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from checklists.models import HouseholdCheck, HouseholdEvaluation, PolicyOutcome
from households.models import Member
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set
from tests.factories import make_household, make_member

AS_OF = "2020-04-15"
FINDING_KEYS = {"rule", "kind", "household_no", "id_number", "section", "message"}
LEDGER_KEYS = {"opened", "reopened", "auto_rectified", "unchanged"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def standard(db):
    parameter_set(
        name="dibao_standard_rural",
        value_text="4560",
        effective_from=datetime.date(2020, 1, 1),
    )


@pytest.fixture
def elderly_on_dibao(standard, acheng):
    """An elderly dibao member without the elderly subsidy (阿城镇)."""
    household = make_household(
        acheng,
        household_no="3715210010001",
        poverty_type="dibao",
        income_per_capita=Decimal("6000"),
    )
    elder = make_member(household, name="赵老汉", birth=datetime.date(1950, 1, 1))
    Enrollment.objects.create(
        member=elder,
        benefit_id="dibao",
        scope="individual",
        start=datetime.date(2020, 1, 1),
    )
    return household, elder


@pytest.fixture
def qiji_gap(standard, qiji):
    """七级镇: the same gap in another township."""
    household = make_household(
        qiji,
        household_no="3715210020001",
        poverty_type="dibao",
        income_per_capita=Decimal("6000"),
    )
    elder = make_member(household, name="钱老太", birth=datetime.date(1945, 5, 5))
    Enrollment.objects.create(
        member=elder,
        benefit_id="dibao",
        scope="individual",
        start=datetime.date(2020, 1, 1),
    )
    return household, elder


def run(*args):
    """Run the command; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("evaluate_rules", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def run_json(*args) -> dict:
    status, out, err = run("--format", "json", *args)
    assert status == 0, err
    return json.loads(out)


def test_it_prints_exactly_the_json_contract(elderly_on_dibao):
    household, elder = elderly_on_dibao

    document = run_json("--as-of", AS_OF)

    assert set(document) == {
        "as_of",
        "dry_run",
        "households_evaluated",
        "findings",
        "ledger",
    }
    assert document["as_of"] == AS_OF
    assert document["dry_run"] is False
    assert document["households_evaluated"] == 1
    assert all(set(finding) == FINDING_KEYS for finding in document["findings"])
    assert set(document["ledger"]) == LEDGER_KEYS
    elderly = [
        f for f in document["findings"] if f["rule"] == "ELDERLY_SUBSIDY_MISSING"
    ]
    assert len(elderly) == 1
    assert elderly[0]["kind"] == "missing"
    assert elderly[0]["section"] == "charity_elderly"
    assert elderly[0]["household_no"] == "3715210010001"
    assert elderly[0]["id_number"] == elder.id_number
    assert "困难老年人补贴" in elderly[0]["message"]


def test_it_stores_outcomes_and_opens_cases_then_reports_them_unchanged(
    elderly_on_dibao,
):
    household, elder = elderly_on_dibao

    first = run_json("--as-of", AS_OF)

    cases = first["ledger"]["opened"]
    assert cases == len([f for f in first["findings"] if f["kind"] != "data_quality"])
    assert Case.objects.filter(
        household=household, member=elder, rule="ELDERLY_SUBSIDY_MISSING"
    ).exists()
    assert HouseholdEvaluation.objects.filter(household=household).count() == 1
    assert (
        PolicyOutcome.objects.get(member=elder, policy="elderly").outcome == "missing"
    )

    second = run_json("--as-of", AS_OF)
    assert second["ledger"] == {
        "opened": 0,
        "reopened": 0,
        "auto_rectified": 0,
        "unchanged": cases,
    }
    assert HouseholdEvaluation.objects.filter(household=household).count() == 1


def test_it_reports_data_quality_findings_without_a_section_or_a_case(standard, acheng):
    household = make_household(acheng, income_per_capita=Decimal("6000"))
    member = make_member(household, relation="spouse")  # nobody is the head
    Member.objects.filter(pk=member.pk).update(
        health="disabled", disability_category="mental"
    )

    document = run_json("--as-of", AS_OF)

    by_rule = {f["rule"]: f for f in document["findings"]}
    assert by_rule["HOUSEHOLD_HEAD_INVALID"]["kind"] == "data_quality"
    assert by_rule["HOUSEHOLD_HEAD_INVALID"]["id_number"] is None
    assert by_rule["HOUSEHOLD_HEAD_INVALID"]["section"] is None
    assert by_rule["DISABILITY_INCOMPLETE"]["id_number"] == member.id_number
    assert not Case.objects.filter(kind="data_quality").exists()


def test_it_writes_nothing_on_a_dry_run(elderly_on_dibao):
    document = run_json("--as-of", AS_OF, "--dry-run")

    assert document["dry_run"] is True
    assert document["households_evaluated"] == 1
    assert document["ledger"]["opened"] >= 1
    assert not Case.objects.exists()
    assert not HouseholdEvaluation.objects.exists()
    assert not PolicyOutcome.objects.exists()
    assert not HouseholdCheck.objects.exists()


def test_it_restricts_a_run_to_one_township(elderly_on_dibao, qiji_gap):
    qiji_household, _ = qiji_gap
    run_json("--as-of", AS_OF, "--township", "七级")
    assert set(Case.objects.values_list("household_id", flat=True)) == {
        qiji_household.pk
    }

    document = run_json("--as-of", AS_OF, "--township", "阿城镇")

    assert document["households_evaluated"] == 1
    assert {f["household_no"] for f in document["findings"]} == {"3715210010001"}
    # Cases of 七级镇 are neither counted nor touched.
    assert document["ledger"]["unchanged"] == 0
    assert set(
        HouseholdEvaluation.objects.values_list("household__township__name", flat=True)
    ) == {"阿城镇", "七级镇"}


def test_it_defaults_to_todays_local_date(elderly_on_dibao):
    document = run_json()
    assert document["as_of"] == timezone.localdate().isoformat()


def test_it_prints_a_chinese_summary_by_default(elderly_on_dibao):
    status, out, err = run("--as-of", AS_OF)
    assert status == 0
    assert "规则核查完成：全县，基准日 2020-04-15，核查 1 户。" in out
    assert "应享未享" in out and "问题台账：新增" in out
    status, out, err = run("--as-of", AS_OF, "--dry-run")
    assert "试运行，未写入任何数据" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--township", "不存在镇"], "未知乡镇（街道）“不存在镇”"),
        (["--as-of", "2020-13-45"], "核查基准日“2020-13-45”无效"),
        (["--as-of", "20200415"], "核查基准日“20200415”无效"),
        (["--format", "xml"], "输出格式“xml”无效"),
    ],
)
def test_it_exits_1_on_a_bad_option_with_nothing_on_stdout(db, args, message):
    status, out, err = run("--format", "json", *args)
    assert status == 1
    assert out == ""
    assert message in err
    assert not HouseholdEvaluation.objects.exists()


def test_the_real_process_exits_1_with_nothing_on_stdout():
    """A bad date and an unknown option, as a shell sees them."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    for args in (["--as-of", "2020-13-45"], ["--no-such-option"]):
        process = subprocess.run(
            [sys.executable, "manage.py", "evaluate_rules", "--format", "json", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode == 1, process.stderr
        assert process.stdout == ""
        assert "无效" in process.stderr or "命令参数有误" in process.stderr
