"""``import_children``: the JSON contract and the category rules."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from care.models import Child
from tests.care.rosters import CHILD_HEADER, save, workbook
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
D = datetime.date


def run(path, *args):
    out = StringIO()
    try:
        call_command(
            "import_children", str(path), "--format", "json", *args, stdout=out
        )
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def test_it_imports_both_categories_with_the_children_count(tmp_path, village):
    rows = [
        [
            "阿城镇",
            "东关村",
            "小明",
            make_id_number(D(2012, 1, 1)),
            "留守儿童",
            "",
            "祖母",
            "东关小学",
        ],
        [
            "阿城镇",
            "东关村",
            "小红",
            make_id_number(D(2013, 1, 1), male=False),
            "困境儿童",
            "因残",
            "母亲",
            "",
        ],
    ]
    status, result = run(save(tmp_path, "c.xlsx", workbook(CHILD_HEADER, rows)))
    assert status == 0
    assert set(result) == {
        "file",
        "dry_run",
        "written",
        "children",
        "errors",
        "warnings",
    }
    assert result["children"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert result["warnings"] == []
    assert set(Child.objects.values_list("category", "difficulty_type")) == {
        ("left_behind", ""),
        ("in_difficulty", "disability"),
    }


def test_the_category_rules_are_errors_and_nothing_is_written(tmp_path, village):
    rows = [
        ["阿城镇", "东关村", "甲", make_id_number(D(2012, 1, 1)), "困境儿童", ""],
        [
            "阿城镇",
            "东关村",
            "乙",
            make_id_number(D(2012, 2, 1)),
            "留守儿童",
            "家庭贫困",
        ],
        ["阿城镇", "东关村", "丙", make_id_number(D(2012, 3, 1)), ""],
        ["阿城镇", "东关村", "丁", make_id_number(D(1990, 3, 1)), "留守儿童"],
        ["阿城镇", "东关村", "戊", make_id_number(D(2012, 4, 1)), "孤儿"],
    ]
    status, result = run(save(tmp_path, "c.xlsx", workbook(CHILD_HEADER, rows)))
    assert status == 1 and not Child.objects.exists()
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [
        (2, "困境类型", "required_value_missing"),
        (3, "困境类型", "invalid_value"),
        (4, "儿童类别", "required_value_missing"),
        (5, "身份证号码", "invalid_value"),
        (6, "儿童类别", "invalid_value"),
    ]
    assert result["children"]["skipped"] == 5
