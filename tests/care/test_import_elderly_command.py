"""``import_elderly``: the JSON contract, all or nothing, re-import."""

import datetime
import json

import pytest
from django.core.management import call_command

from care.models import CareImportBatch, ElderlyPerson
from tests.care.rosters import ELDERLY_HEADER, save, workbook
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date
KEYS = {"file", "dry_run", "written", "elderly", "errors", "warnings"}


def run(path, *args):
    """(exit status, parsed JSON) of ``import_elderly path --format json``."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_elderly", str(path), "--format", "json", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


@pytest.fixture
def ids():
    return [make_id_number(D(1940 + n, 1, 1)) for n in range(3)]


@pytest.fixture
def roster(tmp_path, ids, member):
    rows = [
        [
            1,
            "阿城",
            "东关村",
            member.name,
            member.id_number,
            "独居",
            "赵小",
            "139",
            "李干部",
            "生活照料、精神慰藉",
            "2020-03-05",
        ],
        [2, "阿城镇", "西关村", "钱大爷", ids[0], "与配偶同住", "", "", "", "", None],
        [
            3,
            "阿城镇",
            "西关村",
            "孙大娘",
            ids[1],
            "空巢",
            "孙女",
            "137",
            "",
            "健康管理",
            None,
        ],
    ]
    return save(tmp_path, "阿城镇留守老人.xlsx", workbook(ELDERLY_HEADER, rows))


def test_it_imports_links_members_and_prints_one_json_object(roster, member, items):
    status, result = run(roster)
    assert status == 0 and set(result) == KEYS
    assert result["file"] == "阿城镇留守老人.xlsx"
    assert (result["dry_run"], result["written"]) == (False, True)
    assert result["elderly"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert result["errors"] == []
    assert [w["code"] for w in result["warnings"]] == ["village_created"]
    linked = ElderlyPerson.objects.get(member=member)
    assert [i.name for i in linked.services.all()] == ["生活照料", "精神慰藉"]
    assert linked.registered_on == D(2020, 3, 5)
    batch = CareImportBatch.objects.get()
    assert batch.status == "committed" and batch.kind == "elderly"
    assert {h.history_change_reason for h in linked.history.all()} == {
        batch.source_label
    }
    snapshot = linked.history.get().services.values_list(
        "careserviceitem__name", flat=True
    )
    assert sorted(snapshot) == ["生活照料", "精神慰藉"]


def test_reimporting_the_same_file_changes_nothing(roster):
    run(roster)
    history = ElderlyPerson.history.count()
    status, result = run(roster)
    assert status == 0 and result["written"] is True
    assert result["elderly"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
    }
    assert ElderlyPerson.history.count() == history


def test_a_changed_row_counts_as_updated_and_blank_cells_keep_values(
    tmp_path, roster, ids
):
    run(roster)
    rows = [[1, "阿城镇", "西关村", "钱大爷", ids[0], "", "钱小", "", "", "", None]]
    status, result = run(save(tmp_path, "b.xlsx", workbook(ELDERLY_HEADER, rows)))
    assert result["elderly"]["updated"] == 1
    person = ElderlyPerson.objects.get(id_number=ids[0])
    assert (person.contact_name, person.living_situation) == ("钱小", "with_spouse")


def test_any_error_writes_nothing_and_exits_1(tmp_path, member, ids):
    rows = [
        [1, "阿城镇", "东关村", "钱大爷", ids[0], "独居"],
        [2, "阿城镇", "东关村", "年轻人", make_id_number(D(1980, 1, 1))],
        [3, "阿城镇", "东关村", "赵大汉", member.id_number],
        [4, "阿城镇", "东关村", "重复", ids[0]],
        [5, "阿城镇", "东关村", "未知", ids[1], "独自居住"],
        [6, "阿城镇", "东关村", "服务", ids[2], "", "", "", "", "洗衣做饭"],
    ]
    path = save(tmp_path, "bad.xlsx", workbook(ELDERLY_HEADER, rows))
    status, result = run(path)
    assert status == 1 and result["written"] is False
    assert ElderlyPerson.objects.count() == 0 and CareImportBatch.objects.count() == 0
    codes = [(e["row"], e["column"], e["code"]) for e in result["errors"]]
    assert codes == [
        (3, "身份证号码", "invalid_value"),
        (4, "姓名", "name_mismatch"),
        (5, "身份证号码", "id_duplicate_in_file"),
        (6, "居住情况", "invalid_value"),
        (7, "关爱服务内容", "invalid_value"),
    ]
    assert result["elderly"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 5,
    }
    assert all(e["sheet"] == "Sheet1" and e["message"] for e in result["errors"])
    assert "生活照料" in result["errors"][-1]["message"]


def test_skip_invalid_writes_the_valid_rows(tmp_path, ids):
    rows = [
        [1, "阿城镇", "东关村", "钱大爷", ids[0]],
        [2, "阿城镇", "东关村", "", ids[1]],
    ]
    path = save(tmp_path, "mixed.xlsx", workbook(ELDERLY_HEADER, rows))
    status, result = run(path, "--skip-invalid")
    assert status == 0 and result["written"] is True
    assert result["errors"][0]["code"] == "required_value_missing"
    assert list(ElderlyPerson.objects.values_list("name", flat=True)) == ["钱大爷"]


def test_a_dry_run_writes_nothing_and_exits_as_the_real_run(roster):
    status, result = run(roster, "--dry-run")
    assert status == 0 and (result["dry_run"], result["written"]) == (True, False)
    assert result["elderly"]["created"] == 3
    assert not ElderlyPerson.objects.exists()


def test_the_township_option_makes_the_column_optional_and_checks_it(tmp_path, ids):
    header = ["村（居）", "姓名", "身份证号码"]
    path = save(tmp_path, "t.xlsx", workbook(header, [["东关村", "钱大爷", ids[0]]]))
    status, result = run(path)
    assert status == 1 and result["errors"][0]["code"] == "missing_column"
    status, result = run(path, "--township", "阿城")
    assert status == 0 and result["elderly"]["created"] == 1
    status, result = run(path, "--township", "火星镇")
    assert status == 1 and result["errors"][0]["code"] == "unknown_township"
    other = save(
        tmp_path,
        "o.xlsx",
        workbook(["乡镇", *header], [["七级", "东关村", "孙", ids[1]]]),
    )
    status, result = run(other, "--township", "阿城镇")
    assert status == 1 and result["errors"][0]["code"] == "invalid_value"


def test_a_person_of_another_townships_register_is_refused(tmp_path, qiji_elder):
    rows = [[1, "阿城镇", "东关村", qiji_elder.name, qiji_elder.id_number]]
    status, result = run(save(tmp_path, "x.xlsx", workbook(ELDERLY_HEADER, rows)))
    assert status == 1 and "七级镇" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a workbook at all", "file_unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "file_unreadable"),
    ],
)
def test_an_unreadable_file_is_one_error(tmp_path, data, code):
    status, result = run(save(tmp_path, "x.xlsx", data))
    assert status == 1 and [e["code"] for e in result["errors"]] == [code]
    assert result["errors"][0]["sheet"] is None and result["errors"][0]["row"] is None


def test_a_workbook_without_the_header_is_no_header_row(tmp_path):
    path = save(
        tmp_path, "e.xlsx", workbook(["序号", "备注"], [[1, "无"]], footer=False)
    )
    status, result = run(path)
    assert status == 1
    assert [e["code"] for e in result["errors"]] == ["no_header_row"]
    assert [w["code"] for w in result["warnings"]] == ["sheet_skipped"]


def test_the_text_format_is_chinese(roster, capsys):
    from io import StringIO

    out = StringIO()
    call_command("import_elderly", str(roster), stdout=out)
    text = out.getvalue()
    assert "农村留守老年人名册" in text and "已导入" in text and "新增 3" in text


@pytest.mark.parametrize("command", ["import_elderly", "import_children"])
def test_a_lost_connection_is_one_chinese_line_and_exit_1(command, roster, monkeypatch):
    from io import StringIO

    from django.db.utils import OperationalError

    def lost(**_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("care.imports.command.care_roster_import", lost)
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(command, str(roster), stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert out.getvalue() == ""
    assert (
        err.getvalue().strip() == "数据库连接中断，本次导入未写入任何数据，请稍后重试"
    )
    assert not CareImportBatch.objects.exists()
