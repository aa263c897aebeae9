"""The progress report workbook (进度报表), roster-format.md §4.

Sheets, first and in this order: 封面, 汇总, 分政策, 特困集中供养, 问题台账明细,
数据质量; then 分科室整改进度.  XlsxWriter in constant_memory mode writes
each sheet row by row, so the ledger list streams from the database.

Every text cell goes through :func:`excel_text`: a value starting with
= + - @, a tab or a carriage return gets a leading apostrophe so that no
spreadsheet program runs it as a formula.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
import tempfile
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.utils import timezone

from config.routers import replica_reads
from households.idnumbers import mask

from .labels import POLICIES, POLICY_LABELS, SECTION_LABELS, STATUS_LABELS, rule_title
from .queries import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    ProgressReport,
    TownshipRow,
    build_progress_report,
    data_quality_entries,
    ledger_entries,
)

SHEETS = (
    "封面",
    "汇总",
    "分政策",
    "特困集中供养",
    "问题台账明细",
    "数据质量",
    "分科室整改进度",
    "工作要点",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FONT = "宋体"
CLI_GENERATOR = "命令行"
LEVEL_LABELS = {"partial_none": "半失能和全失能", "none": "仅全失能"}


def excel_text(value) -> str:
    """A cell's text, with an apostrophe before a formula-like start."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


# East Asian wide and full-width characters (CJK, Hangul, full-width forms).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
    "\uffe0-\uffe6\U00020000-\U0003fffd]"
)


@functools.lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns the text needs: CJK and full-width characters count double."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def report_title(report: ProgressReport) -> str:
    return (
        f"{settings.COUNTY_NAME}建档立卡贫困户民政兜底保障政策落实情况自查整改进度报表"
    )


def report_filename(report: ProgressReport) -> str:
    """The download's file name, e.g. 进度报表_阿城镇_2020-05-31.xlsx."""
    scope = report.township.name if report.township else settings.COUNTY_NAME
    return f"自查整改进度报表_{scope}_{report.as_of:%Y-%m-%d}.xlsx"


class _Sheet:
    """A worksheet written row by row that remembers each column's width."""

    def __init__(
        self, book: _Book, name: str, title: str, *, min_width=6, max_width=50
    ):
        self.book = book
        self.ws = book.workbook.add_worksheet(name)
        self.widths: dict[int, int] = {}
        self.fixed: dict[int, int] = {}
        self.min_width, self.max_width = min_width, max_width
        self.title = title

    def _fit(self, col: int, text: str) -> None:
        width = max((display_width(line) for line in text.split("\n")), default=0)
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def text(self, row: int, col: int, value, fmt="text") -> None:
        text = excel_text(value)
        if not text:
            self.ws.write_blank(row, col, None, self.book.formats[fmt])
            return
        self._fit(col, text)
        self.ws.write_string(row, col, text, self.book.formats[fmt])

    def number(self, row: int, col: int, value, fmt="int") -> None:
        if value is None:
            self.ws.write_blank(row, col, None, self.book.formats[fmt])
            return
        self._fit(col, f"{value:,}" if isinstance(value, int) else f"{value:.1%}")
        self.ws.write_number(row, col, value, self.book.formats[fmt])

    def percent(self, row: int, col: int, value, fmt="percent") -> None:
        if value is None:
            self.ws.write_blank(row, col, None, self.book.formats[fmt])
            return
        self._fit(col, f"{value:.1%}")
        self.ws.write_number(row, col, value, self.book.formats[fmt])

    def date(self, row: int, col: int, value, fmt="date") -> None:
        if value is None:
            self.ws.write_blank(row, col, None, self.book.formats[fmt])
            return
        self._fit(col, "2020-05-31")
        self.ws.write_datetime(row, col, value, self.book.formats[fmt])

    def header(self, row: int, labels: list[str], fmt="header") -> None:
        for col, label in enumerate(labels):
            self.text(row, col, label, fmt)

    def finish(self, *, header_rows: tuple[int, int] | None = (0, 0), freeze=(1, 1)):
        for col, width in self.widths.items():
            fitted = self.fixed.get(col) or min(
                max(width + 2, self.min_width), self.max_width
            )
            self.ws.set_column(col, col, fitted)
        if freeze:
            self.ws.freeze_panes(*freeze)
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        if header_rows:
            ws.repeat_rows(*header_rows)
        ws.set_header(f'&C&"{FONT},Bold"&14{self.title}', {"margin": 0.3})
        ws.set_footer(
            f"&L统计截止日期：{self.book.report.as_of:%Y-%m-%d}"
            "&C第 &P 页，共 &N 页"
            f"&R{settings.COUNTY_NAME}民政局",
            {"margin": 0.3},
        )


class _Book:
    def __init__(self, target, report: ProgressReport):
        self.report = report
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        cell = {**base, "border": 1}
        total = {"bold": True, "bg_color": "#F2F2F2"}
        specs = {
            "title": {**base, "bold": True, "font_size": 18, "align": "center"},
            "label": {**cell, "bold": True, "bg_color": "#F2F2F2"},
            "value": {**cell, "text_wrap": True},
            "note": {**base, "font_size": 10, "font_color": "#595959"},
            "section_title": {**base, "bold": True, "font_size": 13},
            "header": {
                **cell,
                "bold": True,
                "align": "center",
                "text_wrap": True,
                "bg_color": "#DDEBF7",
            },
            "text": cell,
            "small": {**cell, "font_size": 9},
            "wrap": {**cell, "text_wrap": True, "valign": "top"},
            "center": {**cell, "align": "center"},
            "int": {**cell, "num_format": "#,##0"},
            "percent": {**cell, "num_format": "0.0%"},
            "date": {**cell, "num_format": "yyyy-mm-dd", "align": "center"},
            "cover_date": {**cell, "num_format": 'yyyy"年"m"月"d"日"', "align": "left"},
            "total_text": {**cell, **total},
            "total_int": {**cell, **total, "num_format": "#,##0"},
            "total_percent": {**cell, **total, "num_format": "0.0%"},
            "bad": {**cell, "font_color": "#C00000", "align": "center"},
            "good": {**cell, "font_color": "#006100", "align": "center"},
        }
        self.formats = {
            name: self.workbook.add_format(spec) for name, spec in specs.items()
        }

    def close(self):
        self.workbook.close()


def _set_wrapped_height(sheet: _Sheet, row: int, texts: list[tuple[str, int]]) -> None:
    """Give a row with wrapped cells room for its lines (Excel does not refit)."""
    lines = max(
        (math.ceil(display_width(text) / max(width - 1, 1)) for text, width in texts),
        default=1,
    )
    if lines > 1:
        sheet.ws.set_row(row, 15 * lines)


# The sheets ---------------------------------------------------------------


def _cover(book: _Book, *, generated_by: str, generated_at: datetime.datetime) -> None:
    report = book.report
    sheet = _Sheet(book, "封面", "封面")
    sheet.ws.set_row(0, 40)
    sheet.ws.merge_range(
        0, 0, 0, 1, excel_text(report_title(report)), book.formats["title"]
    )
    campaign = report.campaign
    if campaign is not None:
        campaign_text = (
            f"{campaign.name}（排查 {campaign.inspection_start:%Y-%m-%d} 至 "
            f"{campaign.inspection_end:%Y-%m-%d}，整改期限 {campaign.due_date:%Y-%m-%d}，"
            f"报告截止 {campaign.report_due:%Y-%m-%d}）"
        )
    else:
        campaign_text = "尚未设置当前自查整改活动"
    scope = (
        report.township.name
        if report.township
        else f"全县（{len(report.rows)}个乡镇（街道））"
    )
    rows = [
        ("县（市、区）", settings.COUNTY_NAME),
        ("填报单位", f"{settings.COUNTY_NAME}民政局"),
        ("统计范围", scope),
        ("自查整改活动", campaign_text),
        ("统计截止日期", report.as_of),
        ("生成人", generated_by),
        ("生成时间", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")),
        (
            "统计口径",
            "人数为建档立卡户家庭成员人数（不含已死亡、已移除人员）；"
            "各项政策按截止日期前最近一次规则核查结果统计，"
            "应享人数 = 已享受 + 应享未享 + 部分落实；"
            "问题台账按截止日期前的办理记录确定状态，"
            "整改率 =（已核实销号 + 不适用销号）÷ 问题总数；"
            "逾期未整改指超过整改期限仍未销号的问题。",
        ),
        ("工作表", "、".join(SHEETS[1:])),
    ]
    row = 2
    for label, value in rows:
        sheet.text(row, 0, label, "label")
        if isinstance(value, datetime.date):
            sheet.date(row, 1, value, "cover_date")
        else:
            sheet.text(row, 1, value, "value")
            _set_wrapped_height(sheet, row, [(str(value), 70)])
        row += 1
    sheet.fixed = {0: 16, 1: 72}
    sheet.widths = {0: 16, 1: 72}
    sheet.finish(header_rows=None, freeze=None)
    sheet.ws.fit_to_pages(1, 1)
    sheet.ws.set_portrait()


SUMMARY_HEADERS = [
    "乡镇（街道）",
    "建档立卡户数",
    "建档立卡人数",
    "已排查户数",
    "排查率",
    "规则核查户数",
    "应享未享（人次）",
    "部分落实（人次）",
    "问题总数",
    "待整改",
    "已提交待核实",
    "已退回",
    "已核实销号",
    "不适用销号",
    "逾期未整改",
    "整改率",
    "数据质量问题",
]


def _summary_row(sheet: _Sheet, r: int, row: TownshipRow, is_total: bool) -> None:
    prefix = "total_" if is_total else ""
    ledger = row.ledger
    sheet.text(r, 0, row.name, f"{prefix}text")
    values = [
        row.households,
        row.persons,
        row.inspected,
        row.inspection_rate,
        row.evaluated,
        row.missing_total,
        row.partial_total,
        ledger.opened,
        ledger.open,
        ledger.submitted,
        ledger.returned,
        ledger.verified,
        ledger.dismissed,
        ledger.overdue,
        ledger.rate,
        row.data_quality_total,
    ]
    for col, value in enumerate(values, start=1):
        if col in (4, 15):
            sheet.percent(r, col, value, f"{prefix}percent")
        else:
            sheet.number(r, col, value, f"{prefix}int")


def _summary(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(
        book, "汇总", f"{report.scope_label}自查整改进度汇总表", max_width=14
    )
    sheet.header(0, SUMMARY_HEADERS)
    for r, row in enumerate(report.rows, start=1):
        _summary_row(sheet, r, row, False)
    _summary_row(sheet, len(report.rows) + 1, report.total, True)
    sheet.widths[0] = max(sheet.widths.get(0, 0), 12)
    sheet.ws.set_row(0, 32)
    sheet.finish()


POLICY_MEASURES = ("应享人数", "已享受", "应享未享", "部分落实")


def _policies(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(
        book, "分政策", f"{report.scope_label}各项政策落实情况（人）", max_width=12
    )
    header = book.formats["header"]
    # constant_memory flushes a row once a later row is written: finish
    # row 0's merges before the one reaching down into row 1.
    for i, policy in enumerate(POLICIES):
        first = 1 + i * len(POLICY_MEASURES)
        sheet.ws.merge_range(
            0,
            first,
            0,
            first + len(POLICY_MEASURES) - 1,
            excel_text(POLICY_LABELS[policy]),
            header,
        )
    sheet.ws.merge_range(0, 0, 1, 0, excel_text("乡镇（街道）"), header)
    sheet._fit(0, "乡镇（街道）")
    for i, _policy in enumerate(POLICIES):
        for j, measure in enumerate(POLICY_MEASURES):
            sheet.text(1, 1 + i * len(POLICY_MEASURES) + j, measure, "header")

    def write(r: int, row: TownshipRow, prefix: str) -> None:
        sheet.text(r, 0, row.name, f"{prefix}text")
        for i, policy in enumerate(POLICIES):
            counts = row.policies[policy]
            values = (counts.eligible, counts.covered, counts.missing, counts.partial)
            for j, value in enumerate(values):
                sheet.number(r, 1 + i * len(POLICY_MEASURES) + j, value, f"{prefix}int")

    for r, row in enumerate(report.rows, start=2):
        write(r, row, "")
    write(len(report.rows) + 2, report.total, "total_")
    sheet.finish(header_rows=(0, 1), freeze=(2, 1))


CARE_HEADERS = [
    "乡镇（街道）",
    "特困供养人员",
    "其中生活不能自理",
    "不能自理且有集中供养意愿",
    "其中已集中供养",
    "集中供养率",
    "目标",
    "是否达标",
]


def _care(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(
        book, "特困集中供养", f"{report.scope_label}特困人员集中供养情况", max_width=16
    )
    sheet.header(0, CARE_HEADERS)
    sheet.ws.set_row(0, 32)
    target = report.target_ratio

    def write(r: int, row: TownshipRow, prefix: str) -> None:
        care = row.care
        sheet.text(r, 0, row.name, f"{prefix}text")
        for col, value in enumerate(
            (care.tekun, care.cannot_self_care, care.eligible, care.centralized),
            start=1,
        ):
            sheet.number(r, col, value, f"{prefix}int")
        sheet.percent(r, 5, care.rate, f"{prefix}percent")
        sheet.percent(r, 6, target, f"{prefix}percent")
        meets = report.meets_target(care)
        if meets is None:
            sheet.text(r, 7, "无对象", "center")
        else:
            sheet.text(r, 7, "达标" if meets else "未达标", "good" if meets else "bad")

    for r, row in enumerate(report.rows, start=1):
        write(r, row, "")
    last = len(report.rows) + 1
    write(last, report.total, "total_")
    note = (
        f"说明：生活不能自理指{LEVEL_LABELS.get(report.cannot_self_care_levels, report.cannot_self_care_levels)}"
        f"（参数 cannot_self_care_levels）；已集中供养的人员视为有意愿；"
        f"集中供养率 = 已集中供养 ÷ 不能自理且有集中供养意愿的特困人员，"
        f"目标 {report.centralized_target.normalize():f}%（参数 centralized_target）。"
    )
    sheet.ws.write_string(last + 2, 0, excel_text(note), book.formats["note"])
    sheet.finish()


LEDGER_HEADERS = [
    "序号",
    "户编号",
    "乡镇（街道）",
    "村（居）",
    "姓名",
    "身份证号码",
    "对象",
    "规则代码",
    "问题名称",
    "政策",
    "责任科室",
    "状态",
    "立案日期",
    "整改期限",
    "销号日期",
    "是否逾期",
    "问题描述",
]
MESSAGE_WIDTH = 44
# Wrapped columns of 问题台账明细 and their widths, so the sheet prints.
LEDGER_WRAPPED = {8: 22, 9: 12, 10: 12, 16: MESSAGE_WIDTH}


def _ledger(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(
        book, "问题台账明细", f"{report.scope_label}问题台账明细", max_width=40
    )
    sheet.header(0, LEDGER_HEADERS)
    titles: dict[str, str] = {}
    r = 0
    for r, case in enumerate(ledger_entries(report), start=1):
        status = case["status_on"]
        member_name = case["member__name"]
        rule = case["rule"]
        if rule not in titles:
            titles[rule] = rule_title(rule)
        sheet.number(r, 0, r)
        sheet.text(r, 1, case["household__household_no"])
        sheet.text(r, 2, case["township__name"])
        sheet.text(r, 3, case["household__village__name"])
        sheet.text(r, 4, member_name if member_name is not None else case["head_name"])
        sheet.text(
            r, 5, mask(case["member__id_number"]) if member_name is not None else ""
        )
        sheet.text(r, 6, "个人" if member_name is not None else "整户", "center")
        sheet.text(r, 7, rule, "small")
        title = titles[rule]
        policy = POLICY_LABELS.get(case["policy"], case["policy"] or "")
        section = SECTION_LABELS.get(case["section"], case["section"])
        for col, value in ((8, title), (9, policy), (10, section)):
            sheet.ws.write_string(r, col, excel_text(value), book.formats["wrap"])
        sheet.text(r, 11, STATUS_LABELS.get(status, status), "center")
        sheet.date(r, 12, timezone.localtime(case["opened_at"]).date())
        sheet.date(r, 13, case["due_date"])
        closed = case["closed_on"] if status in CLOSED_STATUSES else None
        sheet.date(r, 14, timezone.localtime(closed).date() if closed else None)
        overdue = (
            status in ACTIVE_STATUSES
            and case["due_date"] is not None
            and case["due_date"] < report.as_of
        )
        sheet.text(r, 15, "逾期" if overdue else "", "bad" if overdue else "center")
        message = case["message"] or ""
        sheet.ws.write_string(r, 16, excel_text(message), book.formats["wrap"])
        _set_wrapped_height(
            sheet,
            r,
            [
                (message, MESSAGE_WIDTH),
                (title, LEDGER_WRAPPED[8]),
                (policy, LEDGER_WRAPPED[9]),
                (section, LEDGER_WRAPPED[10]),
            ],
        )
    if r == 0:
        sheet.ws.write_string(
            1, 0, excel_text("截止该日期没有台账问题"), book.formats["note"]
        )
    for col, width in LEDGER_WRAPPED.items():
        sheet.widths[col] = sheet.fixed[col] = width
    # Rule codes are in a 9-point font: about 0.85 of the width they fit.
    sheet.fixed[7] = round(sheet.widths.get(7, 8) * 0.85) + 2
    sheet.ws.autofilter(0, 0, max(r, 1), len(LEDGER_HEADERS) - 1)
    sheet.finish(freeze=(1, 2))


LIST_HEADERS = [
    "序号",
    "乡镇（街道）",
    "村（居）",
    "户编号",
    "姓名",
    "身份证号码",
    "规则代码",
    "问题名称",
    "问题描述",
]


def _data_quality(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(book, "数据质量", f"{report.scope_label}数据质量问题", max_width=18)
    rules = report.data_quality_rules
    sheet.header(0, ["乡镇（街道）", *(rule_title(rule) for rule in rules), "合计"])
    sheet.ws.set_row(0, 45)

    def write(r: int, row: TownshipRow, prefix: str) -> None:
        sheet.text(r, 0, row.name, f"{prefix}text")
        for col, rule in enumerate(rules, start=1):
            sheet.number(r, col, row.data_quality.get(rule, 0), f"{prefix}int")
        sheet.number(r, len(rules) + 1, row.data_quality_total, f"{prefix}int")

    for r, row in enumerate(report.rows, start=1):
        write(r, row, "")
    r = len(report.rows) + 1
    write(r, report.total, "total_")
    r += 2
    sheet.ws.write_string(
        r, 0, excel_text("数据质量问题清单"), book.formats["section_title"]
    )
    r += 1
    sheet.header(r, LIST_HEADERS)
    count = 0
    for count, entry in enumerate(data_quality_entries(report), start=1):
        r += 1
        sheet.number(r, 0, count)
        sheet.text(r, 1, entry.township)
        sheet.text(r, 2, entry.village)
        sheet.text(r, 3, entry.household_no)
        sheet.text(r, 4, entry.name)
        sheet.text(r, 5, mask(entry.id_number))
        sheet.text(r, 6, entry.rule)
        sheet.text(r, 7, rule_title(entry.rule))
        sheet.ws.write_string(r, 8, excel_text(entry.message), book.formats["wrap"])
        _set_wrapped_height(sheet, r, [(entry.message, MESSAGE_WIDTH)])
    if count == 0:
        empty = (
            "没有数据质量问题"
            if report.has_evaluations
            else "尚未运行规则核查，暂无数据质量结果"
        )
        sheet.ws.write_string(r + 1, 0, excel_text(empty), book.formats["note"])
    sheet.fixed[8] = MESSAGE_WIDTH
    sheet.widths[8] = MESSAGE_WIDTH
    sheet.finish()


SECTION_HEADERS = [
    "责任科室",
    "问题总数",
    "待整改",
    "已提交待核实",
    "已退回",
    "已核实销号",
    "不适用销号",
    "逾期未整改",
    "整改率",
]


def _sections(book: _Book) -> None:
    report = book.report
    sheet = _Sheet(book, "分科室整改进度", f"{report.scope_label}分科室问题整改进度")
    sheet.header(0, SECTION_HEADERS)
    rows = [*report.sections, report.section_total]
    for r, section in enumerate(rows, start=1):
        prefix = "total_" if section is report.section_total else ""
        ledger = section.ledger
        sheet.text(r, 0, section.name, f"{prefix}text")
        values = (
            ledger.opened,
            ledger.open,
            ledger.submitted,
            ledger.returned,
            ledger.verified,
            ledger.dismissed,
            ledger.overdue,
        )
        for col, value in enumerate(values, start=1):
            sheet.number(r, col, value, f"{prefix}int")
        sheet.percent(r, 8, ledger.rate, f"{prefix}percent")
    sheet.finish()


WORK_POINT_HEADERS = [
    "乡镇（街道）",
    "留守老年人（人）",
    "探访逾期（人）",
    "未明确联络人（人）",
    "自愿集中供养候选（人）",
    "留守儿童（人）",
    "困境儿童（人）",
    "儿童探访逾期（人）",
    "儿童督导员（人）",
    "村（居）数",
    "已配备儿童主任的村（居）",
    "儿童主任配备率",
    "敬老院（个）",
    "农村幸福院（个）",
    "运营中（个）",
    "运营中床位（张）",
    "运营中在院（人）",
    "慈心一日捐（元）",
    "参与扶贫的社会组织（个）",
    "建立红白理事会的村（居）",
    "红白理事会覆盖率",
    "制定村规民约的村（居）",
    "落实村务公开的村（居）",
]


def _ledger_points(report: ProgressReport) -> dict[int, str]:
    """Progress of work points 一 to 三, from the report's own numbers."""
    total = report.total
    ledger = total.ledger
    policies = total.policies

    def rate(value):
        return "—" if value is None else f"{value:.1%}"

    return {
        1: (
            f"建档立卡户 {total.households} 户，已排查 {total.inspected} 户"
            f"（{rate(total.inspection_rate)}）；问题 {ledger.opened} 个，"
            f"已销号 {ledger.closed} 个，整改率 {rate(ledger.rate)}，逾期未整改 {ledger.overdue} 个"
        ),
        2: (
            f"低保应享未享 {policies['dibao'].missing} 人，特困供养应享未享 "
            f"{policies['tekun'].missing} 人，临时救助待衔接 "
            f"{policies['temporary_assistance'].missing} 人；有意愿的生活不能自理特困人员"
            f"集中供养率 {rate(total.care.rate)}（目标 {report.centralized_target.normalize():f}%）"
        ),
        3: (
            f"残疾人生活补贴应享未享 {policies['disability_living'].missing} 人，"
            f"护理补贴应享未享 {policies['disability_nursing'].missing} 人，"
            f"困难老年人补贴应享未享 {policies['elderly'].missing} 人"
        ),
    }


def _work_points(book: _Book) -> None:
    """工作要点: the nine work points, then 四 to 九 per township (care/)."""
    from care.selectors import work_point_tracker

    report = book.report
    tracker = work_point_tracker(as_of=report.as_of, township_ids=report.township_ids)
    sheet = _Sheet(
        book, "工作要点", f"{report.scope_label}2020年民政扶贫工作要点落实情况"
    )
    sheet.header(0, ["序号", "工作要点", "责任单位", "进展"])
    texts = _ledger_points(report)
    for r, row in enumerate(tracker.points, start=1):
        point = row.point
        progress = texts.get(point.number, row.indicator)
        sheet.text(r, 0, point.numeral, "center")
        for col, value in ((1, point.title), (2, point.units), (3, progress)):
            sheet.ws.write_string(r, col, excel_text(value), book.formats["wrap"])
        _set_wrapped_height(
            sheet, r, [(point.title, 24), (point.units, 24), (progress, 60)]
        )
    sheet.fixed.update({0: 6, 1: 24, 2: 24, 3: 60})
    sheet.widths.update({0: 6, 1: 24, 2: 24, 3: 60})

    first = len(tracker.points) + 2
    sheet.ws.write_string(
        first,
        0,
        excel_text(
            f"各乡镇（街道）工作指标（截至 {report.as_of:%Y-%m-%d}，慈心一日捐为 {report.as_of.year} 年）"
        ),
        book.formats["section_title"],
    )
    sheet.header(first + 1, WORK_POINT_HEADERS)
    sheet.ws.set_row(first + 1, 45)
    money = {
        "": book.workbook.add_format(
            {"font_name": FONT, "border": 1, "num_format": "#,##0.00"}
        ),
        "total_": book.workbook.add_format(
            {
                "font_name": FONT,
                "border": 1,
                "bold": True,
                "bg_color": "#F2F2F2",
                "num_format": "#,##0.00",
            }
        ),
    }

    def write(r, row, prefix, name):
        sheet.text(r, 0, name, f"{prefix}text")
        numbers = [
            row.elderly,
            row.elderly_overdue,
            row.elderly_without_contact,
            row.candidates,
            row.left_behind_children,
            row.children_in_difficulty,
            row.children_overdue,
            row.supervisors,
            row.villages,
            row.villages_with_director,
        ]
        for col, value in enumerate(numbers, start=1):
            sheet.number(r, col, value, f"{prefix}int")
        sheet.percent(r, 11, row.director_rate, f"{prefix}percent")
        for col, value in enumerate(
            (
                row.nursing_homes,
                row.happiness_homes,
                row.institutions_operating,
                row.beds,
                row.residents,
            ),
            start=12,
        ):
            sheet.number(r, col, value, f"{prefix}int")
        sheet.ws.write_number(r, 17, float(row.charity_amount), money[prefix])
        sheet._fit(17, f"{row.charity_amount:,.2f}")
        sheet.number(r, 18, row.social_organizations, f"{prefix}int")
        sheet.number(r, 19, row.villages_with_council, f"{prefix}int")
        sheet.percent(r, 20, row.council_rate, f"{prefix}percent")
        sheet.number(r, 21, row.villages_with_rules, f"{prefix}int")
        sheet.number(r, 22, row.villages_with_disclosure, f"{prefix}int")

    r = first + 2
    for row in tracker.rows:
        write(r, row, "", row.name)
        r += 1
    write(r, tracker.total, "total_", report.total.name)
    sheet.ws.write_string(
        r + 2,
        0,
        excel_text(
            "说明：探访逾期指登记或上次探访后超过探访周期"
            f"（参数 visit_interval_days，{tracker.params.visit_interval_days} 天）未探访；"
            f"集中供养候选为享受低保、年满 {tracker.params.advanced_age} 周岁生活不能自理"
            "或成年重度残疾的建档立卡户成员（参数 advanced_age）；"
            "村（居）数为系统中登记的村（居）。"
        ),
        book.formats["note"],
    )
    sheet.finish(header_rows=None, freeze=None)


@replica_reads()
def write_progress_workbook(
    target,
    report: ProgressReport,
    *,
    generated_by: str,
    generated_at: datetime.datetime | None = None,
) -> None:
    """Write the workbook for ``report`` to a path or a binary file object."""
    generated_at = generated_at or timezone.now()
    book = _Book(target, report)
    book.workbook.set_properties(
        {
            "title": report_title(report),
            "subject": f"统计截止日期 {report.as_of:%Y-%m-%d}",
            "author": generated_by,
            "company": f"{settings.COUNTY_NAME}民政局",
            "created": timezone.localtime(generated_at).replace(tzinfo=None),
        }
    )
    _cover(book, generated_by=generated_by, generated_at=generated_at)
    _summary(book)
    _policies(book)
    _care(book)
    _ledger(book)
    _data_quality(book)
    _sections(book)
    _work_points(book)
    book.workbook.worksheets()[1].activate()
    book.close()


def save_progress_report(
    path: str | os.PathLike,
    *,
    as_of: datetime.date,
    township=None,
    generated_by: str = CLI_GENERATOR,
) -> ProgressReport:
    """Build the report and write it to ``path`` atomically.

    The workbook is written to a temporary file in the same directory and
    renamed over ``path`` only when complete, so a reader never sees half a
    file and a failure leaves no file behind.
    """
    path = Path(path)
    report = build_progress_report(as_of=as_of, township=township)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    os.close(handle)
    try:
        write_progress_workbook(temporary, report, generated_by=generated_by)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return report
