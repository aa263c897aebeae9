"""Builders of care roster workbooks for the import tests."""

import io

import openpyxl

ELDERLY_HEADER = [
    "序号",
    "乡镇（街道）",
    "村（居）",
    "姓名",
    "身份证号码",
    "居住情况",
    "联络人",
    "联络人电话",
    "帮扶联系人",
    "关爱服务内容",
    "登记日期",
]
CHILD_HEADER = [
    "乡镇（街道）",
    "村（居）",
    "姓名",
    "身份证号码",
    "儿童类别",
    "困境类型",
    "监护人",
    "就读学校",
]


def workbook(header, rows, *, title="Sheet1", footer=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if footer:
        sheet.append([])
        sheet.append(["填表人：李四", None, None, "审核人：王五"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path
