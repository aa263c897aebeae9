"""The downloadable roster templates (模板下载, roster-format.md §1 and §2).

One workbook per roster kind, built so that what villages type into it
imports cleanly:

- the roster sheet: a title row, the header row (required columns
  coloured), the ID-number column and the other number-like text columns
  formatted as text (``@``) so Excel keeps all 18 digits, dropdowns (data
  validation lists) on every coded column, the user's townships and
  villages offered in 乡镇（街道） and 村（居）;
- 填写说明: what each column means, whether it is required and the accepted
  values (the import skips a sheet of this name);
- 下拉选项, hidden: the lists the dropdowns refer to (the import skips
  hidden sheets).

The template has no data rows, so importing it untouched reports nothing.
:func:`roster_template` is pure: the caller passes the names to offer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from . import values as v

HOUSEHOLD_ROSTER = "household_roster"
BENEFIT_ROSTER = "benefit_roster"

OPTIONS_SHEET = "下拉选项"
INSTRUCTIONS_SHEET = "填写说明"
TITLE_ROW = 0
HEADER_ROW = 1
# Dropdowns and formats reach this many rows below the header: more than
# a township's roster (a few thousand people); they create no cells.
TEMPLATE_ROWS = 5000

TEXT, DATE, AMOUNT = "text", "date", "amount"


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template: header, width, format, dropdown, note.

    ``options`` names a dropdown list (a key of the lists passed to the
    sheet); ``strict`` dropdowns warn on any other value, the others (the
    villages: a new one is created on import) only inform.
    """

    header: str
    note: str
    required: bool = False
    width: int = 12
    fmt: str | None = None
    options: str | None = None
    strict: bool = True


def _first_spellings(choices: v.Choices) -> list[str]:
    return [spellings[0] for _code, spellings in choices.options]


# The coded columns' lists: the first accepted spelling of each value.
CODED_LISTS: dict[str, list[str]] = {
    "与户主关系": _first_spellings(v.RELATION),
    "性别": _first_spellings(v.SEX),
    "贫困户属性": _first_spellings(v.POVERTY_TYPE),
    "脱贫状态": _first_spellings(v.POVERTY_STATUS),
    "健康状况": _first_spellings(v.HEALTH),
    "残疾类别": _first_spellings(v.DISABILITY_CATEGORY),
    "残疾等级": _first_spellings(v.DISABILITY_GRADE),
    "劳动能力": _first_spellings(v.LABOR_CAPACITY),
    "生活自理能力": _first_spellings(v.SELF_CARE),
    "就业状况": _first_spellings(v.EMPLOYMENT),
    "救助类别": _first_spellings(v.BENEFIT),
    "保障方式": _first_spellings(v.DIBAO_SCOPE) + _first_spellings(v.TEKUN_CARE_MODE),
    "状态": _first_spellings(v.STATUS),
    "停保原因": _first_spellings(v.END_REASON),
}
TOWNSHIPS, VILLAGES = "乡镇（街道）", "村（居）"

HOUSEHOLD_TEMPLATE: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "乡镇（街道）",
        "本县乡镇（街道）名称，可省略“镇”“乡”“街道”（如“七级”）。"
        "在系统中导入到某个乡镇（街道）时可以不填；填写的必须是该乡镇（街道）。",
        width=14,
        options=TOWNSHIPS,
    ),
    TemplateColumn(
        "村（居）",
        "下拉列表中是系统里已有的村（居）。填写新的名称时，导入会自动新建该村（居）"
        "（名称以“社区”或“居委会”结尾的按城市社区）。同一户各行应一致。",
        required=True,
        width=14,
        options=VILLAGES,
        strict=False,
    ),
    TemplateColumn(
        "户编号",
        "全国扶贫开发信息系统中的户编号。同一户的每个成员填写相同的户编号；"
        "本列为文本格式，开头的 0 会保留。",
        required=True,
        width=16,
        fmt=TEXT,
    ),
    TemplateColumn("姓名", "与身份证一致。", required=True, width=10),
    TemplateColumn(
        "身份证号码",
        "18 位公民身份号码，末位 X 大小写均可。本列已设为“文本”格式，请勿改为数字"
        "（数字格式会让 Excel 丢掉后三位）。15 位旧号码会自动升级为 18 位。",
        required=True,
        width=22,
        fmt=TEXT,
    ),
    TemplateColumn(
        "与户主关系",
        "每户有且只有一人填“户主”。",
        required=True,
        options="与户主关系",
    ),
    TemplateColumn(
        "性别",
        "可不填；与身份证号码不一致时按身份证号码记录。",
        width=8,
        options="性别",
    ),
    TemplateColumn(
        "出生日期",
        "可不填，如 1950-03-01；与身份证号码不一致时按身份证号码记录。",
        fmt=DATE,
    ),
    TemplateColumn("民族", "可不填，如“汉族”。", width=8),
    TemplateColumn(
        "贫困户属性",
        "按户填写，以户主所在行为准；同一户其他行可不填，填写的必须一致。",
        width=16,
        options="贫困户属性",
    ),
    TemplateColumn(
        "脱贫状态",
        "按户填写，以户主所在行为准；同一户其他行可不填，填写的必须一致。",
        width=22,
        options="脱贫状态",
    ),
    TemplateColumn("健康状况", "", options="健康状况"),
    TemplateColumn(
        "残疾类别", "健康状况为“残疾”时填写，与残疾等级一起。", options="残疾类别"
    ),
    TemplateColumn(
        "残疾等级", "健康状况为“残疾”时填写，与残疾类别一起。", options="残疾等级"
    ),
    TemplateColumn(
        "残疾人证号",
        "可不填。20 位：18 位身份证号码加残疾类别（1–7）和残疾等级（1–4）各一位；"
        "本列为文本格式。",
        width=24,
        fmt=TEXT,
    ),
    TemplateColumn("劳动能力", "", width=18, options="劳动能力"),
    TemplateColumn("生活自理能力", "", width=14, options="生活自理能力"),
    TemplateColumn("就业状况", "", options="就业状况"),
    TemplateColumn(
        "家庭年人均纯收入",
        "按户填写，单位：元/年，如 4200；以户主所在行为准。",
        width=18,
        fmt=AMOUNT,
    ),
    TemplateColumn("联系电话", "本列为文本格式。", width=14, fmt=TEXT),
    TemplateColumn("备注", "可不填。", width=20),
)

BENEFIT_TEMPLATE: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        "姓名",
        "与系统中登记的姓名一致；同一身份证号码姓名不一致的行会报错。",
        required=True,
        width=10,
    ),
    TemplateColumn(
        "身份证号码",
        "18 位公民身份号码。本列已设为“文本”格式，请勿改为数字"
        "（数字格式会让 Excel 丢掉后三位）。",
        required=True,
        width=22,
        fmt=TEXT,
    ),
    TemplateColumn(
        "救助类别",
        "每人每项救助或补贴一行；整户低保的每个享受成员各占一行。",
        required=True,
        width=20,
        options="救助类别",
    ),
    TemplateColumn(
        "保障方式",
        "低保填“整户”或“单人”（不填按整户）；特困供养填“分散”或“集中”"
        "（不填按分散）；其他类别不填。",
        width=10,
        options="保障方式",
    ),
    TemplateColumn(
        "开始日期",
        "如 2020-03-01，也可只填年月（如 2020-03，按该月 1 日）。"
        "临时救助填发放日期（必填）；待审批的填申请日期。",
        fmt=DATE,
    ),
    TemplateColumn(
        "结束日期",
        "停保的填写；只填年月时按该月最后一天。临时救助不填。",
        fmt=DATE,
    ),
    TemplateColumn(
        "停保原因", "停保时填写；不填按“其他”。", width=12, options="停保原因"
    ),
    TemplateColumn(
        "金额（元）",
        "低保、特困、补贴填月标准（元/月）；临时救助填发放金额（必填）。",
        width=12,
        fmt=AMOUNT,
    ),
    TemplateColumn(
        "状态",
        "不填即为“在保”；申请中的填“待审批”。临时救助不填。",
        width=10,
        options="状态",
    ),
)

GENERAL_NOTES = {
    HOUSEHOLD_ROSTER: (
        "每人一行，同一户的成员填写相同的户编号；每户有且只有一个户主。",
        "列的顺序不限，系统按表头文字识别；橙色表头的列必须填写，"
        "不需要的可选列可以删除。可以保留标题行和“填表人”“审核人”等落款行，空行会被跳过。",
        "身份证号码、户编号、残疾人证号和联系电话列已设为“文本”格式："
        "从其他表格粘贴时请选择“只粘贴数值”，不要把这些列改为数字格式。",
        "带下拉箭头的列请从列表中选择；村（居）可以填写列表中没有的新名称。",
        "再次导入同一文件不会重复登记：按户编号和身份证号码更新；"
        "空白单元格不会清除系统中已有的信息；文件中没有的成员不会被删除（请在系统中办理）。",
        "上传后系统会先列出每一处错误和将要做的修改，确认后才导入；"
        "有错误时可以下载带“错误说明”列的工作簿，改正后重新上传。",
        "本“填写说明”工作表和隐藏的“下拉选项”工作表不会被导入。",
    ),
    BENEFIT_ROSTER: (
        "每人每项救助或补贴一行，按身份证号码与建档立卡户成员匹配；"
        "不在建档立卡户名单中的人员不会导入（预览时单独列出）。",
        "列的顺序不限，系统按表头文字识别；橙色表头的列必须填写，不需要的可选列可以删除。"
        "可以保留标题行和落款行，空行会被跳过。",
        "身份证号码列已设为“文本”格式：从其他表格粘贴时请选择“只粘贴数值”，"
        "不要把该列改为数字格式。",
        "带下拉箭头的列请从列表中选择。",
        "再次导入同一文件不会重复登记：同一人同一类别同一开始日期的记录会被更新；"
        "临时救助按发放日期和金额识别。",
        "违反政策的记录（如特困人员同时享受低保）也会如实导入，由系统核查规则提示整改。",
        "本“填写说明”工作表和隐藏的“下拉选项”工作表不会被导入。",
    ),
}

SHEET_TITLES = {
    HOUSEHOLD_ROSTER: ("花名册", "建档立卡贫困户花名册"),
    BENEFIT_ROSTER: ("救助补贴名册", "救助补贴名册"),
}
COLUMNS = {HOUSEHOLD_ROSTER: HOUSEHOLD_TEMPLATE, BENEFIT_ROSTER: BENEFIT_TEMPLATE}

_REQUIRED_FILL = "#F8CBAD"
_HEADER_FILL = "#DDEBF7"


def template_filename(kind: str, place: str = "") -> str:
    """The download name, e.g. 七级镇建档立卡贫困户花名册模板.xlsx."""
    return f"{place}{SHEET_TITLES[kind][1]}模板.xlsx"


def roster_template(
    *,
    kind: str,
    townships: Sequence[str],
    villages: Sequence[str],
    place: str = "",
    county: str = "阳谷县",
) -> bytes:
    """The template workbook of ``kind`` as .xlsx bytes.

    ``townships`` and ``villages`` are the names offered in the 乡镇（街道）
    and 村（居） columns (the household roster's); ``place`` names the
    township in the title when the template is one township's.
    """
    columns = COLUMNS[kind]
    sheet_name, title = SHEET_TITLES[kind]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": f"{county}{place}{title}", "author": county})
    formats = _Formats(book)
    sheet = book.add_worksheet(sheet_name)
    notes = book.add_worksheet(INSTRUCTIONS_SHEET)
    options = book.add_worksheet(OPTIONS_SHEET)
    lists = dict(CODED_LISTS)
    lists[TOWNSHIPS] = list(townships)
    lists[VILLAGES] = list(villages)
    ranges = _write_lists(options, formats, lists, columns)
    options.hide()

    last_col = len(columns) - 1
    sheet.merge_range(
        TITLE_ROW, 0, TITLE_ROW, last_col, f"{county}{place}{title}", formats.title
    )
    sheet.set_row(TITLE_ROW, 28)
    sheet.set_row(HEADER_ROW, 22)
    first, last = HEADER_ROW + 1, HEADER_ROW + TEMPLATE_ROWS
    for col, column in enumerate(columns):
        sheet.write_string(
            HEADER_ROW,
            col,
            column.header,
            formats.required if column.required else formats.header,
        )
        sheet.set_column(col, col, column.width, formats.cell(column.fmt))
        source = ranges.get(column.options or "")
        if source:
            sheet.data_validation(
                first, col, last, col, _list_validation(column, source)
            )
        elif column.fmt == TEXT and column.header == "身份证号码":
            sheet.data_validation(
                first,
                col,
                last,
                col,
                {
                    "validate": "any",
                    "input_title": "身份证号码",
                    "input_message": "18 位号码，本列为文本格式，请勿改为数字格式",
                },
            )
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.activate()
    _write_notes(notes, formats, kind=kind, columns=columns, lists=lists)
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": "宋体", "font_size": 11}
        edge = {"border": 1, "align": "center", "valign": "vcenter", "bold": True}
        self.title = book.add_format(
            {**base, "bold": True, "font_size": 16, "align": "center"}
        )
        self.header = book.add_format({**base, **edge, "bg_color": _HEADER_FILL})
        self.required = book.add_format({**base, **edge, "bg_color": _REQUIRED_FILL})
        self.text = book.add_format({**base, "num_format": "@"})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.amount = book.add_format({**base, "num_format": "0.00"})
        self.plain = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True, "valign": "top"})
        self.bold = book.add_format({**base, "bold": True, "valign": "top"})

    def cell(self, fmt: str | None):
        return {TEXT: self.text, DATE: self.date, AMOUNT: self.amount}.get(
            fmt or "", self.plain
        )


def _write_lists(options, formats: _Formats, lists: dict, columns) -> dict[str, str]:
    """One column per dropdown list; return list name → absolute range."""
    ranges: dict[str, str] = {}
    wanted = [c.options for c in columns if c.options]
    for col, name in enumerate(dict.fromkeys(wanted)):
        items = lists.get(name) or []
        options.write_string(0, col, name, formats.bold)
        options.set_column(col, col, 16)
        for row, item in enumerate(items, start=1):
            options.write_string(row, col, item)
        if items:
            letter = xl_col_to_name(col)
            ranges[name] = f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"
    return ranges


def _list_validation(column: TemplateColumn, source: str) -> dict:
    if column.strict:
        return {
            "validate": "list",
            "source": source,
            "error_type": "warning",
            "error_title": column.header,
            "error_message": f"请从下拉列表中选择{column.header}。",
        }
    return {
        "validate": "list",
        "source": source,
        "error_type": "information",
        "error_title": column.header,
        "error_message": f"列表中没有这个{column.header}：导入时会新建。",
    }


def _write_notes(notes, formats: _Formats, *, kind, columns, lists) -> None:
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 10)
    notes.set_column(2, 2, 60)
    notes.set_column(3, 3, 50)
    notes.write_string(0, 0, f"{SHEET_TITLES[kind][1]}填写说明", formats.title)
    row = 2
    for number, text in enumerate(GENERAL_NOTES[kind], start=1):
        notes.merge_range(row, 0, row, 3, f"{number}. {text}", formats.wrap)
        notes.set_row(row, 32)
        row += 1
    row += 1
    for col, label in enumerate(("列名", "是否必填", "说明", "可填写的值")):
        notes.write_string(row, col, label, formats.header)
    row += 1
    for column in columns:
        required = "必填" if column.required else "可不填"
        if column.header == "乡镇（街道）":
            required = "按乡镇导入时可不填"
        accepted = ""
        if column.options and column.options in CODED_LISTS:
            accepted = "、".join(lists[column.options])
        elif column.options == VILLAGES:
            accepted = "、".join(lists[VILLAGES]) or "（系统中还没有，导入时新建）"
        elif column.options == TOWNSHIPS:
            accepted = "、".join(lists[TOWNSHIPS])
        notes.write_string(row, 0, column.header, formats.bold)
        notes.write_string(row, 1, required, formats.wrap)
        notes.write_string(row, 2, column.note or "从下拉列表中选择。", formats.wrap)
        notes.write_string(row, 3, accepted, formats.wrap)
        row += 1
