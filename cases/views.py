"""The ledger pages: the queue, a case and its actions, and the dashboard.

Every case is fetched through ``Case.objects.visible_to(user)`` — the one
choke point: outside the user's area → 404.  Who may act is the services'
call (``PermissionDenied`` → 403); a refused transition re-renders the page
with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import AuditEvent
from accounts.services import audit_request
from checklists.models import Campaign, Policy
from subsidies.rules.catalogue import CATALOGUE

from . import selectors, services
from .forms import (
    BulkReviewForm,
    CommentForm,
    DismissForm,
    EvidenceForm,
    QueueFilterForm,
    ReturnForm,
    SubmitForm,
    VerifyForm,
)
from .models import Case, CaseEvent

PAGE_SIZE = 50
ACTION_FORMS = {
    "submit": SubmitForm,
    "verify": VerifyForm,
    "return": ReturnForm,
    "dismiss": DismissForm,
    "comment": CommentForm,
    "evidence": EvidenceForm,
}


def _visible_case(user, pk: int) -> Case:
    queryset = Case.objects.visible_to(user).select_related(
        "household__village", "household__township", "member", "campaign"
    )
    return get_object_or_404(queryset, pk=pk)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Queue -----------------------------------------------------------------


def _tabs(user) -> list[tuple[str, str]]:
    if user.is_township_staff:
        return [
            ("todo", "待整改"),
            ("due_soon", "即将到期"),
            ("overdue", "已逾期"),
            ("submitted", "已提交待核实"),
            ("all", "全部"),
        ]
    return [
        ("submitted", "待核实"),
        ("overdue", "已逾期"),
        ("todo", "待整改"),
        ("all", "全部"),
    ]


def _tab_filter(cases, tab: str, today):
    if tab == "todo":
        return cases.filter(status__in=[Case.Status.OPEN, Case.Status.RETURNED])
    if tab == "due_soon":
        return cases.due_soon(today)
    if tab == "overdue":
        return cases.overdue(today)
    if tab == "submitted":
        return cases.filter(status=Case.Status.SUBMITTED)
    return cases


def _apply_filters(cases, data: dict, today):
    if data.get("township"):
        cases = cases.filter(township=data["township"])
    if data.get("village"):
        cases = cases.filter(household__village=data["village"])
    if data.get("section"):
        cases = cases.filter(section=data["section"])
    if data.get("rule"):
        cases = cases.filter(rule=data["rule"])
    if data.get("status"):
        cases = cases.filter(status=data["status"])
    due = data.get("due")
    if due == "overdue":
        cases = cases.overdue(today)
    elif due == "due_soon":
        cases = cases.due_soon(today)
    elif due == "none":
        cases = cases.filter(due_date__isnull=True)
    return cases


@require_GET
def queue(request):
    """Township staff: their to-do; chiefs: their section's submissions."""
    user = request.user
    today = timezone.localdate()
    tabs = _tabs(user)
    tab = request.GET.get("tab")
    if tab not in dict(tabs):
        tab = tabs[0][0]
    data = request.GET.copy()
    # A chief's review tabs start on the own section; "全部" shows all.
    if user.is_section_chief and "section" not in data and tab != "all":
        data["section"] = user.section
    form = QueueFilterForm(data, user=user)
    form.is_valid()  # an invalid filter is dropped, the valid ones apply
    filters = form.cleaned_data
    cases = _apply_filters(
        _tab_filter(Case.objects.visible_to(user), tab, today), filters, today
    )
    # Sorted on the case table's own columns (townships are numbered in
    # their official order, households in import order): a sort on joined
    # columns made PostgreSQL join every open case of a township to show 50
    # (docs/operations.md, finding d).
    cases = cases.select_related("household__village", "township", "member").order_by(
        F("due_date").asc(nulls_last=True), "township_id", "household_id", "pk"
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "title": _rule_title(case.rule),
            "overdue": case.status in Case.ACTIVE_STATUSES
            and case.due_date is not None
            and case.due_date < today,
            "reviewable": tab == "submitted"
            and case.status == Case.Status.SUBMITTED
            and services.is_section_actor(user, case),
        }
        for case in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    return render(
        request,
        "cases/queue.html",
        {
            "tabs": tabs,
            "tab": tab,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "bulk": any(row["reviewable"] for row in rows),
            "bulk_form": BulkReviewForm(),
        },
    )


@require_POST
def bulk_review(request):
    """Verify or return several submitted cases, the same note on each."""
    user = request.user
    if user.is_township_staff:
        raise PermissionDenied("乡镇（街道）经办人员不能核实或退回问题")
    ids = [int(v) for v in request.POST.getlist("cases") if v.isdigit()]
    visible = {c.pk: c for c in Case.objects.visible_to(user).filter(pk__in=ids)}
    form = BulkReviewForm(request.POST, case_ids=list(visible))
    back = _safe_next(request, reverse("cases:queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    done, refused = 0, []
    for pk in form.cleaned_data["cases"]:
        case = visible[pk]
        try:
            if action == "verify":
                services.case_verify(case=case, user=user, note=note)
            else:
                services.case_return(case=case, user=user, reason=note)
        except (PermissionDenied, ValidationError) as exc:
            refused.append(f"#{pk}：{_reason(exc)}")
        else:
            done += 1
    verb = "核实销号" if action == "verify" else "退回"
    if done:
        messages.success(request, f"已{verb} {done} 件问题。")
    if refused:
        messages.warning(request, f"{len(refused)} 件未能{verb}：" + "；".join(refused))
    return redirect(back)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "没有权限"


# One case --------------------------------------------------------------


def _rule_title(code: str) -> str:
    rule = CATALOGUE.get(code)
    return rule.title if rule else code


def _detail_context(request, case: Case, bound: dict | None = None) -> dict:
    user = request.user
    actions = services.allowed_actions(user, case)
    forms = {}
    for name in actions:
        if bound and name in bound:
            forms[name] = bound[name]
        elif name == "evidence" or name == "comment":
            forms[name] = ACTION_FORMS[name]()
        else:
            forms[name] = ACTION_FORMS[name](initial={"version": case.version})
    events = case.events.select_related("actor").order_by("created_at", "pk")
    rule = CATALOGUE.get(case.rule)
    today = timezone.localdate()
    is_active = case.status in Case.ACTIVE_STATUSES
    days_left = (case.due_date - today).days if case.due_date else None
    return {
        "case": case,
        "rule": rule,
        "rule_title": rule.title if rule else case.rule,
        "events": events,
        "forms": forms,
        "read_only": not actions,
        "can_rectify": is_active and services.is_township_actor(user, case),
        "policy_label": Policy(case.policy).label
        if case.policy in Policy.values
        else "",
        "is_active": is_active,
        "overdue": is_active and days_left is not None and days_left < 0,
        "days_left": days_left,
        "overdue_days": -days_left if days_left is not None else None,
    }


@require_GET
def detail(request, pk: int):
    case = _visible_case(request.user, pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _perform(request, case: Case, name: str, perform, success: str):
    """Run one action's form and service; 400 with the page on a refusal."""
    form_class = ACTION_FORMS[name]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(case, form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, success)
            return redirect(case)
    case.refresh_from_db()
    context = _detail_context(request, case, bound={name: form})
    if name not in context["forms"]:
        # The action is no longer offered: say why above the page.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return render(request, "cases/detail.html", context, status=400)


def _version(data) -> int | None:
    return data.get("version")


def _guard(user, allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@require_POST
def submit(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(
        request.user,
        services.is_township_actor(request.user, case),
        "只有本乡镇（街道）经办人员可以提交整改",
    )
    return _perform(
        request,
        case,
        "submit",
        lambda case, data: services.case_submit(
            case=case,
            user=request.user,
            resolution=data["resolution"],
            note=data["note"],
            expected_version=_version(data),
        ),
        "已提交整改，等待责任科室核实。",
    )


@require_POST
def verify(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(
        request.user,
        services.is_section_actor(request.user, case),
        "只有该问题责任科室的负责人可以核实销号",
    )
    return _perform(
        request,
        case,
        "verify",
        lambda case, data: services.case_verify(
            case=case,
            user=request.user,
            note=data["note"],
            expected_version=_version(data),
        ),
        "已核实销号。",
    )


@require_POST
def return_case(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(
        request.user,
        services.is_section_actor(request.user, case),
        "只有该问题责任科室的负责人可以退回",
    )
    return _perform(
        request,
        case,
        "return",
        lambda case, data: services.case_return(
            case=case,
            user=request.user,
            reason=data["reason"],
            expected_version=_version(data),
        ),
        "已退回乡镇（街道）重新整改。",
    )


@require_POST
def dismiss(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(
        request.user,
        services.is_section_actor(request.user, case),
        "只有该问题责任科室的负责人可以作不适用销号",
    )
    return _perform(
        request,
        case,
        "dismiss",
        lambda case, data: services.case_dismiss(
            case=case,
            user=request.user,
            note=data["note"],
            expected_version=_version(data),
        ),
        "已按不适用销号。",
    )


def _may_annotate(user, case: Case) -> bool:
    return services.is_township_actor(user, case) or services.is_section_actor(
        user, case
    )


@require_POST
def comment(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(request.user, _may_annotate(request.user, case), "您对该问题只有查看权限")
    return _perform(
        request,
        case,
        "comment",
        lambda case, data: services.case_comment(
            case=case, user=request.user, note=data["note"]
        ),
        "已添加备注。",
    )


@require_POST
def evidence_upload(request, pk: int):
    case = _visible_case(request.user, pk)
    _guard(request.user, _may_annotate(request.user, case), "您对该问题只有查看权限")
    return _perform(
        request,
        case,
        "evidence",
        lambda case, data: services.case_add_evidence(
            case=case, user=request.user, file=data["file"], note=data["note"]
        ),
        "材料已上传。",
    )


@require_GET
def evidence_download(request, pk: int, event_id: int):
    """An evidence file, only to those who may see its case."""
    case = _visible_case(request.user, pk)
    event = get_object_or_404(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.EVIDENCE),
        pk=event_id,
    )
    if not event.file:
        raise Http404("材料不存在")
    try:
        handle = event.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("材料文件已丢失") from exc
    content_type = services.evidence_content_type(event.file.name)
    audit_request(
        request,
        action=AuditEvent.Action.EVIDENCE_DOWNLOAD,
        target=f"问题#{case.pk} 的材料“{event.file_name or '材料'}”",
        target_url=case.get_absolute_url(),
        township=case.township,
    )
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=event.file_name or None,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# Dashboard -------------------------------------------------------------


@require_GET
def dashboard(request):
    """Landing page after login: the user's scope at a glance."""
    user = request.user
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    context = selectors.cached_dashboard(user, today=today, campaign=campaign)
    context.update({"campaign": campaign, "today": today})
    return render(request, "dashboard.html", context)
