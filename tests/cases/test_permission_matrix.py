"""Every persona against every ledger and inspection view: 200/302/403/404/405.

The case and household belong to 阿城镇 and the case to 慈善事业和养老服务科:
staff_acheng is the township's staff, staff_qiji the outsider, chief_elderly
the section's chief, chief_assistance a chief of another section.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.services import case_add_evidence
from checklists.demo import seed_campaign

from .ledger_builders import make_case

pytestmark = pytest.mark.django_db

PERSONAS = ["staff_acheng", "staff_qiji", "chief_elderly", "chief_assistance", "admin"]
PDF = b"%PDF-1.4\n%%EOF\n"

# view: (method, case status and resolution, data, expected per persona)
MATRIX = {
    "cases:detail": ("get", ("open", ""), None, [200, 404, 200, 200, 200]),
    "cases:evidence": ("get", ("open", ""), None, [200, 404, 200, 200, 200]),
    "cases:submit": (
        "post",
        ("open", ""),
        {"resolution": "rectified"},
        [302, 404, 403, 403, 302],
    ),
    "cases:verify": ("post", ("submitted", "rectified"), {}, [403, 404, 302, 403, 302]),
    "cases:return": (
        "post",
        ("submitted", "rectified"),
        {"reason": "请补充"},
        [403, 404, 302, 403, 302],
    ),
    "cases:dismiss": (
        "post",
        ("submitted", "not_applicable"),
        {},
        [403, 404, 302, 403, 302],
    ),
    "cases:comment": (
        "post",
        ("open", ""),
        {"note": "备注"},
        [302, 404, 302, 403, 302],
    ),
    "cases:evidence_upload": ("post", ("open", ""), "file", [302, 404, 302, 403, 302]),
    "checklists:household": ("get", None, None, [200, 404, 200, 200, 200]),
    "checklists:sheet": ("get", None, None, [200, 404, 200, 200, 200]),
    "checklists:confirm": ("post", None, {"note": ""}, [302, 404, 403, 403, 302]),
}
PAGES = {
    "dashboard": ("get", [200, 200, 200, 200, 200]),
    "cases:queue": ("get", [200, 200, 200, 200, 200]),
    "cases:bulk_review": ("post", [403, 403, 302, 302, 302]),
    "checklists:progress": ("get", [200, 200, 200, 200, 200]),
    "checklists:campaigns": ("get", [403, 403, 403, 403, 200]),
    "checklists:campaign_add": ("get", [403, 403, 403, 403, 200]),
}
WRONG_METHOD = {"get": "post", "post": "get"}
# Views that take both GET and POST refuse PUT.
BOTH_METHODS = {"checklists:campaign_add"}


def cells(table):
    return [
        pytest.param(view, persona, expected, id=f"{view}-{persona}")
        for view, row in table.items()
        for persona, expected in zip(PERSONAS, row[-1], strict=True)
    ]


@pytest.fixture
def setting(household, elder, staff_acheng):
    seed_campaign(timezone.localdate())

    def build(view):
        method, state, data, _ = MATRIX[view]
        if state is None:
            return reverse(view, args=[household.pk]), method, data
        status, resolution = state
        case = make_case(
            household,
            member=elder,
            status=status,
            resolution=resolution,
            finding_holds=False,
        )
        if view == "cases:evidence":
            event = case_add_evidence(
                case=case, user=staff_acheng, file=SimpleUploadedFile("a.pdf", PDF)
            )
            return reverse(view, args=[case.pk, event.pk]), method, data
        if data == "file":
            data = {"file": SimpleUploadedFile("a.pdf", PDF)}
        return reverse(view, args=[case.pk]), method, data

    return build


@pytest.mark.parametrize(("view", "persona", "expected"), cells(MATRIX))
def test_object_views(client_for, personas, setting, view, persona, expected):
    url, method, data = setting(view)
    client = client_for(personas[persona])

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected


@pytest.mark.parametrize("view", list(MATRIX))
def test_object_views_refuse_the_wrong_method(client_for, admin_user, setting, view):
    url, method, _ = setting(view)

    response = getattr(client_for(admin_user), WRONG_METHOD[method])(url)

    assert response.status_code == 405


@pytest.mark.parametrize(("view", "persona", "expected"), cells(PAGES))
def test_pages(client_for, personas, household, elder, view, persona, expected):
    case = make_case(household, member=elder, status="submitted", finding_holds=False)
    method = PAGES[view][0]
    data = {"action": "verify", "cases": [case.pk]} if method == "post" else {}

    response = getattr(client_for(personas[persona]), method)(reverse(view), data)

    assert response.status_code == expected


@pytest.mark.parametrize("view", list(PAGES))
def test_pages_refuse_the_wrong_method(client_for, admin_user, view):
    wrong = "put" if view in BOTH_METHODS else WRONG_METHOD[PAGES[view][0]]

    response = getattr(client_for(admin_user), wrong)(reverse(view))

    assert response.status_code == 405


@pytest.mark.parametrize("view", list(MATRIX) + list(PAGES))
def test_every_view_needs_a_login(client, household, view):
    args = [household.pk] if view in MATRIX else []
    if view == "cases:evidence":
        args = [1, 1]
    response = client.get(reverse(view, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_matrix_covers_every_url_of_both_apps():
    from cases.urls import urlpatterns as case_urls
    from checklists.urls import urlpatterns as checklist_urls

    names = {
        f"{app}:{p.name}"
        for app, patterns in (("cases", case_urls), ("checklists", checklist_urls))
        for p in patterns
        if p.callback.__module__ in ("cases.views", "checklists.views")
    }
    covered = (
        set(MATRIX)
        | set(PAGES)
        | {
            "checklists:campaign_edit",  # admin only: test_campaign_views.py
            "checklists:campaign_make_current",
        }
    )
    assert names <= covered
