"""Write a synthetic household roster (.xlsx) in the §1 format for benchmarks.

Pure Python (openpyxl write-only), deterministic for a seed; the people are
invented and the ID numbers valid but random.
"""

from __future__ import annotations

import datetime
import importlib
import random
from pathlib import Path

from openpyxl import Workbook

from households import idnumbers

TOWNSHIPS = importlib.import_module("households.migrations.0002_townships").TOWNSHIPS
HEADERS = [
    "序号",
    "乡镇（街道）",
    "村（居）",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "出生日期",
    "民族",
    "贫困户属性",
    "脱贫状态",
    "健康状况",
    "残疾类别",
    "残疾等级",
    "劳动能力",
    "生活自理能力",
    "就业状况",
    "家庭年人均纯收入",
    "联系电话",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红"


def write_roster(path: Path, *, households: int, seed: int = 7) -> int:
    """Write ``households`` households (about 3 members each); return rows."""
    rng = random.Random(seed)
    townships = [name for name, _short, _aliases in TOWNSHIPS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(HEADERS)
    used: set[str] = set()
    rows = 0
    today = datetime.date(2020, 4, 15)
    for index in range(households):
        township = townships[index % len(townships)]
        village = f"{rng.choice('东西南北前后')}{rng.choice('王李张刘')}庄村"
        number = f"BENCH{index:07d}"
        income = rng.randrange(1800, 16000)
        # Household-level values must agree on every row (roster-format §1).
        poverty_type = rng.choice(["一般贫困户", "低保贫困户", "特困供养贫困户"])
        poverty_status = rng.choice(
            ["未脱贫", "已脱贫（享受政策）", "已脱贫（享受政策）"]
        )
        size = rng.choice([1, 2, 3, 3, 4, 5])
        for position in range(size):
            relation = ["户主", "配偶", "之子", "之女", "之孙子"][min(position, 4)]
            male = position != 1 and rng.random() < 0.55
            age = rng.randrange(55, 95) if position < 2 else rng.randrange(1, 40)
            born = datetime.date(today.year - age, 1, 1) + datetime.timedelta(
                days=rng.randrange(365)
            )
            while True:
                seq = rng.randrange(500) * 2 + (1 if male else 0)
                first17 = f"371521{born:%Y%m%d}{seq:03d}"
                id_number = first17 + idnumbers.check_char(first17)
                if id_number not in used:
                    used.add(id_number)
                    break
            disabled = rng.random() < 0.15
            rows += 1
            sheet.append(
                [
                    rows,
                    township,
                    village,
                    number,
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    id_number,
                    relation,
                    "男" if male else "女",
                    born,
                    "汉族",
                    poverty_type,
                    poverty_status,
                    "残疾" if disabled else rng.choice(["健康", "长期慢性病"]),
                    rng.choice(["肢体", "智力", "视力"]) if disabled else None,
                    rng.choice(["一级", "二级", "三级", "四级"]) if disabled else None,
                    rng.choice(["普通劳动力", "弱劳动力或半劳动力", "丧失劳动力"]),
                    rng.choice(["全自理", "全自理", "半失能"]),
                    rng.choice(["务工", "务农", "无业"]) if age >= 18 else "在校生",
                    income if position == 0 else None,
                    None,
                ]
            )
    workbook.save(path)
    return rows
