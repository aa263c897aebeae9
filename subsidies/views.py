"""Benefit pages: a member's enrollments and grants, and the parameters.

Every view fetches through ``visible_to(request.user)`` (404 outside the
user's area) and checks ``can_edit_township`` before showing or taking a
write form (403 for read-only roles such as section chiefs).  The services
do the writing; a ``ValidationError`` lands on the form.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.models import Household, Member

from . import services
from .forms import (
    DibaoHouseholdForm,
    EnrollmentEndForm,
    EnrollmentExtendForm,
    EnrollmentForm,
    EnrollmentReviewForm,
    GrantForm,
    ParameterValueForm,
)
from .models import Benefit, Enrollment
from .parameters import parameter_overview, parameter_set, params_for
from .rules.params import PARAMETER_SPECS
from .selectors import whole_household_candidates

READ_ONLY = "只读：您不能修改该户的救助/补贴记录"


# -- fetching with the area scope --------------------------------------------


def _get_rw_household(request, pk) -> Household:
    household = get_object_or_404(
        Household.objects.visible_to(request.user)
        .current()
        .select_related("township", "village"),
        pk=pk,
    )
    if not request.user.can_edit_township(household.township_id):
        raise PermissionDenied(READ_ONLY)
    return household


def _get_rw_member(request, pk) -> Member:
    member = get_object_or_404(
        Member.objects.visible_to(request.user)
        .current()
        .select_related("household__township", "household__village"),
        pk=pk,
    )
    if not request.user.can_edit_township(member.household.township_id):
        raise PermissionDenied(READ_ONLY)
    return member


def _get_rw_enrollment(request, pk) -> Enrollment:
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related(
            "benefit", "member__household__township", "member__household__village"
        ),
        pk=pk,
    )
    if not request.user.can_edit_township(enrollment.member.household.township_id):
        raise PermissionDenied(READ_ONLY)
    return enrollment


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _form_page(request, *, form, member=None, household=None, title, **extra):
    household = household or member.household
    context = {
        "form": form,
        "member": member,
        "household": household,
        "title": title,
        "submit_label": "保存",
        **extra,
    }
    return render(request, "subsidies/form_page.html", context)


# -- enrollments -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enrollment_add(request, member_pk):
    member = _get_rw_member(request, member_pk)
    form = EnrollmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrollment = services.enrollment_start(
                member=member,
                benefit=data["benefit"],
                scope=data["scope"],
                care_mode=data["care_mode"],
                status=data["status"],
                start=data["start"],
                end=data["end"],
                end_reason=data["end_reason"],
                amount=data["amount"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request,
                f"已为 {member.name} 登记{enrollment.benefit.short_name}"
                f"（{enrollment.get_status_display()}）。",
            )
            return redirect(member.household)
    return _form_page(
        request, form=form, member=member, title=f"为 {member.name} 登记救助/补贴"
    )


@require_http_methods(["GET", "POST"])
def enrollment_edit(request, pk):
    enrollment = _get_rw_enrollment(request, pk)
    member = enrollment.member
    # A bound ModelForm writes the posted values on its instance: give it a
    # copy, so the service compares against the stored values.
    form = EnrollmentForm(request.POST or None, instance=copy.copy(enrollment))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        data.pop("benefit", None)
        try:
            services.enrollment_update(
                enrollment=enrollment,
                actor=request.user,
                expected_version=version,
                **data,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, f"已保存 {member.name} 的{enrollment.benefit.short_name}记录。"
            )
            return redirect(member.household)
    return _form_page(
        request,
        form=form,
        member=member,
        enrollment=enrollment,
        title=f"修改 {member.name} 的{enrollment.benefit.short_name}记录",
    )


@require_http_methods(["GET", "POST"])
def enrollment_end(request, pk):
    enrollment = _get_rw_enrollment(request, pk)
    member = enrollment.member
    form = EnrollmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_end(
                enrollment=enrollment,
                end=form.cleaned_data["end"],
                end_reason=form.cleaned_data["end_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request,
                f"已为 {member.name} 的{enrollment.benefit.short_name}办理停保。",
            )
            return redirect(member.household)
    notes = []
    if enrollment.benefit_id == Benefit.DIBAO:
        notes.append(
            "因家庭成员就业或收入提高/改善不再符合条件的享受扶贫政策家庭，"
            "应先办理6个月延保（“延保”操作），而不是直接停保。"
        )
    return _form_page(
        request,
        form=form,
        member=member,
        enrollment=enrollment,
        title=f"{member.name} 的{enrollment.benefit.short_name}停保",
        submit_label="确认停保",
        submit_class="btn-danger",
        notes=notes,
    )


@require_http_methods(["GET", "POST"])
def enrollment_extend(request, pk):
    enrollment = _get_rw_enrollment(request, pk)
    member = enrollment.member
    if enrollment.benefit_id != Benefit.DIBAO:
        raise Http404("只有低保可以延保")
    form = EnrollmentExtendForm(request.POST or None, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            extension = services.enrollment_extend(
                enrollment=enrollment,
                review_date=form.cleaned_data["review_date"],
                end_reason=form.cleaned_data["end_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            whole = "（整户）" if enrollment.scope == Enrollment.Scope.HOUSEHOLD else ""
            messages.success(
                request,
                f"已为 {member.name}{whole}办理低保延保："
                f"{extension.start:%Y-%m-%d} 至 {extension.end:%Y-%m-%d}。",
            )
            return redirect(member.household)
    params = params_for(timezone.localdate())
    start_rule = PARAMETER_SPECS["extension_start"].choice_label(params.extension_start)
    notes = [
        f"按现行政策参数：延保 {params.extension_months} 个月，{start_rule}；"
        "原低保记录在延保开始前一日停保，复核结论记为“延保”。"
    ]
    if enrollment.scope == Enrollment.Scope.HOUSEHOLD:
        notes.append("这是整户保：同户其他成员的整户低保一并延保。")
    return _form_page(
        request,
        form=form,
        member=member,
        enrollment=enrollment,
        title=f"{member.name} 的低保延保",
        submit_label="确认延保",
        notes=notes,
    )


@require_http_methods(["GET", "POST"])
def enrollment_review(request, pk):
    enrollment = _get_rw_enrollment(request, pk)
    member = enrollment.member
    form = EnrollmentReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enrollment_review(
                enrollment=enrollment,
                review_date=data["review_date"],
                decision=data["decision"],
                end_reason=data["end_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            label = Enrollment.ReviewDecision(data["decision"]).label
            messages.success(
                request,
                f"已记录 {member.name} 的{enrollment.benefit.short_name}复核：{label}。",
            )
            return redirect(member.household)
    return _form_page(
        request,
        form=form,
        member=member,
        enrollment=enrollment,
        title=f"{member.name} 的{enrollment.benefit.short_name}复核",
        notes=[
            "“继续享受”只记录复核；“延保”按延保规则办理；"
            "“停保”在复核日期停保（已停保的记录只记录复核结论）。"
        ],
    )


# -- whole-household dibao and grants ------------------------------------------


@require_http_methods(["GET", "POST"])
def dibao_household(request, household_pk):
    household = _get_rw_household(request, household_pk)
    form = DibaoHouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.dibao_whole_household_start(
                household=household,
                start=data["start"],
                amount=data["amount"],
                status=data["status"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            names = "、".join(e.member.name for e in created)
            messages.success(
                request, f"已登记整户低保，纳入 {len(created)} 人：{names}。"
            )
            return redirect(household)
    members = whole_household_candidates(household, timezone.localdate())
    return _form_page(
        request,
        form=form,
        household=household,
        title=f"登记整户低保 · 户编号 {household.household_no}",
        preview=members,
        nobody_covered=all(reason for _member, reason, _pending in members),
        notes=[
            "整户保为本户每一位在世成员各登记一条低保记录（保障方式：整户保）；"
            "正在享受特困供养或已有低保记录的成员不重复登记。"
        ],
    )


@require_http_methods(["GET", "POST"])
def grant_add(request, member_pk):
    member = _get_rw_member(request, member_pk)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_record(
                member=member,
                date=data["date"],
                amount=data["amount"],
                grant_type=data["grant_type"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, f"已为 {member.name} 登记临时救助 {grant.amount} 元。"
            )
            return redirect(member.household)
    return _form_page(
        request, form=form, member=member, title=f"为 {member.name} 登记临时救助"
    )


# -- policy parameters (bureau admin) -----------------------------------------


def _require_admin(request) -> None:
    if not request.user.is_bureau_admin:
        raise PermissionDenied("只有县民政局管理员可以设置政策参数")


def _parameters_page(request, forms_by_name, *, open_name=None, status=200):
    today = timezone.localdate()
    rows = parameter_overview(today)
    for row in rows:
        row.form = forms_by_name.get(row.spec.name) or ParameterValueForm(
            spec=row.spec, initial={"effective_from": today}
        )
    return render(
        request,
        "subsidies/parameters.html",
        {"rows": rows, "today": today, "open_name": open_name},
        status=status,
    )


@require_GET
def parameters(request):
    _require_admin(request)
    return _parameters_page(request, {})


@require_POST
def parameter_add(request, name):
    _require_admin(request)
    spec = PARAMETER_SPECS.get(name)
    if spec is None:
        raise Http404("未知参数")
    form = ParameterValueForm(request.POST, spec=spec)
    if form.is_valid():
        try:
            parameter = parameter_set(
                name=name,
                value_text=form.value_text(),
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request,
                f"已设置“{spec.label}”：自 {parameter.effective_from:%Y-%m-%d} 起生效。"
                "已有的核查结果需重新运行规则核查后更新。",
            )
            return redirect("subsidies:parameters")
    return _parameters_page(request, {name: form}, open_name=name)
