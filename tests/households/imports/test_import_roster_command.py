"""``import_roster FILE [--township] [--dry-run] [--skip-invalid] [--format json]``."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from households.models import Household

from .helpers import family, person, roster_bytes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
KEYS = {
    "file",
    "dry_run",
    "written",
    "households",
    "members",
    "villages_created",
    "errors",
    "warnings",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_roster", *map(str, args), stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def as_json(*args) -> tuple[int, dict]:
    status, out = command(*args, "--format", "json")
    return status, json.loads(out)


def roster(tmp_path, people, name="roster.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(roster_bytes(people))
    return path


def test_it_prints_exactly_the_contract_keys(sample_path):
    status, data = as_json(sample_path, "--township", "七级镇", "--dry-run")
    assert status == 0
    assert set(data) == KEYS
    assert data["file"] == "village-roster-example.xlsx"
    assert (data["dry_run"], data["written"]) == (True, False)
    assert data["households"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert data["members"]["created"] == 11
    assert data["villages_created"] == ["示例村"]
    assert data["errors"] == [] and data["warnings"] == []


def test_it_imports_then_reimports_without_change(sample_path):
    status, data = as_json(sample_path, "--township", "七级镇")
    assert (status, data["written"], data["households"]["created"]) == (0, True, 5)
    status, data = as_json(sample_path, "--township", "七级镇")
    assert status == 0 and data["written"] is True
    assert data["households"]["unchanged"] == 5 and data["members"]["unchanged"] == 11


def test_an_error_exits_1_and_writes_nothing(tmp_path):
    path = roster(tmp_path, family("QJ0001", 2) + [person("QJ0002", "大哥")])
    status, data = as_json(path, "--township", "七级镇")
    assert status == 1 and data["written"] is False
    assert data["households"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
    }
    error = data["errors"][0]
    assert set(error) == {"sheet", "row", "column", "code", "message"}
    assert (error["sheet"], error["row"], error["column"], error["code"]) == (
        "花名册",
        5,
        "与户主关系",
        "invalid_value",
    )
    assert Household.objects.count() == 0


def test_skip_invalid_writes_the_rest_and_exits_0(tmp_path):
    path = roster(tmp_path, family("QJ0001", 2) + [person("QJ0002", "大哥")])
    status, data = as_json(path, "--township", "七级镇", "--skip-invalid")
    assert status == 0 and data["written"] is True
    assert Household.objects.count() == 1


def test_a_dry_run_exits_as_the_real_run_would(tmp_path):
    path = roster(tmp_path, [person("QJ0002", "大哥")])
    status, data = as_json(path, "--township", "七级镇", "--dry-run")
    assert status == 1 and data["written"] is False and data["dry_run"] is True
    status, data = as_json(path, "--township", "七级镇", "--dry-run", "--skip-invalid")
    assert status == 0 and data["written"] is False


def test_warnings_do_not_change_the_exit_status(tmp_path):
    path = roster(tmp_path, [person("QJ0001", 性别="女")])
    status, data = as_json(path, "--township", "七级镇")
    assert status == 0 and [w["code"] for w in data["warnings"]] == ["sex_mismatch"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x00not a workbook" * 100, "file_unreadable"),
        ("姓名,身份证\n".encode(), "file_unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file_unreadable"),
    ],
)
def test_a_file_that_is_not_a_workbook_exits_1(tmp_path, content, code):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(content)
    status, data = as_json(path, "--skip-invalid")
    assert status == 1
    assert [(e["code"], e["sheet"], e["row"], e["column"]) for e in data["errors"]] == [
        (code, None, None, None)
    ]
    assert data["file"] == "junk.xlsx"


def test_a_missing_file_exits_1(tmp_path):
    status, data = as_json(tmp_path / "none.xlsx")
    assert status == 1 and data["errors"][0]["code"] == "file_unreadable"


def test_an_unknown_township_exits_1(sample_path):
    status, data = as_json(sample_path, "--township", "不存在镇")
    assert status == 1 and data["errors"][0]["code"] == "unknown_township"


def test_the_text_format_is_a_chinese_summary(sample_path):
    status, out = command(sample_path, "--township", "七级", "--dry-run")
    assert status == 0
    assert "试运行" in out and "户：新增 5" in out and "新建村（居）：示例村" in out


def test_the_text_format_lists_errors_and_absent_members(tmp_path):
    people = family("QJ0001", 3)
    command(roster(tmp_path, people), "--township", "七级镇")
    people[0]["与户主关系"] = "大哥"
    status, out = command(
        roster(tmp_path, people[:2], "b.xlsx"), "--township", "七级镇"
    )
    assert status == 1
    assert "错误 2 处" in out and "第 3 行" in out and "不在本文件中" in out


def test_a_bad_option_is_refused():
    with pytest.raises(CommandError):
        call_command("import_roster", "x.xlsx", "--format", "xml")


def test_from_the_command_line_a_bad_option_exits_1_with_a_chinese_usage():
    done = subprocess.run(
        [sys.executable, "manage.py", "import_roster", "--format", "xml", "x.xlsx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "用法" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
