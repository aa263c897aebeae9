"""Access proof: every URL of the project, with every persona.

One world of 阿城镇 records is built once for the module (through the
services), and every URL pattern the resolver knows is requested by each
of the eight personas; the status must be the one the table below says.
Every request runs in a transaction that is rolled back, so a POST that
succeeds (removing a member, confirming a check) leaves the world as it was
for the next request.

The guard test fails when a URL pattern exists that the table does not
list: a new page must be added here, with the status each persona gets.

The admin site: the index and each registered ModelAdmin's changelist are
in the table; each model's change page is walked generically (the bureau
admin 200, everybody else sent to the admin login).  The admin's other
internals (add, delete, history, autocomplete, …) are Django's.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.demo import DEMO_PASSWORD, create_personas
from cases import services as case_services
from cases.models import Case, CaseEvent
from checklists.services import campaign_save
from households import services as household_services
from households.imports.roster_import import roster_import
from households.models import ImportBatch, Township, Village
from jobs.runners import execute
from jobs.services import job_request_report_export
from subsidies import services as benefit_services
from subsidies.models import Enrollment
from subsidies.parameters import parameter_set
from tests.factories import make_id_number

STAFF = "staff_acheng"
OUTSIDER = "staff_qiji"
CHIEFS = [
    "chief_assistance",
    "chief_affairs",
    "chief_elderly",
    "chief_policy",
    "chief_grassroots",
]
ADMIN = "admin"
PERSONAS = [STAFF, OUTSIDER, *CHIEFS, ADMIN]
# The world's case is ELDERLY_SUBSIDY_MISSING: 慈善事业和养老服务科's.
CASE_CHIEF = "chief_elderly"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# ------------------------------------------------------------------ world


@dataclass
class World:
    users: dict
    clients: dict
    acheng: Township
    qiji: Township
    household: object
    elder: object
    dibao: Enrollment
    grant: object
    case: Case
    evidence: CaseEvent
    campaign: object
    batch: ImportBatch
    preview: ImportBatch
    qiji_household: object
    job: object = None
    ids: dict = field(default_factory=dict)


def _roster(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["村（居）", "户编号", "姓名", "证件号码", "与户主关系"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _build_world() -> World:
    users = {user.username: user for user in create_personas()}
    admin_user = users[ADMIN]
    acheng = Township.objects.get(name="阿城镇")
    qiji = Township.objects.get(name="七级镇")
    campaign = campaign_save(
        name="2020年兜底保障自查整改",
        inspection_start=datetime.date(2020, 3, 1),
        inspection_end=datetime.date(2020, 5, 31),
        due_date=datetime.date(2030, 5, 31),
        report_due=datetime.date(2030, 6, 30),
        is_current=True,
    )
    village = household_services.village_get_or_create(township=acheng, name="东关村")
    household_services.village_get_or_create(township=acheng, name="城东社区")
    household = household_services.household_create(
        household_no="3715210010001",
        village=village,
        actor=users[STAFF],
        poverty_type="dibao",
        poverty_status="not_lifted",
    )
    elder = household_services.member_create(
        household=household,
        name="赵老汉",
        id_number=make_id_number(datetime.date(1950, 1, 1)),
        relation="head",
        actor=users[STAFF],
    )
    household_services.member_create(
        household=household,
        name="钱大娘",
        id_number=make_id_number(datetime.date(1952, 3, 8), male=False),
        relation="spouse",
        actor=users[STAFF],
    )
    dibao = benefit_services.enrollment_start(
        member=elder,
        benefit="dibao",
        scope="individual",
        start=datetime.date(2019, 1, 1),
        actor=users[STAFF],
    )
    grant = benefit_services.grant_record(
        member=elder,
        date=datetime.date(2020, 2, 1),
        amount=500,
        actor=users[STAFF],
    )
    call_command(
        "evaluate_rules",
        "--township",
        "阿城镇",
        "--as-of",
        "2020-04-15",
        stdout=io.StringIO(),
    )
    case = Case.objects.get(rule="ELDERLY_SUBSIDY_MISSING", member=elder)
    evidence = case_services.case_add_evidence(
        case=case,
        user=users[STAFF],
        file=SimpleUploadedFile("审批表.png", PNG, content_type="image/png"),
        note="审批表",
    )
    case.refresh_from_db()
    result = roster_import(
        source=_roster(
            [["西街村", "AC0001", "孙小妹", make_id_number(male=False), "户主"]]
        ),
        name="阿城镇花名册.xlsx",
        township=acheng,
        actor=users[STAFF],
    )
    assert result.written, result.as_json()
    qiji_village = household_services.village_get_or_create(
        township=qiji, name="北街村"
    )
    qiji_household = household_services.household_create(
        household_no="3715210020001", village=qiji_village, actor=admin_user
    )
    household_services.member_create(
        household=qiji_household,
        name="周七",
        id_number=make_id_number(datetime.date(1960, 6, 6)),
        relation="head",
        actor=admin_user,
    )
    parameter_set(
        name="dibao_standard_rural",
        value_text="4800",
        effective_from=datetime.date(2020, 1, 1),
        note="示例值",
        actor=admin_user,
    )
    # A real sign-in, then a failed one: the login-throttling pages have rows.
    Client().post(reverse("login"), {"username": STAFF, "password": DEMO_PASSWORD})
    Client().post(reverse("login"), {"username": STAFF, "password": "wrong"})
    clients = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    # A roster with a bad ID number uploaded in the browser: a preview batch
    # with an error workbook to download.
    clients[STAFF].post(
        reverse("households:import_list"),
        {
            "kind": "household_roster",
            "file": SimpleUploadedFile(
                "东关村花名册.xlsx",
                _roster([["东关村", "AC0002", "李四", "371521195001010000", "户主"]]),
            ),
        },
    )
    preview = ImportBatch.objects.get(original_name="东关村花名册.xlsx")
    assert preview.summary.get("errors"), preview.summary
    # A report export asked for by 阿城镇's staff, queued and then run: a
    # job with a file to download (and its queue record).
    job = job_request_report_export(user=users[STAFF], township=acheng)
    execute(job.pk)
    job.refresh_from_db()
    # The admin has looked at a full number once: the audit log has a row.
    clients[ADMIN].post(reverse("households:member_reveal_id", args=[elder.pk]))
    return World(
        users=users,
        clients=clients,
        acheng=acheng,
        qiji=qiji,
        household=household,
        elder=elder,
        dibao=dibao,
        grant=grant,
        case=case,
        evidence=evidence,
        campaign=campaign,
        batch=result.batch,
        preview=preview,
        qiji_household=qiji_household,
        job=job,
    )


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, world_media):
    """The world's files (evidence, rosters) stay readable in every test."""
    settings.MEDIA_ROOT = world_media
    return world_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    media = world_media
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


# ------------------------------------------------------------------ table


def expect(
    *,
    staff: int,
    outsider: int,
    chiefs: int,
    admin: int,
    **overrides: int,
) -> dict[str, int]:
    """The status per persona; ``overrides`` name single personas."""
    table = {STAFF: staff, OUTSIDER: outsider, ADMIN: admin}
    table.update(dict.fromkeys(CHIEFS, chiefs))
    table.update(overrides)
    return table


def everyone(status: int) -> dict[str, int]:
    return expect(staff=status, outsider=status, chiefs=status, admin=status)


# A township object's page: its staff and the admin work on it, the other
# township's staff never learn it exists, chiefs read it.
READ_OBJECT = expect(staff=200, outsider=404, chiefs=200, admin=200)
WRITE_OBJECT = expect(staff=200, outsider=404, chiefs=403, admin=200)
ADMIN_ONLY = expect(staff=403, outsider=403, chiefs=403, admin=200)
ADMIN_SITE = expect(staff=302, outsider=302, chiefs=302, admin=200)
NOT_ALLOWED = everyone(405)
# Import batches are the importers' (staff and admin): chiefs get 403 first.
IMPORT_OBJECT = expect(staff=200, outsider=404, chiefs=403, admin=200)


@dataclass(frozen=True)
class Row:
    """One URL: how to build it, and the status per persona per method."""

    kwargs: object = None  # callable(world) -> dict of URL kwargs
    area: bool = False  # the URL names an 阿城镇 record
    get: dict | None = None
    post: dict | None = None
    post_data: object = None  # callable(world) -> dict
    query: object = None  # callable(world) -> query string

    def url(self, name: str, world: World) -> str:
        kwargs = self.kwargs(world) if self.kwargs else {}
        url = reverse(name, kwargs=kwargs)
        if self.query:
            url += "?" + self.query(world)
        return url


def household_pk(w):
    return {"pk": w.household.pk}


def member_pk(w):
    return {"pk": w.elder.pk}


def enrollment_pk(w):
    return {"pk": w.dibao.pk}


def case_pk(w):
    return {"pk": w.case.pk}


def batch_pk(w):
    return {"pk": w.preview.pk}


def job_pk(w):
    return {"pk": w.job.pk}


# A job is its requester's (阿城镇's staff here) and the admin's.
JOB_OBJECT = expect(staff=200, outsider=404, chiefs=404, admin=200)


# Case actions: the case is open.  The township's staff and the admin may
# submit (an empty form: 400); the section's chief and the admin may
# review (the case is not submitted, or the form is empty: 400); other
# chiefs only read (403); the other township never sees it (404).
CASE_REVIEW = expect(
    staff=403, outsider=404, chiefs=403, admin=400, **{CASE_CHIEF: 400}
)
CASE_NOTE = expect(staff=400, outsider=404, chiefs=403, admin=400, **{CASE_CHIEF: 400})

TABLE: dict[str, Row] = {
    # -- accounts and the dashboard
    "dashboard": Row(get=everyone(200)),
    "login": Row(get=everyone(302)),  # already signed in: sent on
    "logout": Row(get=NOT_ALLOWED),  # POST signs out: not replayed here
    "healthz": Row(get=everyone(200)),
    "password_change": Row(get=everyone(200), post=everyone(200)),
    "audit": Row(get=ADMIN_ONLY),
    # -- the registry
    "households:list": Row(get=everyone(200)),
    "households:create": Row(
        get=expect(staff=200, outsider=200, chiefs=403, admin=200)
    ),
    "households:detail": Row(kwargs=household_pk, area=True, get=READ_OBJECT),
    "households:edit": Row(kwargs=household_pk, area=True, get=WRITE_OBJECT),
    "households:history": Row(kwargs=household_pk, area=True, get=READ_OBJECT),
    "households:remove": Row(
        kwargs=household_pk,
        area=True,
        get=WRITE_OBJECT,
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    "households:member_reveal_id": Row(
        kwargs=member_pk,
        area=True,
        get=NOT_ALLOWED,
        post=expect(staff=200, outsider=404, chiefs=403, admin=200),
    ),
    "households:member_add": Row(kwargs=household_pk, area=True, get=WRITE_OBJECT),
    "households:member_edit": Row(kwargs=member_pk, area=True, get=WRITE_OBJECT),
    "households:member_remove": Row(
        kwargs=member_pk,
        area=True,
        get=NOT_ALLOWED,
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    # -- roster imports: township staff and the admin; chiefs read reports
    "households:import_list": Row(
        get=expect(staff=200, outsider=200, chiefs=403, admin=200),
        post=expect(staff=400, outsider=400, chiefs=403, admin=400),  # no file
    ),
    "households:import_template": Row(
        kwargs=lambda w: {"kind": "household_roster"},
        get=expect(staff=200, outsider=200, chiefs=403, admin=200),
    ),
    "households:import_detail": Row(kwargs=batch_pk, area=True, get=IMPORT_OBJECT),
    "households:import_file": Row(kwargs=batch_pk, area=True, get=IMPORT_OBJECT),
    "households:import_errors": Row(kwargs=batch_pk, area=True, get=IMPORT_OBJECT),
    "households:import_confirm": Row(
        kwargs=batch_pk,
        area=True,
        get=NOT_ALLOWED,
        # Errors and no "skip invalid": refused, back to the preview.
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    "households:import_cancel": Row(
        kwargs=batch_pk,
        area=True,
        get=NOT_ALLOWED,
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    # -- benefits
    "subsidies:enrollment_add": Row(
        kwargs=lambda w: {"member_pk": w.elder.pk}, area=True, get=WRITE_OBJECT
    ),
    "subsidies:enrollment_edit": Row(kwargs=enrollment_pk, area=True, get=WRITE_OBJECT),
    "subsidies:enrollment_end": Row(kwargs=enrollment_pk, area=True, get=WRITE_OBJECT),
    "subsidies:enrollment_extend": Row(
        kwargs=enrollment_pk, area=True, get=WRITE_OBJECT
    ),
    "subsidies:enrollment_review": Row(
        kwargs=enrollment_pk, area=True, get=WRITE_OBJECT
    ),
    "subsidies:dibao_household": Row(
        kwargs=lambda w: {"household_pk": w.household.pk}, area=True, get=WRITE_OBJECT
    ),
    "subsidies:grant_add": Row(
        kwargs=lambda w: {"member_pk": w.elder.pk}, area=True, get=WRITE_OBJECT
    ),
    "subsidies:parameters": Row(get=ADMIN_ONLY),
    "subsidies:parameter_add": Row(
        kwargs=lambda w: {"name": "dibao_standard_rural"},
        get=NOT_ALLOWED,
        post=ADMIN_ONLY,  # the admin's empty form is shown again: 200
    ),
    # -- the self-inspection
    "checklists:progress": Row(get=everyone(200)),
    "checklists:campaigns": Row(get=ADMIN_ONLY),
    "checklists:campaign_add": Row(get=ADMIN_ONLY),
    "checklists:campaign_edit": Row(
        kwargs=lambda w: {"pk": w.campaign.pk}, get=ADMIN_ONLY
    ),
    "checklists:campaign_make_current": Row(
        kwargs=lambda w: {"pk": w.campaign.pk},
        get=NOT_ALLOWED,
        post=expect(staff=403, outsider=403, chiefs=403, admin=302),
    ),
    "checklists:household": Row(kwargs=household_pk, area=True, get=READ_OBJECT),
    "checklists:confirm": Row(
        kwargs=household_pk,
        area=True,
        get=NOT_ALLOWED,
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    "checklists:sheet": Row(kwargs=household_pk, area=True, get=READ_OBJECT),
    "checklists:coverage_panel": Row(kwargs=household_pk, area=True, get=READ_OBJECT),
    # -- the ledger and the report
    "cases:progress": Row(get=everyone(200)),
    "cases:report_download": Row(
        query=lambda w: f"township={w.acheng.pk}", area=True, get=READ_OBJECT
    ),
    "cases:queue": Row(get=everyone(200)),
    "cases:bulk_review": Row(
        get=NOT_ALLOWED,
        post=expect(staff=403, outsider=403, chiefs=302, admin=302),
    ),
    "cases:detail": Row(kwargs=case_pk, area=True, get=READ_OBJECT),
    "cases:submit": Row(
        kwargs=case_pk,
        area=True,
        get=NOT_ALLOWED,
        post=expect(staff=400, outsider=404, chiefs=403, admin=400),
    ),
    "cases:verify": Row(kwargs=case_pk, area=True, get=NOT_ALLOWED, post=CASE_REVIEW),
    "cases:return": Row(kwargs=case_pk, area=True, get=NOT_ALLOWED, post=CASE_REVIEW),
    "cases:dismiss": Row(kwargs=case_pk, area=True, get=NOT_ALLOWED, post=CASE_REVIEW),
    "cases:comment": Row(kwargs=case_pk, area=True, get=NOT_ALLOWED, post=CASE_NOTE),
    "cases:evidence_upload": Row(
        kwargs=case_pk, area=True, get=NOT_ALLOWED, post=CASE_NOTE
    ),
    "cases:evidence": Row(
        kwargs=lambda w: {"pk": w.case.pk, "event_id": w.evidence.pk},
        area=True,
        get=READ_OBJECT,
    ),
    # -- background jobs: the requester's and the admin's alone
    "jobs:list": Row(get=everyone(200)),
    "jobs:rule_run_start": Row(get=NOT_ALLOWED, post=everyone(302)),
    "jobs:report_export_start": Row(get=NOT_ALLOWED, post=everyone(302)),
    "jobs:roster_import_start": Row(
        kwargs=batch_pk,
        area=True,
        get=NOT_ALLOWED,
        # Queued for the worker (which would refuse the batch's errors).
        post=expect(staff=302, outsider=404, chiefs=403, admin=302),
    ),
    "jobs:detail": Row(kwargs=job_pk, area=True, get=JOB_OBJECT),
    "jobs:status": Row(kwargs=job_pk, area=True, get=JOB_OBJECT),
    "jobs:file": Row(kwargs=job_pk, area=True, get=JOB_OBJECT),
    "jobs:cancel": Row(
        kwargs=job_pk,
        area=True,
        get=NOT_ALLOWED,
        # The export has finished: back to its page with a message.
        post=expect(staff=302, outsider=404, chiefs=404, admin=302),
    ),
    # -- the Django admin: the bureau admin's alone
    "admin:index": Row(get=ADMIN_SITE),
    "admin:accounts_user_changelist": Row(get=ADMIN_SITE),
    "admin:accounts_auditevent_changelist": Row(get=ADMIN_SITE),
    "admin:axes_accessattempt_changelist": Row(get=ADMIN_SITE),
    "admin:axes_accesslog_changelist": Row(get=ADMIN_SITE),
    "admin:axes_accessfailurelog_changelist": Row(get=ADMIN_SITE),
    "admin:households_township_changelist": Row(get=ADMIN_SITE),
    "admin:households_village_changelist": Row(get=ADMIN_SITE),
    "admin:households_household_changelist": Row(get=ADMIN_SITE),
    "admin:households_member_changelist": Row(get=ADMIN_SITE),
    "admin:households_importbatch_changelist": Row(get=ADMIN_SITE),
    "admin:subsidies_benefittype_changelist": Row(get=ADMIN_SITE),
    "admin:subsidies_enrollment_changelist": Row(get=ADMIN_SITE),
    "admin:subsidies_temporarygrant_changelist": Row(get=ADMIN_SITE),
    "admin:subsidies_policyparameter_changelist": Row(get=ADMIN_SITE),
    "admin:checklists_campaign_changelist": Row(get=ADMIN_SITE),
    "admin:checklists_householdcheck_changelist": Row(get=ADMIN_SITE),
    "admin:cases_case_changelist": Row(get=ADMIN_SITE),
    "admin:jobs_job_changelist": Row(get=ADMIN_SITE),
    **{
        f"admin:care_{model}_changelist": Row(get=ADMIN_SITE)
        for model in (
            "careimportbatch",
            "careserviceitem",
            "charitydrive",
            "child",
            "childdirector",
            "childsupervisor",
            "elderlyperson",
            "institution",
            "socialorganization",
            "villageworkpoint",
        )
    },
    "admin:django_tasks_database_dbtaskresult_changelist": Row(get=ADMIN_SITE),
}


# --------------------------------------------------------------- walking


def _walk(patterns, namespace: str | None = None):
    """(qualified name or None, namespace) of every URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            joined = ":".join(n for n in (namespace, inner) if n) or None
            yield from _walk(pattern.url_patterns, joined)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield name, namespace, str(pattern.pattern)


def project_url_names() -> set[str]:
    """Every URL the table must list: all but the admin's internals."""
    names = set()
    for name, namespace, route in _walk(get_resolver().url_patterns):
        if namespace == "admin":
            continue
        if namespace == "care":
            # Children's records have their own scope (社会事务科 only), so
            # the care pages have their own world and table with the same
            # guard: tests/care/test_access.py.
            continue
        assert name, f"URL pattern {route!r} has no name: name it and add it here"
        names.add(name)
    names.add("admin:index")
    for model in admin.site._registry:
        meta = model._meta
        names.add(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return names


def _request(client: Client, method: str, url: str, data: dict):
    """One request whose writes are rolled back afterwards."""
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


def test_it_lists_every_url_pattern_of_the_project():
    """A URL missing from TABLE fails here: add it with its statuses."""
    names = project_url_names()
    missing = sorted(names - set(TABLE))
    stale = sorted(set(TABLE) - names)
    assert not missing, (
        f"URLs not in the access table: {missing} — add each to TABLE in "
        "tests/test_access_matrix.py with the status every persona gets "
        "(and build its objects in _build_world)"
    )
    assert not stale, f"access table lists URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_answers_each_persona_as_the_table_says(world, name):
    row = TABLE[name]
    url = row.url(name, world)
    data = row.post_data(world) if row.post_data else {}
    wrong = []
    for method, expected in (("get", row.get), ("post", row.post)):
        if expected is None:
            continue
        assert set(expected) == set(PERSONAS)
        for persona in PERSONAS:
            response = _request(world.clients[persona], method, url, data)
            if response.status_code != expected[persona]:
                wrong.append(
                    f"{method.upper()} {url} as {persona}: "
                    f"{response.status_code}, expected {expected[persona]}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_outsider_gets_404_on_every_object_of_the_other_township(world):
    """staff_qiji never learns that an 阿城镇 record exists."""
    objects = [name for name, row in TABLE.items() if row.area]
    not_township_records = {
        "households:import_template",
        "checklists:campaign_edit",
        "checklists:campaign_make_current",
        "subsidies:parameter_add",
    }
    unmarked = {n for n, r in TABLE.items() if r.kwargs and not r.area}
    assert unmarked == not_township_records
    assert len(objects) >= 25
    for name in objects:
        row = TABLE[name]
        for method, expected in (("get", row.get), ("post", row.post)):
            if expected is None or expected[OUTSIDER] == 405:
                continue
            response = _request(
                world.clients[OUTSIDER], method, row.url(name, world), {}
            )
            assert response.status_code == 404, (name, method)


@pytest.mark.django_db
def test_each_admin_change_page_is_the_bureau_admins_alone(world):
    checked = 0
    for model in admin.site._registry:
        if model._meta.app_label == "care":
            continue  # tests/care/test_admin_access.py, with the care world
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, (
            f"the world has no {model.__name__}: build one in _build_world"
        )
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        for persona in PERSONAS:
            response = _request(world.clients[persona], "get", url, {})
            assert response.status_code == ADMIN_SITE[persona], (url, persona)
        checked += 1
    assert checked == sum(m._meta.app_label != "care" for m in admin.site._registry)


@pytest.mark.django_db
def test_the_admin_change_page_of_a_member_shows_the_masked_number(world):
    url = reverse("admin:households_member_change", args=[world.elder.pk])
    body = world.clients[ADMIN].get(url).content.decode()
    assert world.elder.masked_id in body
    assert world.elder.id_number not in body


# ---------------------------------------------------------------- pickers


def _options(html: str, name: str) -> set[int]:
    select = re.search(
        rf'<select name="{name}"[^>]*>(.*?)</select>', html, flags=re.DOTALL
    )
    assert select, f"no <select name={name}>"
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


def _villages(township: Township) -> set[int]:
    return set(Village.objects.filter(township=township).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name, query",
    [
        ("households:list", ""),
        ("households:list", "township={other}"),
        ("cases:queue", ""),
        ("cases:queue", "township={other}&tab=all"),
        ("households:create", ""),
        ("households:create", "township={other}"),
    ],
)
def test_township_staff_are_offered_their_own_villages_only(world, url_name, query):
    for persona, own, other in (
        (STAFF, world.acheng, world.qiji),
        (OUTSIDER, world.qiji, world.acheng),
    ):
        url = reverse(url_name) + "?" + query.format(other=other.pk)
        response = world.clients[persona].get(url)
        assert response.status_code == 200, (persona, url)
        offered = _options(response.content.decode(), "village")
        assert offered <= _villages(own), (persona, url)
        if not query:
            assert offered == _villages(own), (persona, url)


@pytest.mark.django_db
def test_the_household_edit_form_offers_the_households_township_only(world):
    url = reverse("households:edit", args=[world.household.pk])
    for persona in (STAFF, ADMIN):
        html = world.clients[persona].get(url).content.decode()
        assert _options(html, "village") == _villages(world.acheng)


@pytest.mark.django_db
def test_township_staff_do_not_see_the_township_filter(world):
    for url_name in ("households:list", "cases:queue"):
        html = world.clients[STAFF].get(reverse(url_name)).content.decode()
        assert 'name="township"' not in html
        chief_html = world.clients["chief_assistance"].get(reverse(url_name))
        assert len(_options(chief_html.content.decode(), "township")) == 18
