"""Self-inspection pages: campaigns, inspection progress, household checks.

Households are fetched through ``Household.objects.visible_to(user)``:
outside the user's area → 404.  Campaigns are the admin's (403 otherwise).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.choices import Relation
from households.models import Household, Member, Township, Village
from subsidies.models import Enrollment

from . import services
from .forms import CampaignForm, ConfirmCheckForm
from .models import (
    Campaign,
    HouseholdCheck,
    HouseholdEvaluation,
    Outcome,
    Policy,
    PolicyOutcome,
)
from .selectors import inspection_progress, progress_total

PAGE_SIZE = 50
OUTCOME_LABELS = dict(Outcome.choices)


def admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_bureau_admin:
            raise PermissionDenied("只有县民政局管理员可以设置自查整改活动")
        return view(request, *args, **kwargs)

    return wrapper


# Campaigns -------------------------------------------------------------


@require_GET
@admin_required
def campaigns(request):
    return render(
        request,
        "checklists/campaigns.html",
        {"campaigns": Campaign.objects.all()},
    )


def _campaign_form_page(request, campaign: Campaign | None):
    initial = {}
    if campaign is not None:
        initial = {
            "name": campaign.name,
            "inspection_start": campaign.inspection_start,
            "inspection_end": campaign.inspection_end,
            "due_date": campaign.due_date,
            "report_due": campaign.report_due,
            "is_current": campaign.is_current,
        }
    else:
        initial = {"is_current": not Campaign.objects.filter(is_current=True).exists()}
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campaign_save(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已保存自查整改活动“{saved.name}”。")
            return redirect("checklists:campaigns")
    return render(
        request,
        "checklists/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def campaign_add(request):
    return _campaign_form_page(request, None)


@require_http_methods(["GET", "POST"])
@admin_required
def campaign_edit(request, pk: int):
    return _campaign_form_page(request, get_object_or_404(Campaign, pk=pk))


@require_POST
@admin_required
def campaign_make_current(request, pk: int):
    campaign = services.campaign_set_current(
        campaign=get_object_or_404(Campaign, pk=pk)
    )
    messages.success(request, f"“{campaign.name}”已设为当前自查整改活动。")
    return redirect("checklists:campaigns")


# Inspection progress ---------------------------------------------------


def _head_name():
    return Subquery(
        Member.objects.filter(
            household=OuterRef("pk"), relation=Relation.HEAD, removed=False
        ).values("name")[:1]
    )


@require_GET
def progress(request):
    """Inspected / total households: per township, per village, per household."""
    user = request.user
    campaign = Campaign.objects.current()
    township = village = None
    if user.is_township_staff:
        township = user.township
    elif request.GET.get("township", "").isdigit():
        township = get_object_or_404(
            Township.objects.visible_to(user), pk=request.GET["township"]
        )
    if township is not None and request.GET.get("village", "").isdigit():
        village = get_object_or_404(
            Village.objects.visible_to(user).filter(township=township),
            pk=request.GET["village"],
        )
    context = {"campaign": campaign, "township": township, "village": village}
    if village is not None:
        households = (
            Household.objects.visible_to(user)
            .current()
            .filter(village=village)
            .annotate(head_name=_head_name())
            .prefetch_related(
                Prefetch(
                    "checks",
                    queryset=HouseholdCheck.objects.filter(
                        campaign=campaign
                    ).select_related("inspected_by"),
                    to_attr="campaign_checks",
                )
            )
            .order_by("household_no")
        )
        page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            {
                "household": household,
                "check": household.campaign_checks[0]
                if household.campaign_checks
                else None,
            }
            for household in page.object_list
        ]
        context["query"] = f"township={township.pk}&village={village.pk}"
    else:
        rows = inspection_progress(
            user, campaign, township_id=township.pk if township else None
        )
        context["rows"] = rows
        context["total"] = progress_total(rows)
    return render(request, "checklists/progress.html", context)


# One household's check -------------------------------------------------


def _visible_household(user, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.visible_to(user).select_related("township", "village"),
        pk=pk,
    )


def _outcome(code: str | None) -> dict:
    return {"code": code or "", "label": OUTCOME_LABELS.get(code, "未核查")}


def _member_outcomes(household: Household, members, today) -> list[dict]:
    """Per member, every policy's outcome in the latest evaluation (two queries).

    A member with no stored cell for a policy is 不符合条件 (the matrix
    stores only what says something); a member registered after that
    evaluation, or a household never evaluated, is 未核查.
    """
    evaluation = (
        HouseholdEvaluation.objects.filter(household=household, as_of__lte=today)
        .order_by("-as_of")
        .first()
    )
    stored: dict[tuple[int, str], str] = {}
    if evaluation is not None:
        stored = {
            (member_id, policy): outcome
            for member_id, policy, outcome in PolicyOutcome.objects.filter(
                evaluation=evaluation
            ).values_list("member_id", "policy", "outcome")
        }

    def outcome(member, code):
        if evaluation is None or member.created_at > evaluation.evaluated_at:
            return _outcome(None)
        return _outcome(stored.get((member.pk, code), Outcome.NOT_ELIGIBLE.value))

    return [
        {
            "member": member,
            "outcomes": [outcome(member, code) for code in Policy.values],
        }
        for member in members
    ]


def _check_context(request, household: Household) -> dict:
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    check = (
        HouseholdCheck.objects.filter(campaign=campaign, household=household)
        .select_related("inspected_by")
        .first()
        if campaign
        else None
    )
    members = list(household.members.current().order_by("pk"))
    for member in members:
        member.age = member.age_on(today)
    enrollments = (
        Enrollment.objects.filter(member__household=household)
        .exclude(status=Enrollment.Status.ENDED)
        .select_related("benefit", "member")
        .order_by("member_id", "benefit__order")
    )
    stored = (check.outcomes or {}) if check else {}
    household_outcomes = [
        {"policy": label, **_outcome(stored.get(code))}
        for code, label in Policy.choices
    ]
    return {
        "household": household,
        "campaign": campaign,
        "check": check,
        "members": members,
        "member_rows": _member_outcomes(household, members, today),
        "enrollments": enrollments,
        "policies": Policy.choices,
        "household_outcomes": household_outcomes,
        "can_confirm": campaign is not None
        and user_can_confirm(request.user, household),
        "today": today,
    }


def user_can_confirm(user, household: Household) -> bool:
    return user.can_edit_township(household.township_id)


@require_GET
def household(request, pk: int):
    household = _visible_household(request.user, pk)
    context = _check_context(request, household)
    context["form"] = ConfirmCheckForm(
        initial={"note": context["check"].note if context["check"] else ""}
    )
    return render(request, "checklists/household.html", context)


@require_POST
def confirm(request, pk: int):
    household = _visible_household(request.user, pk)
    if not user_can_confirm(request.user, household):
        raise PermissionDenied("只有本乡镇（街道）经办人员可以确认排查")
    campaign = Campaign.objects.current()
    form = ConfirmCheckForm(request.POST)
    if campaign is None:
        messages.error(request, "尚未设置当前自查整改活动，暂不能确认排查。")
        return redirect("checklists:household", pk=household.pk)
    if form.is_valid():
        services.household_check_confirm(
            household=household,
            campaign=campaign,
            user=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"已确认户 {household.household_no} 的入户排查。")
        return redirect("checklists:household", pk=household.pk)
    context = _check_context(request, household)
    context["form"] = form
    return render(request, "checklists/household.html", context, status=400)


@require_GET
def sheet(request, pk: int):
    """The printable inspection sheet (入户排查表), printed from the browser."""
    household = _visible_household(request.user, pk)
    return render(request, "checklists/sheet.html", _check_context(request, household))
