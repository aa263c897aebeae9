"""The downloadable roster templates (模板下载).

One sheet with the header row (required columns marked *, the ID column
formatted as text, dropdowns for the coded columns) and an instructions
sheet named 填写说明, which the import skips.
"""

from __future__ import annotations

import io

import xlsxwriter

from households.imports import values as v

from .rosters import (
    CATEGORY,
    CHILDREN,
    DIFFICULTY_TYPE,
    LIVING_SITUATION,
    RosterKind,
)

DROPDOWNS = {
    "living_situation": LIVING_SITUATION,
    "self_care": v.SELF_CARE,
    "category": CATEGORY,
    "difficulty_type": DIFFICULTY_TYPE,
    "sex": v.SEX,
}
TEXT_COLUMNS = {"id_number", "phone", "contact_phone", "helper_phone", "guardian_phone"}
DATE_COLUMNS = {"registered_on", "birth_date"}

NOTES = {
    "township": "本县乡镇（街道）名称，可省略“镇”“乡”“街道”；按乡镇导入时可不填",
    "village": "村（居）名称；系统中没有的村（居）会新建",
    "name": "与身份证一致",
    "id_number": "18 位身份证号码，请保持本列为“文本”格式",
    "sex": "可不填；与身份证号码不一致时按号码记录",
    "birth_date": "可不填；与身份证号码不一致时按号码记录",
    "registered_on": "可不填，默认为导入当天；如 2020-03-01",
    "services": "关爱服务内容清单中的项目，多项用顿号分隔，如“生活照料、精神慰藉”",
    "difficulty_type": "困境儿童必填，留守儿童不填",
}


def roster_template(kind: RosterKind) -> bytes:
    """The template workbook of ``kind`` as bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"}
    )
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(
        "留守老年人" if kind.code != CHILDREN else "留守儿童和困境儿童"
    )
    for col, column in enumerate(kind.table.columns):
        label = column.label + ("*" if column.required else "")
        sheet.write_string(0, col, label, header)
        width = 22 if column.field == "id_number" else max(10, 2 * len(label) + 2)
        fmt = (
            text
            if column.field in TEXT_COLUMNS
            else date
            if column.field in DATE_COLUMNS
            else None
        )
        sheet.set_column(col, col, width, fmt)
        choices = DROPDOWNS.get(column.field)
        if choices is not None:
            sheet.data_validation(
                1,
                col,
                2000,
                col,
                {
                    "validate": "list",
                    "source": [spellings[0] for _code, spellings in choices.options],
                    "error_type": "warning",
                },
            )
    sheet.freeze_panes(1, 0)

    notes = book.add_worksheet("填写说明")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 20)
    notes.set_column(1, 1, 80)
    notes.write_string(0, 0, f"{kind.label}填写说明", header)
    notes.write_string(
        1,
        0,
        "每人一行；带 * 的列必填；列的顺序不限，系统按表头文字识别。"
        "本工作表不会被导入。",
    )
    row = 3
    for column in kind.table.columns:
        synonyms = "、".join(column.synonyms)
        detail = NOTES.get(column.field, "")
        choices = DROPDOWNS.get(column.field)
        if choices is not None:
            detail = (detail + "；" if detail else "") + f"填写：{choices.accepted}"
        notes.write_string(
            row, 0, column.label + ("（必填）" if column.required else "")
        )
        notes.write_string(row, 1, f"表头可写作：{synonyms}。{detail}", wrap)
        row += 1
    book.close()
    return buffer.getvalue()
