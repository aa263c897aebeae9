"""No template may carry inline JavaScript: the CSP would block it.

Scripts are files under static/ (``<script src=…>``); event-handler
attributes (``onclick=``…) and ``javascript:`` URLs are inline script too.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "staticfiles", ".git"}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def _templates() -> list[Path]:
    found = []
    for directory in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if directory.is_dir() and not SKIP & set(directory.relative_to(ROOT).parts):
            found += sorted(directory.rglob("*.html"))
    return found


def problems(text: str) -> list[str]:
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if not re.search(r"\bsrc\s*=", attributes, re.IGNORECASE):
            found.append(f"inline <script{attributes}>")
    found += [
        f"event attribute: {m.group(0)[-40:]}" for m in EVENT_ATTRIBUTE.finditer(text)
    ]
    found += [f"javascript: URL: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(text)]
    return found


def test_it_finds_the_project_templates():
    names = {path.name for path in _templates()}
    assert {"base.html", "detail.html", "locked_out.html"} <= names


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">import x from "y"</script>',
        '<button type="button" onclick="go()">去</button>',
        '<body\n  onload="init()">',
        '<a href="javascript:void(0)">x</a>',
    ],
)
def test_the_scan_catches_inline_script(html):
    assert problems(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/a.js"></script>',
        "<script defer src=\"{% static 'js/a.js' %}\"></script>",
        '<input name="online" data-on="x">',
        "<p>onclick= is forbidden</p>",
    ],
)
def test_the_scan_lets_script_files_and_plain_text_through(html):
    assert not problems(html)


def test_no_template_has_inline_script():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _templates()
        if (found := problems(path.read_text(encoding="utf-8")))
    }
    assert not offenders, offenders
