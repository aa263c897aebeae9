"""No full ID number reaches a log line: the console handler masks them."""

import io
import logging

import pytest

from config.log_filters import MaskIdNumbers, mask_id_numbers

NUMBER = "371521195001010013"
MASKED = "371521********0013"


@pytest.mark.parametrize(
    "text, expected",
    [
        (NUMBER, MASKED),
        (f"身份证号码 {NUMBER} 重复", f"身份证号码 {MASKED} 重复"),
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002x"),
        (f"证号{NUMBER}42。", f"证号{MASKED}42。"),  # disability certificate
        (f"q={NUMBER}&page=2", f"q={MASKED}&page=2"),
        ("户编号 3715210010001", "户编号 3715210010001"),
        (
            "hash 0123456789abcdef0123456789abcdef",
            "hash 0123456789abcdef0123456789abcdef",
        ),
        ("id 12345678901234567890123", "id 12345678901234567890123"),
    ],
)
def test_it_masks_id_numbers_and_leaves_other_numbers(text, expected):
    assert mask_id_numbers(text) == expected


def _record(msg, *args, exc_info=None):
    return logging.LogRecord(
        "households", logging.WARNING, __file__, 1, msg, args, exc_info
    )


def test_it_masks_the_message_and_its_arguments():
    record = _record(
        "导入 %s：%s 与 %s 重复", "花名册.xlsx", NUMBER, "11010519491231002X"
    )
    assert MaskIdNumbers().filter(record) is True
    assert (
        record.getMessage() == f"导入 花名册.xlsx：{MASKED} 与 110105********002X 重复"
    )


def test_it_masks_a_traceback():
    try:
        raise ValueError(f"duplicate key (id_number)=({NUMBER})")
    except ValueError as exc:
        record = _record("保存失败", exc_info=(type(exc), exc, exc.__traceback__))
    MaskIdNumbers().filter(record)
    text = logging.Formatter().format(record)
    assert NUMBER not in text and MASKED in text


def test_the_configured_console_handler_masks_every_logger():
    """settings.LOGGING puts the filter on the handler every logger uses."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskIdNumbers) for f in handler.filters)
    ]
    assert handlers, "the root logger's console handler has no MaskIdNumbers filter"
    handler = handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("households.imports").warning("成员 %s 无户主", NUMBER)
        logging.getLogger("django.request").warning("Not Found: /x/%s", NUMBER)
    finally:
        handler.setStream(previous)
    output = stream.getvalue()
    assert NUMBER not in output
    assert output.count(MASKED) == 2


def test_django_server_access_lines_are_masked_too():
    logger = logging.getLogger("django.server")
    assert not logger.propagate
    assert any(isinstance(f, MaskIdNumbers) for h in logger.handlers for f in h.filters)
