"""Access to every care page, for each of the eight personas.

One world of 阿城镇 care records (and one of 七级镇) is built once for the
module through the services; every care URL is requested by each persona
in a transaction that is rolled back.  Outside the area: 404; read only:
403; wrong method: 405.  Children's records: 404 for everyone but the
child's township staff, 社会事务科 and the admin.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, get_resolver, reverse

from accounts.demo import create_personas
from care import services
from care.imports.service import care_roster_import
from care.models import CareImportBatch
from households.models import Township
from subsidies.models import Enrollment
from tests.factories import make_household, make_id_number, make_member, make_village

STAFF, OUTSIDER, AFFAIRS, ADMIN = "staff_acheng", "staff_qiji", "chief_affairs", "admin"
OTHER_CHIEFS = ["chief_assistance", "chief_elderly", "chief_policy", "chief_grassroots"]
PERSONAS = [STAFF, OUTSIDER, AFFAIRS, *OTHER_CHIEFS, ADMIN]
D = datetime.date


@dataclass
class World:
    clients: dict
    acheng: Township
    village: object
    elder: object
    child: object
    institution: object
    resident: object
    supervisor: object
    organization: object
    batch: CareImportBatch


def _roster() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["村（居）", "姓名", "身份证号码"])
    book.active.append(["东关村", "钱大爷", make_id_number(D(1945, 1, 1))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _build() -> World:
    users = {user.username: user for user in create_personas()}
    acheng = Township.objects.get(name="阿城镇")
    village = make_village(acheng, "东关村")
    make_village("七级镇", "北街村")
    elder = services.elderly_register(
        village=village, name="王老汉", id_number=make_id_number(D(1940, 3, 1))
    )
    child = services.child_register(
        village=village,
        name="王小宝",
        id_number=make_id_number(D(2012, 9, 1)),
        category="left_behind",
    )
    institution = services.institution_create(
        township=acheng, kind="nursing_home", name="阿城敬老院", beds=50, residents=20
    )
    member = make_member(make_household(acheng, village=village), name="特困甲")
    Enrollment.objects.create(
        member=member, benefit_id="tekun", care_mode="centralized", start=D(2019, 1, 1)
    )
    resident = services.institution_resident_add(institution=institution, member=member)
    supervisor = services.child_supervisor_add(
        township=acheng, name="李督导", phone="1"
    )
    services.child_director_set(village=village, name="张主任", phone="2")
    organization = services.social_organization_create(
        township=acheng, name="阿城志愿者协会", kind="association", activity="结对帮扶"
    )
    result = care_roster_import(
        kind="elderly",
        source=_roster(),
        name="名册.xlsx",
        actor=users[STAFF],
        dry_run=True,
    )
    batch = CareImportBatch.objects.create(
        kind="elderly",
        township=acheng,
        uploaded_by=users[STAFF],
        original_name="名册.xlsx",
        summary=result.as_json(),
    )
    batch.file.save("名册.xlsx", io.BytesIO(_roster()))
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return World(
        clients=clients,
        acheng=acheng,
        village=village,
        elder=elder,
        child=child,
        institution=institution,
        resident=resident,
        supervisor=supervisor,
        organization=organization,
        batch=batch,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


def expect(*, staff, outsider, chiefs, admin, affairs=None, others=None):
    table = {STAFF: staff, OUTSIDER: outsider, ADMIN: admin}
    table[AFFAIRS] = chiefs if affairs is None else affairs
    table.update(dict.fromkeys(OTHER_CHIEFS, chiefs if others is None else others))
    return table


EVERYONE = expect(staff=200, outsider=200, chiefs=200, admin=200)
READ = expect(staff=200, outsider=404, chiefs=200, admin=200)
WRITE = expect(staff=200, outsider=404, chiefs=403, admin=200)
WRITE_POST = expect(staff=302, outsider=404, chiefs=403, admin=302)
CREATE = expect(staff=200, outsider=200, chiefs=403, admin=200)
NOT_ALLOWED = expect(staff=405, outsider=405, chiefs=405, admin=405)
# Children: 社会事务科 reads, other chiefs never learn a child exists.
CHILD_LIST = expect(staff=200, outsider=200, chiefs=200, admin=200, others=404)
CHILD_CREATE = expect(staff=200, outsider=200, chiefs=403, admin=200, others=404)
CHILD_READ = expect(staff=200, outsider=404, chiefs=200, admin=200, others=404)
CHILD_WRITE = expect(staff=200, outsider=404, chiefs=403, admin=200, others=404)
CHILD_POST = expect(staff=302, outsider=404, chiefs=403, admin=302, others=404)
CHILD_TEMPLATE = expect(staff=200, outsider=200, chiefs=200, admin=200, others=404)
IMPORT = expect(staff=200, outsider=200, chiefs=403, admin=200)
BATCH = expect(staff=200, outsider=404, chiefs=403, admin=200)


def elder(w):
    return {"pk": w.elder.pk}


def child(w):
    return {"pk": w.child.pk}


def township(w):
    return {"pk": w.acheng.pk}


def village(w):
    return {"pk": w.village.pk}


def institution(w):
    return {"pk": w.institution.pk}


def batch(w):
    return {"pk": w.batch.pk}


# name: (kwargs, GET statuses, POST statuses)
TABLE = {
    "care:tracker": (None, EVERYONE, None),
    "care:elderly_list": (None, EVERYONE, None),
    "care:elderly_create": (None, CREATE, None),
    "care:elderly_detail": (elder, READ, None),
    "care:elderly_edit": (elder, WRITE, None),
    "care:elderly_remove": (elder, NOT_ALLOWED, WRITE_POST),
    "care:elderly_visit_add": (elder, WRITE, None),
    "care:visits_due": (None, EVERYONE, None),
    "care:candidates": (None, EVERYONE, None),
    "care:child_list": (None, CHILD_LIST, None),
    "care:child_create": (None, CHILD_CREATE, None),
    "care:child_detail": (child, CHILD_READ, None),
    "care:child_edit": (child, CHILD_WRITE, None),
    "care:child_remove": (child, NOT_ALLOWED, CHILD_POST),
    "care:child_visit_add": (child, CHILD_WRITE, None),
    "care:workforce": (None, EVERYONE, None),
    "care:supervisor_add": (township, WRITE, None),
    "care:supervisor_retire": (
        lambda w: {"pk": w.supervisor.pk},
        NOT_ALLOWED,
        WRITE_POST,
    ),
    "care:director_set": (village, WRITE, None),
    "care:director_clear": (village, NOT_ALLOWED, WRITE_POST),
    "care:institution_list": (None, EVERYONE, None),
    "care:institution_create": (None, CREATE, None),
    "care:institution_detail": (institution, READ, None),
    "care:institution_edit": (institution, WRITE, None),
    "care:resident_add": (institution, NOT_ALLOWED, WRITE_POST),
    "care:resident_remove": (lambda w: {"pk": w.resident.pk}, NOT_ALLOWED, WRITE_POST),
    "care:village_points": (None, EVERYONE, None),
    "care:village_point_edit": (village, WRITE, None),
    "care:social": (None, EVERYONE, None),
    "care:charity_set": (township, WRITE, None),
    "care:organization_create": (township, WRITE, None),
    "care:organization_edit": (lambda w: {"pk": w.organization.pk}, WRITE, None),
    "care:import_list": (None, IMPORT, None),
    "care:import_upload": (lambda w: {"kind": "elderly"}, IMPORT, None),
    "care:import_template": (lambda w: {"kind": "children"}, CHILD_TEMPLATE, None),
    "care:import_detail": (batch, BATCH, None),
    "care:import_confirm": (batch, NOT_ALLOWED, WRITE_POST),
    "care:import_cancel": (batch, NOT_ALLOWED, WRITE_POST),
}


def test_the_table_lists_every_care_url():
    resolver = get_resolver()
    care = next(
        p for p in resolver.url_patterns if getattr(p, "namespace", "") == "care"
    )
    names = {f"care:{p.name}" for p in care.url_patterns if isinstance(p, URLPattern)}
    assert names == set(TABLE)


def _request(client, method, url):
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_the_status_the_table_says(world, name):
    kwargs, get, post = TABLE[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    wrong = []
    for method, expected in (("get", get), ("post", post or NOT_ALLOWED)):
        if method == "post" and post is None and get is not NOT_ALLOWED:
            # GET pages that also take a form are checked with GET only.
            continue
        for persona in PERSONAS:
            status = _request(world.clients[persona], method, url).status_code
            if status != expected[persona]:
                wrong.append(
                    f"{method.upper()} {url} {persona}: {status}, want {expected[persona]}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_children_pages_name_no_child_to_a_chief_of_another_section(world):
    for url in (reverse("care:child_list"), reverse("care:visits_due")):
        body = world.clients["chief_elderly"].get(url).content.decode()
        assert "王小宝" not in body
    body = world.clients[AFFAIRS].get(reverse("care:child_list")).content.decode()
    assert "王小宝" in body


@pytest.mark.django_db
def test_the_outsiders_lists_show_nothing_of_the_other_township(world):
    client = world.clients[OUTSIDER]
    for name in ("care:elderly_list", "care:child_list", "care:visits_due"):
        body = client.get(reverse(name)).content.decode()
        assert "王老汉" not in body and "王小宝" not in body, name
    body = client.get(reverse("care:institution_list")).content.decode()
    assert "阿城敬老院" not in body
