"""``manage.py import_benefits``: the JSON object and the exit statuses of §4."""

import io
import json

import pytest
from django.core.management import call_command

from households.models import ImportBatch
from subsidies.management.commands.import_benefits import Command
from subsidies.models import Enrollment
from tests.subsidies.imports.helpers import benefit_row, benefits_bytes, make_id

pytestmark = pytest.mark.django_db

KEYS = {
    "file",
    "dry_run",
    "written",
    "enrollments",
    "grants",
    "not_in_registry",
    "not_in_registry_rows",
    "errors",
    "warnings",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roster(tmp_path, head, outsider_member):
    """A file: the 阿城镇 head's dibao, a 七级镇 tekun, a stranger's grant."""

    def write(*extra, name="救助名册.xlsx"):
        path = tmp_path / name
        rows = [
            benefit_row(
                "王大山", head.id_number, "低保", 开始日期="2019-01", 月标准=380
            ),
            benefit_row("赵七", outsider_member.id_number, "特困", 开始日期="2018-06"),
            benefit_row(
                "路人", make_id(), "临时救助", 开始日期="2020-02-01", 月标准=500
            ),
            *extra,
        ]
        path.write_bytes(benefits_bytes(rows))
        return path

    return write


def run(*args):
    """(exit status, parsed JSON) of ``import_benefits ARGS --format json``."""
    out = io.StringIO()
    try:
        call_command("import_benefits", *map(str, args), "--format", "json", stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def test_it_prints_one_json_object_and_exits_0(roster):
    status, result = run(roster())
    assert status == 0
    assert set(result) == KEYS
    assert result["file"] == "救助名册.xlsx"
    assert (result["dry_run"], result["written"]) == (False, True)
    zero = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    assert result["enrollments"] == {**zero, "created": 2}
    assert result["grants"] == zero
    assert result["not_in_registry"] == 1
    assert result["not_in_registry_rows"] == [
        {"sheet": "花名册", "row": 5, "name": "路人", "benefit": "temporary_assistance"}
    ]
    assert result["errors"] == [] and result["warnings"] == []
    batch = ImportBatch.objects.get()
    reasons = set(Enrollment.history.values_list("history_change_reason", flat=True))
    assert reasons == {f"导入批次#{batch.pk}"}


def test_a_reimport_is_written_and_unchanged(roster):
    path = roster()
    run(path)
    status, result = run(path)
    assert (status, result["written"]) == (0, True)
    assert result["enrollments"]["unchanged"] == 2
    assert result["enrollments"]["created"] == 0


def test_township_limits_the_matching(roster):
    status, result = run(roster(), "--township", "阿城")
    assert status == 0
    assert result["enrollments"]["created"] == 1
    assert [r["name"] for r in result["not_in_registry_rows"]] == ["赵七", "路人"]


def test_any_error_writes_nothing_and_exits_1(roster, head):
    path = roster(benefit_row("王大山", head.id_number, "低保", 状态="审核中"))
    status, result = run(path)
    assert status == 1 and result["written"] is False
    (error,) = result["errors"]
    assert (error["sheet"], error["row"], error["column"], error["code"]) == (
        "花名册",
        6,
        "状态",
        "invalid_value",
    )
    assert "请填写以下之一" in error["message"]
    assert (
        result["enrollments"]["created"] == 2 and result["enrollments"]["skipped"] == 1
    )
    assert Enrollment.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_skip_invalid_writes_the_other_rows_and_exits_0(roster, head):
    path = roster(benefit_row("王大山", head.id_number, "低保", 状态="审核中"))
    status, result = run(path, "--skip-invalid")
    assert status == 0 and result["written"] is True
    assert result["enrollments"]["skipped"] == 1
    assert Enrollment.objects.count() == 2


@pytest.mark.parametrize(("bad", "expected"), [(False, 0), (True, 1)])
def test_a_dry_run_exits_as_the_real_run_would(roster, head, bad, expected):
    extra = [benefit_row("王大山", "37152119500301001X", "低保")] if bad else []
    status, result = run(roster(*extra), "--dry-run")
    assert status == expected
    assert (result["dry_run"], result["written"]) == (True, False)
    assert Enrollment.objects.count() == 0


def test_file_level_errors_exit_1_even_with_skip_invalid(tmp_path, roster):
    missing = tmp_path / "不存在.xlsx"
    status, result = run(missing, "--skip-invalid")
    assert status == 1 and result["file"] == "不存在.xlsx"
    assert [e["code"] for e in result["errors"]] == ["file_unreadable"]
    status, result = run(roster(), "--township", "火星镇", "--skip-invalid")
    assert status == 1 and [e["code"] for e in result["errors"]] == ["unknown_township"]
    assert result["written"] is False and Enrollment.objects.count() == 0


def test_the_text_format_is_a_chinese_summary(roster):
    out = io.StringIO()
    call_command("import_benefits", str(roster()), "--township", "阿城镇", stdout=out)
    text = out.getvalue()
    assert "文件：救助名册.xlsx（已导入）" in text
    assert "匹配范围：阿城镇" in text
    assert "享受记录：新增 1，更新 0，无变化 0，跳过 0" in text
    assert "不在建档立卡户名单中的 2 行" in text


def test_a_bad_option_exits_1_with_a_chinese_message(roster, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["manage.py", "import_benefits", str(roster()), "--format", "xml"]
        )
    assert exited.value.code == 1
    assert "命令参数有误" in capsys.readouterr().err


def test_the_text_asks_for_a_rule_run_when_the_recheck_is_deferred(roster, settings):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 0
    out = io.StringIO()
    call_command("import_benefits", str(roster()), stdout=out)
    assert "请随后运行规则核查" in out.getvalue()


def test_a_lost_connection_is_one_chinese_line_and_exit_1(roster, monkeypatch):
    """The benefit import writes in one transaction too: nothing is written."""
    from django.db.utils import OperationalError

    def lost(**_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        "subsidies.management.commands.import_benefits.benefit_roster_import", lost
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_benefits", str(roster()), stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert out.getvalue() == ""
    assert (
        err.getvalue().strip() == "数据库连接中断，本次导入未写入任何数据，请稍后重试"
    )
    assert not Enrollment.objects.exists()
