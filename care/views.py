"""Care pages: work points 四 to 九.

Every view fetches through ``visible_to(request.user)`` (404 outside the
user's area; children's records 404 for everyone but their township's
staff, 社会事务科 chiefs and the admin) and checks ``can_edit_township``
before showing or taking a write form (403 for read-only roles such as
section chiefs).  The services do the writing; a ``ValidationError`` lands
on the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.imports.connection import (
    CONNECTION_ERRORS,
    CONNECTION_LOST,
    connection_lost,
)
from households.models import Member, Township, Village

from . import services
from .forms import (
    CharityDriveForm,
    ChildFilterForm,
    ChildForm,
    DirectorForm,
    ElderlyFilterForm,
    ElderlyForm,
    ImportForm,
    InstitutionForm,
    OrganizationForm,
    RemoveForm,
    ResidentForm,
    SupervisorForm,
    VillageWorkPointForm,
    VisitForm,
)
from .imports.rosters import CHILDREN, ELDERLY, KINDS
from .imports.service import care_roster_import
from .imports.template import roster_template
from .models import (
    CareImportBatch,
    CharityDrive,
    Child,
    ChildDirector,
    ChildSupervisor,
    ElderlyPerson,
    Institution,
    InstitutionResident,
    SocialOrganization,
    VillageWorkPoint,
    sees_children,
)
from .selectors import (
    attach_visit_status,
    candidate_reasons,
    care_params,
    centralized_candidates,
    work_point_tracker,
    workforce,
)

PAGE_SIZE = 30
DUE_SOON_DAYS = 7
# The queue is a working list: beyond this, filter the register instead.
DUE_LIST_LIMIT = 500
READ_ONLY = "只读：您不能修改该乡镇（街道）的关爱服务数据"


# -- fetching with the area scope --------------------------------------------


def _check_write(request, township_id) -> None:
    if not request.user.can_edit_township(township_id):
        raise PermissionDenied(READ_ONLY)


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _township_for_new(request) -> Township | None:
    """The township a new record goes into: staff their own, the admin picks."""
    user = request.user
    if user.is_township_staff:
        return user.township
    if not user.is_bureau_admin:
        raise PermissionDenied(READ_ONLY)
    pk = request.GET.get("township") or request.POST.get("township")
    if pk and str(pk).isdigit():
        return get_object_or_404(Township, pk=pk)
    return None


def _pick_township(request, *, title: str):
    townships = Township.objects.order_by("order")
    return render(
        request,
        "care/pick_township.html",
        {"townships": townships, "title": title, "path": request.path},
    )


def _get_township(request, pk, *, write=False) -> Township:
    township = get_object_or_404(Township.objects.visible_to(request.user), pk=pk)
    if write:
        _check_write(request, township.pk)
    return township


def _get_village(request, pk, *, write=False) -> Village:
    village = get_object_or_404(
        Village.objects.visible_to(request.user).select_related("township"), pk=pk
    )
    if write:
        _check_write(request, village.township_id)
    return village


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _can_create(user) -> bool:
    return user.is_township_staff or user.is_bureau_admin


# -- the work-point tracker ----------------------------------------------------


@require_GET
def tracker(request):
    """The nine work points and, per township, the indicators of 四 to 九."""
    today = timezone.localdate()
    tracker = work_point_tracker(as_of=today, user=request.user)
    return render(request, "care/tracker.html", {"tracker": tracker, "today": today})


# -- the two registers: left-behind elderly people and children -----------------
#
# The elderly register (四) and the children's register (五) work alike: a
# filtered list, a register form, a detail page, an edit form, removal from
# the register and the visit log.  A ``_Register`` holds what differs; the
# ``_register_*`` views below do the work once for both.

NO_CONTACT = Q(contact_name="") | Q(contact_phone="")
NO_GUARDIAN = Q(guardian_name="") | Q(guardian_phone="")


@dataclass(frozen=True)
class _Register:
    """What differs between the elderly and the children's register."""

    # The record's keyword in the services and in the detail page's context.
    key: str
    model: type
    form: type
    filter_form: type
    # Prefix of the URL names (``care:<prefix>_list``) and the templates.
    prefix: str
    list_label: str
    # The title of the register form and of its township picker.
    create_title: str
    # 探访 or 巡查探访: the word for a visit in titles and messages.
    visit_word: str
    # The register's name in the removal message: 已将 X 移出<ledger>。
    ledger: str
    removed_error: str
    # Extra list filters by status and extra counts of the current people.
    status_filters: dict
    count_filters: dict
    register: Callable
    update: Callable
    remove: Callable
    record_visit: Callable
    created_message: Callable
    # The elderly register has service items (关爱服务内容); children not.
    has_services: bool = False
    # Only township staff, 社会事务科 chiefs and the admin see children.
    children_only: bool = False
    # The edit form's breadcrumb leads to the list (else back to the record).
    edit_crumb_to_list: bool = False

    def list_url(self) -> str:
        """The register's list page."""
        return reverse(f"care:{self.prefix}_list")


def _elderly_created(person) -> str:
    """The message after registering an elderly person."""
    linked = "，已关联建档立卡户成员" if person.member_id else ""
    return f"已登记留守老年人 {person.name}{linked}。"


def _child_created(child) -> str:
    """The message after registering a child."""
    return f"已登记 {child.name}（{child.category_label}）。"


ELDERLY_REGISTER = _Register(
    key="person",
    model=ElderlyPerson,
    form=ElderlyForm,
    filter_form=ElderlyFilterForm,
    prefix="elderly",
    list_label="留守老年人",
    create_title="登记留守老年人",
    visit_word="探访",
    ledger="留守老年人台账",
    removed_error="此人已移出台账，不能再修改",
    status_filters={"no_contact": NO_CONTACT, "no_helper": Q(helper_name="")},
    count_filters={"no_contact": NO_CONTACT},
    register=services.elderly_register,
    update=services.elderly_update,
    remove=services.elderly_remove,
    record_visit=services.elderly_visit_record,
    created_message=_elderly_created,
    has_services=True,
)

CHILD_REGISTER = _Register(
    key="child",
    model=Child,
    form=ChildForm,
    filter_form=ChildFilterForm,
    prefix="child",
    list_label="儿童关爱",
    create_title="登记留守儿童、困境儿童",
    visit_word="巡查探访",
    ledger="儿童台账",
    removed_error="该儿童已移出台账，不能再修改",
    status_filters={"no_guardian": NO_GUARDIAN},
    count_filters={
        "left_behind": Q(category="left_behind"),
        "in_difficulty": Q(category="in_difficulty"),
    },
    register=services.child_register,
    update=services.child_update,
    remove=services.child_remove,
    record_visit=services.child_visit_record,
    created_message=_child_created,
    children_only=True,
    edit_crumb_to_list=True,
)


def _check_sees_children(request) -> None:
    if not sees_children(request.user):
        raise Http404("没有找到该页面")


def _check_sees_register(request, register: _Register) -> None:
    """404 on the children's list and form for those who may not see them."""
    if register.children_only:
        _check_sees_children(request)


def _get_record(request, register: _Register, pk, *, write=False):
    """The record in the user's area; for writing, editable and not removed."""
    record = get_object_or_404(
        register.model.objects.visible_to(request.user).select_related(
            "township", "village", "member__household"
        ),
        pk=pk,
    )
    if write:
        _check_write(request, record.township_id)
        if record.removed:
            raise PermissionDenied(register.removed_error)
    return record


def _register_list(request, register: _Register):
    """The register, filtered by the form and status, with the counts."""
    _check_sees_register(request, register)
    user = request.user
    today = timezone.localdate()
    params = care_params(today)
    form = register.filter_form(request.GET or None, user=user)
    scope = register.model.objects.visible_to(user)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "")
    people = form.apply(scope.filter(removed=status == "removed"))
    if data.get("category"):
        people = people.filter(category=data["category"])
    people = people.with_last_visit(today)
    if status == "overdue":
        people = people.filter(visit_anchor__lt=params.overdue_cutoff)
    elif status in register.status_filters:
        people = people.filter(register.status_filters[status])
    people = people.select_related("township", "village").order_by(
        "township__order", "village__name", "name", "pk"
    )
    page, query = _page(request, people)
    counts = (
        scope.current()
        .with_last_visit(today)
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(visit_anchor__lt=params.overdue_cutoff)),
            **{
                name: Count("pk", filter=condition)
                for name, condition in register.count_filters.items()
            },
        )
    )
    return render(
        request,
        f"care/{register.prefix}_list.html",
        {
            "form": form,
            "page": page,
            "rows": attach_visit_status(page.object_list, params),
            "query": query,
            "counts": counts,
            "params": params,
            "can_create": _can_create(user),
            "filtered": bool(request.GET),
        },
    )


def _register_create(request, register: _Register):
    """The form that puts a new person on the register."""
    _check_sees_register(request, register)
    township = _township_for_new(request)
    if township is None:
        return _pick_township(request, title=register.create_title)
    form = register.form(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"services": data["services"]} if register.has_services else {}
        try:
            record = register.register(
                name=data["name"],
                id_number=data["id_number"],
                actor=request.user,
                **extra,
                **form.service_values(),
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, register.created_message(record))
            return redirect(record)
    return render(
        request,
        "care/person_form.html",
        {
            "form": form,
            "township": township,
            "title": register.create_title,
            "back": register.list_url(),
            "list_label": register.list_label,
            "list_url": register.list_url(),
        },
    )


def _register_detail(request, register: _Register, pk):
    """One person's page: the facts, the visit status and the visit log."""
    record = _get_record(request, register, pk)
    today = timezone.localdate()
    params = care_params(today)
    with_visit = attach_visit_status(
        register.model.objects.filter(pk=record.pk).with_last_visit(today), params
    )[0]
    context = {
        register.key: record,
        "age": with_visit.age,
        "visit": with_visit.visit,
        "visits": list(record.visits.select_related("recorded_by")),
        "params": params,
        "can_edit": request.user.can_edit_township(record.township_id)
        and not record.removed,
        "remove_form": RemoveForm(),
    }
    if register.has_services:
        context["services"] = list(record.services.all())
    return render(request, f"care/{register.prefix}_detail.html", context)


def _register_edit(request, register: _Register, pk):
    """The form that corrects a person's facts."""
    record = _get_record(request, register, pk, write=True)
    initial = (
        {"services": list(record.services.all())} if register.has_services else None
    )
    form = register.form(
        request.POST or None,
        instance=register.model.objects.get(pk=record.pk),
        township=record.township,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"services": data["services"]} if register.has_services else {}
        try:
            changed = register.update(
                **{register.key: record},
                actor=request.user,
                expected_version=data.get("version"),
                **extra,
                **form.service_values(),
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            if changed:
                messages.success(request, f"已保存 {record.name} 的信息。")
            else:
                messages.info(request, "没有修改任何内容。")
            return redirect(record)
    crumb = {"list_url": register.list_url()} if register.edit_crumb_to_list else {}
    return render(
        request,
        "care/person_form.html",
        {
            "form": form,
            "township": record.township,
            "person": record,
            "title": f"编辑 {record.name}",
            "back": record.get_absolute_url(),
            "list_label": register.list_label,
            **crumb,
        },
    )


def _register_remove(request, register: _Register, pk):
    """Take a person off the register, with the reason."""
    record = _get_record(request, register, pk, write=True)
    form = RemoveForm(request.POST)
    if form.is_valid():
        register.remove(
            **{register.key: record},
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, f"已将 {record.name} 移出{register.ledger}。")
    else:
        messages.error(request, "请填写移出台账的原因。")
    return redirect(record)


def _register_visit_add(request, register: _Register, pk):
    """The form that records a visit to a person."""
    record = _get_record(request, register, pk, write=True)
    form = VisitForm(request.POST or None, user=request.user)
    word = register.visit_word
    if request.method == "POST" and form.is_valid():
        try:
            register.record_visit(
                **{register.key: record}, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已登记对 {record.name} 的{word}。")
            return redirect(record)
    return render(
        request,
        "care/visit_form.html",
        {
            "form": form,
            "person": record,
            "title": f"登记{word}：{record.name}",
            "list_url": register.list_url(),
            "list_label": register.list_label,
        },
    )


# -- left-behind elderly people ------------------------------------------------


@require_GET
def elderly_list(request):
    """The 留守老年人 register."""
    return _register_list(request, ELDERLY_REGISTER)


@require_http_methods(["GET", "POST"])
def elderly_create(request):
    """Register a left-behind elderly person."""
    return _register_create(request, ELDERLY_REGISTER)


@require_GET
def elderly_detail(request, pk):
    """An elderly person's page."""
    return _register_detail(request, ELDERLY_REGISTER, pk)


@require_http_methods(["GET", "POST"])
def elderly_edit(request, pk):
    """Edit an elderly person's facts and service items."""
    return _register_edit(request, ELDERLY_REGISTER, pk)


@require_POST
def elderly_remove(request, pk):
    """Take an elderly person off the register."""
    return _register_remove(request, ELDERLY_REGISTER, pk)


@require_http_methods(["GET", "POST"])
def elderly_visit_add(request, pk):
    """Record a visit (探访) to an elderly person."""
    return _register_visit_add(request, ELDERLY_REGISTER, pk)


# -- overdue visits (the township's queue) and candidates ---------------------


@require_GET
def visits_due(request):
    """Overdue and soon-due visits in the user's scope."""
    user = request.user
    today = timezone.localdate()
    params = care_params(today)
    soon = params.overdue_cutoff + datetime.timedelta(days=DUE_SOON_DAYS)

    def due(queryset):
        rows = (
            queryset.current()
            .filter(registered_on__lte=today)
            .with_last_visit(today)
            .filter(visit_anchor__lte=soon)
            .select_related("township", "village")
            .order_by("visit_anchor", "pk")
        )
        return attach_visit_status(rows[:DUE_LIST_LIMIT], params)

    elderly = due(ElderlyPerson.objects.visible_to(user))
    children = due(Child.objects.visible_to(user)) if sees_children(user) else None
    return render(
        request,
        "care/visits_due.html",
        {
            "elderly": elderly,
            "children": children,
            "params": params,
            "soon_days": DUE_SOON_DAYS,
            "limit": DUE_LIST_LIMIT,
            "can_edit": _can_create(user),
        },
    )


@require_GET
def candidates(request):
    """Members suggested for voluntary centralized care (work point 四)."""
    user = request.user
    today = timezone.localdate()
    params = care_params(today)
    members = Member.objects.visible_to(user)
    township = None
    if not user.is_township_staff and str(request.GET.get("township", "")).isdigit():
        township = Township.objects.filter(pk=request.GET["township"]).first()
        if township is not None:
            members = members.filter(household__township=township)
    willing = request.GET.get("willing", "")
    found = centralized_candidates(members, params)
    if willing in ("yes", "no", "unknown"):
        found = found.filter(willing_centralized=willing)
    found = found.select_related("household__township", "household__village").order_by(
        "household__township__order", "household__village__name", "name", "pk"
    )
    page, query = _page(request, found)
    rows = list(page.object_list)
    for member in rows:
        member.reasons = candidate_reasons(member, params)
        member.age = member.age_on(today)
    return render(
        request,
        "care/candidates.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "params": params,
            "township": township,
            "townships": None
            if user.is_township_staff
            else Township.objects.order_by("order"),
            "willing": willing,
        },
    )


# -- children -------------------------------------------------------------------


@require_GET
def child_list(request):
    """The register of left-behind children and children in difficulty."""
    return _register_list(request, CHILD_REGISTER)


@require_http_methods(["GET", "POST"])
def child_create(request):
    """Register a left-behind child or a child in difficulty."""
    return _register_create(request, CHILD_REGISTER)


@require_GET
def child_detail(request, pk):
    """A child's page."""
    return _register_detail(request, CHILD_REGISTER, pk)


@require_http_methods(["GET", "POST"])
def child_edit(request, pk):
    """Edit a child's facts."""
    return _register_edit(request, CHILD_REGISTER, pk)


@require_POST
def child_remove(request, pk):
    """Take a child off the register."""
    return _register_remove(request, CHILD_REGISTER, pk)


@require_http_methods(["GET", "POST"])
def child_visit_add(request, pk):
    """Record an inspection visit (巡查探访) to a child."""
    return _register_visit_add(request, CHILD_REGISTER, pk)


# -- child supervisors and directors ------------------------------------------------


@require_GET
def workforce_view(request):
    user = request.user
    township = None
    if user.is_township_staff:
        township = user.township
    elif str(request.GET.get("township", "")).isdigit():
        township = get_object_or_404(Township, pk=request.GET["township"])
    rows = workforce(user, township)
    return render(
        request,
        "care/workforce.html",
        {
            "rows": rows,
            "township": township,
            "detail": township is not None,
            "can_edit": township is not None and user.can_edit_township(township.pk),
            "missing_supervisors": sum(1 for row in rows if not row.has_supervisor),
            "missing_directors": sum(
                len(row.villages_without_director) for row in rows
            ),
        },
    )


def _workforce_url(township_id) -> str:
    return f"{reverse('care:workforce')}?township={township_id}"


@require_http_methods(["GET", "POST"])
def supervisor_add(request, pk):
    township = _get_township(request, pk, write=True)
    form = SupervisorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supervisor = services.child_supervisor_add(
                township=township, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已登记儿童督导员 {supervisor.name}。")
            return redirect(_workforce_url(township.pk))
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"登记儿童督导员：{township.name}",
            "back": _workforce_url(township.pk),
            "crumbs": [("督导员与儿童主任", _workforce_url(township.pk))],
        },
    )


@require_POST
def supervisor_retire(request, pk):
    supervisor = get_object_or_404(
        ChildSupervisor.objects.visible_to(request.user), pk=pk
    )
    _check_write(request, supervisor.township_id)
    services.child_supervisor_retire(supervisor=supervisor, actor=request.user)
    messages.success(request, f"{supervisor.name} 已标记为不在岗。")
    return redirect(_workforce_url(supervisor.township_id))


@require_http_methods(["GET", "POST"])
def director_set(request, pk):
    village = _get_village(request, pk, write=True)
    current = ChildDirector.objects.filter(village=village).first()
    form = DirectorForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            director = services.child_director_set(
                village=village, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, f"已登记{village.name}的儿童主任 {director.name}。"
            )
            return redirect(_workforce_url(village.township_id))
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"{village.name} · 儿童主任",
            "back": _workforce_url(village.township_id),
            "crumbs": [("督导员与儿童主任", _workforce_url(village.township_id))],
            "clear_url": reverse("care:director_clear", args=[village.pk])
            if current
            else None,
        },
    )


@require_POST
def director_clear(request, pk):
    village = _get_village(request, pk, write=True)
    services.child_director_clear(village=village, actor=request.user)
    messages.success(request, f"已将{village.name}标记为未配备儿童主任。")
    return redirect(_workforce_url(village.township_id))


# -- institutions -------------------------------------------------------------------


@require_GET
def institution_list(request):
    user = request.user
    institutions = Institution.objects.visible_to(user).select_related(
        "township", "village"
    )
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    township_id = request.GET.get("township", "")
    if kind in Institution.Kind.values:
        institutions = institutions.filter(kind=kind)
    if status in Institution.Status.values:
        institutions = institutions.filter(status=status)
    if not user.is_township_staff and township_id.isdigit():
        institutions = institutions.filter(township_id=int(township_id))
    institutions = institutions.annotate(linked=Count("tekun_residents")).order_by(
        "township__order", "kind", "name"
    )
    page, query = _page(request, institutions)
    return render(
        request,
        "care/institution_list.html",
        {
            "page": page,
            "query": query,
            "kinds": Institution.Kind.choices,
            "statuses": Institution.Status.choices,
            "kind": kind,
            "status": status,
            "township_id": township_id,
            "townships": None
            if user.is_township_staff
            else Township.objects.order_by("order"),
            "can_create": _can_create(user),
        },
    )


@require_http_methods(["GET", "POST"])
def institution_create(request):
    township = _township_for_new(request)
    if township is None:
        return _pick_township(request, title="登记养老服务机构")
    form = InstitutionForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(
                township=township, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已登记 {institution.name}。")
            return redirect(institution)
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"登记养老服务机构：{township.name}",
            "back": reverse("care:institution_list"),
            "crumbs": [("养老机构", reverse("care:institution_list"))],
            "township": township,
        },
    )


def _unplaced_tekun(institution: Institution):
    today = timezone.localdate()
    centralized = services.centralized_tekun(today).values("member_id")
    return (
        Member.objects.current()
        .filter(
            deceased=False,
            household__removed=False,
            household__township_id=institution.township_id,
            pk__in=centralized,
        )
        .exclude(pk__in=InstitutionResident.objects.values("member_id"))
        .select_related("household__village")
        .order_by("name")
    )


@require_GET
def institution_detail(request, pk):
    institution = get_object_or_404(
        Institution.objects.visible_to(request.user).select_related(
            "township", "village"
        ),
        pk=pk,
    )
    residents = list(
        institution.tekun_residents.select_related(
            "member__household__village"
        ).order_by("member__name")
    )
    can_edit = request.user.can_edit_township(institution.township_id)
    form = None
    if can_edit and institution.status == Institution.Status.OPERATING:
        form = ResidentForm(candidates=_unplaced_tekun(institution))
    return render(
        request,
        "care/institution_detail.html",
        {
            "institution": institution,
            "residents": residents,
            "can_edit": can_edit,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def institution_edit(request, pk):
    institution = get_object_or_404(
        Institution.objects.visible_to(request.user).select_related("township"), pk=pk
    )
    _check_write(request, institution.township_id)
    form = InstitutionForm(
        request.POST or None,
        instance=Institution.objects.get(pk=institution.pk),
        township=institution.township,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已保存 {institution.name}。")
            return redirect(institution)
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"编辑 {institution.name}",
            "back": institution.get_absolute_url(),
            "crumbs": [
                ("养老机构", reverse("care:institution_list")),
                (institution.name, institution.get_absolute_url()),
            ],
        },
    )


@require_POST
def resident_add(request, pk):
    institution = get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)
    _check_write(request, institution.township_id)
    form = ResidentForm(request.POST, candidates=_unplaced_tekun(institution))
    if form.is_valid():
        try:
            resident = services.institution_resident_add(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记 {resident.member.name} 入住本机构。")
    else:
        messages.error(request, "请选择要登记的集中供养特困人员。")
    return redirect(institution)


@require_POST
def resident_remove(request, pk):
    resident = get_object_or_404(
        InstitutionResident.objects.visible_to(request.user).select_related(
            "institution", "member"
        ),
        pk=pk,
    )
    _check_write(request, resident.institution.township_id)
    services.institution_resident_remove(resident=resident, actor=request.user)
    messages.success(request, f"已取消 {resident.member.name} 在本机构的登记。")
    return redirect(resident.institution)


# -- village work points (八, 九) ---------------------------------------------------


@require_GET
def village_points(request):
    user = request.user
    villages = Village.objects.visible_to(user).select_related("township", "work_point")
    township = None
    if user.is_township_staff:
        township = user.township
    elif str(request.GET.get("township", "")).isdigit():
        township = get_object_or_404(Township, pk=request.GET["township"])
        villages = villages.filter(township=township)
    flag = request.GET.get("flag", "")
    if flag == "no_council":
        villages = villages.exclude(work_point__council_established=True)
    elif flag == "no_rules":
        villages = villages.exclude(work_point__rules_in_place=True)
    elif flag == "no_disclosure":
        villages = villages.exclude(work_point__disclosure_in_place=True)
    villages = villages.order_by("township__order", "name")
    page, query = _page(request, villages)
    rows = list(page.object_list)
    for village in rows:
        village.point = getattr(village, "work_point", None)
    return render(
        request,
        "care/village_points.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "township": township,
            "flag": flag,
            "townships": None
            if user.is_township_staff
            else Township.objects.order_by("order"),
        },
    )


@require_http_methods(["GET", "POST"])
def village_point_edit(request, pk):
    village = _get_village(request, pk, write=True)
    current = VillageWorkPoint.objects.filter(village=village).first()
    form = VillageWorkPointForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.village_work_point_set(
                village=village, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已保存{village.name}的村级工作情况。")
            return redirect(
                f"{reverse('care:village_points')}?township={village.township_id}"
            )
    back = f"{reverse('care:village_points')}?township={village.township_id}"
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"{village.township.name} {village.name} · 村级工作",
            "back": back,
            "crumbs": [("村级工作", back)],
        },
    )


# -- charity and social organisations (七) --------------------------------------------


@require_GET
def social(request):
    user = request.user
    townships = Township.objects.visible_to(user).order_by("order")
    township = None
    if user.is_township_staff:
        township = user.township
    elif str(request.GET.get("township", "")).isdigit():
        township = get_object_or_404(Township, pk=request.GET["township"])
        townships = townships.filter(pk=township.pk)
    year = timezone.localdate().year
    drives = CharityDrive.objects.filter(township__in=townships).order_by(
        "township__order", "-year"
    )
    organizations = (
        SocialOrganization.objects.filter(township__in=townships)
        .select_related("township")
        .order_by("township__order", "-active", "name")
    )
    by_township = {
        t.pk: {"township": t, "drives": [], "organizations": []} for t in townships
    }
    for drive in drives:
        by_township[drive.township_id]["drives"].append(drive)
    for organization in organizations:
        by_township[organization.township_id]["organizations"].append(organization)
    rows = list(by_township.values())
    for row in rows:
        row["this_year"] = next((d for d in row["drives"] if d.year == year), None)
        row["can_edit"] = user.can_edit_township(row["township"].pk)
    return render(
        request,
        "care/social.html",
        {
            "rows": rows,
            "year": year,
            "township": township,
            "detail": township is not None,
            "all_townships": None
            if user.is_township_staff
            else Township.objects.order_by("order"),
            "year_total": sum(
                (row["this_year"].amount for row in rows if row["this_year"]), 0
            ),
            "active_organizations": sum(1 for o in organizations if o.active),
        },
    )


def _social_url(township_id) -> str:
    return f"{reverse('care:social')}?township={township_id}"


@require_http_methods(["GET", "POST"])
def charity_set(request, pk):
    township = _get_township(request, pk, write=True)
    year = request.GET.get("year", "")
    current = None
    if year.isdigit():
        current = CharityDrive.objects.filter(township=township, year=int(year)).first()
    initial = (
        {
            "year": current.year,
            "amount": current.amount,
            "donors": current.donors,
            "note": current.note,
        }
        if current
        else None
    )
    form = CharityDriveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            drive = services.charity_drive_set(
                township=township, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, f"已保存{township.name}{drive.year}年慈心一日捐。"
            )
            return redirect(_social_url(township.pk))
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"慈心一日捐：{township.name}",
            "back": _social_url(township.pk),
            "crumbs": [("慈善与社会组织", _social_url(township.pk))],
            "help": "同一年度再次保存会更正该年度的金额。",
        },
    )


@require_http_methods(["GET", "POST"])
def organization_create(request, pk):
    township = _get_township(request, pk, write=True)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.social_organization_create(
                township=township, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已登记社会组织 {organization.name}。")
            return redirect(_social_url(township.pk))
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"登记参与扶贫的社会组织：{township.name}",
            "back": _social_url(township.pk),
            "crumbs": [("慈善与社会组织", _social_url(township.pk))],
        },
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = get_object_or_404(
        SocialOrganization.objects.visible_to(request.user), pk=pk
    )
    _check_write(request, organization.township_id)
    form = OrganizationForm(
        request.POST or None,
        instance=SocialOrganization.objects.get(pk=organization.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.social_organization_update(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已保存 {organization.name}。")
            return redirect(_social_url(organization.township_id))
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": f"编辑 {organization.name}",
            "back": _social_url(organization.township_id),
            "crumbs": [("慈善与社会组织", _social_url(organization.township_id))],
        },
    )


# -- roster imports -----------------------------------------------------------------


def _check_may_import(request) -> None:
    if not _can_create(request.user):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")


def _kinds_for(user) -> list:
    kinds = [KINDS[ELDERLY]]
    if sees_children(user):
        kinds.append(KINDS[CHILDREN])
    return kinds


def _kind(request, kind: str):
    if kind not in KINDS or (kind == CHILDREN and not sees_children(request.user)):
        raise Http404("没有这种名册")
    return KINDS[kind]


@require_GET
def import_list(request):
    _check_may_import(request)
    batches = CareImportBatch.objects.visible_to(request.user).select_related(
        "township", "uploaded_by"
    )
    page, query = _page(request, batches)
    return render(
        request,
        "care/import_list.html",
        {"page": page, "query": query, "kinds": _kinds_for(request.user)},
    )


@require_GET
def import_template(request, kind):
    spec = _kind(request, kind)
    response = HttpResponse(
        roster_template(spec),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = quote(f"{spec.label}模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    _check_may_import(request)
    spec = _kind(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        township = (
            request.user.township
            if request.user.is_township_staff
            else form.cleaned_data.get("township")
        )
        batch = CareImportBatch(
            kind=kind,
            township=township,
            uploaded_by=request.user,
            original_name=upload.name[:255],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        # The dry run first, the batch (file, summary, status) in one
        # INSERT after it: a connection lost on the way leaves no batch.
        try:
            result = care_roster_import(
                kind=kind,
                source=upload,
                name=batch.original_name,
                township=township,
                actor=request.user,
                dry_run=True,
                skip_invalid=batch.skip_invalid,
            )
            batch.summary = _summary(result)
            if result.exit_status:
                batch.status = CareImportBatch.Status.REJECTED
            batch.file.save(upload.name, upload, save=False)
            batch.save()
        except CONNECTION_ERRORS as exc:
            connection_lost(exc, what=f"care {kind} upload")
            if batch.file:
                batch.file.delete(save=False)
            messages.error(request, CONNECTION_LOST)
            return redirect("care:import_upload", kind=kind)
        return redirect("care:import_detail", pk=batch.pk)
    return render(
        request,
        "care/import_upload.html",
        {"form": form, "spec": spec, "kind": kind},
    )


def _summary(result) -> dict:
    """What the preview page shows: the JSON plus the planned changes."""
    summary = result.as_json()
    summary["counts"] = result.counts.as_dict()
    summary["file_error"] = result.file_error
    summary["changes"] = [
        {
            "sheet": change.sheet,
            "row": change.row,
            "name": change.name,
            "masked_id": change.masked_id,
            "village": change.village,
            "outcome": change.outcome,
            "linked": change.linked,
            "fields": list(change.fields),
        }
        for change in result.changes[:1000]
    ]
    summary["changes_total"] = len(result.changes)
    return summary


def _get_batch(request, pk) -> CareImportBatch:
    _check_may_import(request)
    batch = get_object_or_404(
        CareImportBatch.objects.visible_to(request.user).select_related(
            "township", "uploaded_by"
        ),
        pk=pk,
    )
    if batch.township_id is not None:
        _check_write(request, batch.township_id)
    return batch


@require_GET
def import_detail(request, pk):
    batch = _get_batch(request, pk)
    summary = batch.summary or {}
    counts = summary.get("counts") or summary.get(batch.kind) or {}
    return render(
        request,
        "care/import_detail.html",
        {
            "batch": batch,
            "summary": summary,
            "counts": counts,
            "spec": KINDS[batch.kind],
            "can_confirm": batch.status == CareImportBatch.Status.PREVIEWED,
        },
    )


@require_POST
def import_confirm(request, pk):
    batch = _get_batch(request, pk)
    if batch.status != CareImportBatch.Status.PREVIEWED:
        messages.error(request, "该批次已处理，不能再次导入。")
        return redirect("care:import_detail", pk=batch.pk)
    try:
        result = care_roster_import(
            kind=batch.kind,
            source=batch.file.path,
            name=batch.original_name,
            township=batch.township,
            actor=request.user,
            skip_invalid=batch.skip_invalid,
            batch=batch,
        )
    except CONNECTION_ERRORS as exc:
        # The service writes in one transaction, the batch's own status
        # included: rolled back, the batch is still previewed in the
        # database (whatever the service set on this copy): confirm again.
        connection_lost(exc, what=f"care {batch.kind} batch {batch.pk} confirm")
        messages.error(request, CONNECTION_LOST)
        return redirect("care:import_detail", pk=batch.pk)
    if result.written:
        batch.summary = {**_summary(result), "written": True}
        batch.save(update_fields=["summary"])
        counts = result.counts
        messages.success(
            request,
            f"已导入：新增 {counts.created} 人，更新 {counts.updated} 人，"
            f"无变化 {counts.unchanged} 人，跳过 {counts.skipped} 人。",
        )
    else:
        batch.summary = _summary(result)
        batch.status = CareImportBatch.Status.REJECTED
        batch.save(update_fields=["summary", "status"])
        messages.error(request, "文件中有错误，未导入任何数据。请改正后重新上传。")
    return redirect("care:import_detail", pk=batch.pk)


@require_POST
def import_cancel(request, pk):
    batch = _get_batch(request, pk)
    if batch.status == CareImportBatch.Status.PREVIEWED:
        batch.status = CareImportBatch.Status.CANCELLED
        batch.save(update_fields=["status"])
        messages.info(request, "已取消本次导入。")
    return redirect("care:import_list")
