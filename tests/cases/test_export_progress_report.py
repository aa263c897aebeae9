"""``export_progress_report OUT.xlsx [--as-of] [--township]`` (roster-format.md §4)."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_household, make_member

from .report_builders import data_quality_finding, evaluate, open_case

pytestmark = pytest.mark.django_db

FIRST_SHEETS = ["封面", "汇总", "分政策", "特困集中供养", "问题台账明细", "数据质量"]


def run(*args):
    """Run the command; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export_progress_report", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def summary_rows(path):
    sheet = openpyxl.load_workbook(path, read_only=True)["汇总"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def data(acheng, qiji):
    household = make_household(acheng)
    member = make_member(household, name="张三")
    evaluate(
        household,
        datetime.date(2020, 4, 1),
        {member: {"elderly": "missing", "dibao": "covered"}},
        findings=[data_quality_finding(household, "ID_AREA_NOT_LOCAL", member)],
    )
    open_case(household, member=member, opened=datetime.date(2020, 4, 1))
    make_member(make_household(qiji), name="李四")


def test_it_writes_the_county_workbook_with_every_township_and_a_numeric_total(
    tmp_path, data
):
    out = tmp_path / "进度报表.xlsx"

    status, stdout, stderr = run(str(out), "--as-of", "2020-05-31")

    assert (status, stderr) == (0, "")
    assert "已导出" in stdout
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[:6] == FIRST_SHEETS
    rows = summary_rows(out)
    assert rows[0][0] == "乡镇（街道）"
    assert [row[0] for row in rows[1:19]][:3] == [
        "博济桥街道",
        "侨润街道",
        "狮子楼街道",
    ]
    assert len(rows) == 20
    total = rows[19]
    assert total[0] == "全县合计"
    assert total[1:3] == [2, 2]  # households, persons
    assert all(
        isinstance(value, (int, float)) for value in total[1:] if value is not None
    )
    acheng = next(row for row in rows if row[0] == "阿城镇")
    assert acheng[1:3] == [1, 1]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_it_writes_one_township_with_a_plain_total(tmp_path, data):
    out = tmp_path / "acheng.xlsx"

    status, _, _ = run(str(out), "--township", "阿城", "--as-of", "2020-05-31")

    assert status == 0
    rows = summary_rows(out)
    assert [row[0] for row in rows] == ["乡镇（街道）", "阿城镇", "合计"]
    assert rows[2][1] == 1
    cover = openpyxl.load_workbook(out, read_only=True)["封面"]
    cover_text = [c for row in cover.iter_rows(values_only=True) for c in row if c]
    assert "命令行" in cover_text
    assert "阿城镇" in cover_text
    assert datetime.datetime(2020, 5, 31) in cover_text


def test_it_defaults_the_date_to_today(tmp_path, data):
    out = tmp_path / "today.xlsx"

    assert run(str(out))[0] == 0
    assert summary_rows(out)[-1][0] == "全县合计"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--township", "火星镇"], "未知乡镇（街道）“火星镇”"),
        (["--as-of", "2020-02-30"], "日期“2020-02-30”格式不正确"),
        (["--as-of", "31/05/2020"], "YYYY-MM-DD"),
    ],
)
def test_it_exits_1_for_a_bad_option_without_creating_out(tmp_path, args, message):
    out = tmp_path / "report.xlsx"

    status, stdout, stderr = run(str(out), *args)

    assert status == 1
    assert message in stderr
    assert stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_it_exits_1_when_the_directory_does_not_exist(tmp_path):
    out = tmp_path / "missing" / "report.xlsx"

    status, _, stderr = run(str(out))

    assert status == 1
    assert "不存在" in stderr
    assert not out.parent.exists()


def test_it_replaces_an_existing_file_only_when_complete(tmp_path, data):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"old")

    assert run(str(out), "--as-of", "2020-05-31")[0] == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == "封面"


def test_its_queries_do_not_grow_with_the_households(tmp_path, acheng, qiji):
    def export():
        with CaptureQueriesContext(connection) as context:
            assert run(str(tmp_path / "r.xlsx"), "--as-of", "2020-05-31")[0] == 0
        return len(context.captured_queries)

    def add(count):
        for _ in range(count):
            household = make_household(acheng)
            member = make_member(household)
            evaluate(
                household,
                datetime.date(2020, 4, 1),
                {member: {"dibao": "missing"}},
                findings=[data_quality_finding(household, "ID_INVALID", member)],
            )
            open_case(household, member=member, opened=datetime.date(2020, 4, 1))

    add(2)
    small = export()
    add(18)
    assert export() == small
