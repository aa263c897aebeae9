"""Registry pages: list, detail, create/edit households and members, history.

Every view fetches through ``visible_to(request.user)`` (404 outside the
user's area) and checks ``can_edit_township`` before writing (403 for
read-only roles such as section chiefs).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AuditEvent
from accounts.services import audit_request

from . import idnumbers, services
from .forms import HouseholdFilterForm, HouseholdForm, MemberForm
from .history import household_history
from .models import Household, Member, Township

PAGE_SIZE = 30


def _get_household(request, pk, *, write=False) -> Household:
    household = get_object_or_404(
        Household.objects.visible_to(request.user)
        .current()
        .select_related("township", "village"),
        pk=pk,
    )
    if write and not request.user.can_edit_township(household.township_id):
        raise PermissionDenied("只读：您不能修改该户数据")
    return household


def _get_member(request, pk, *, write=False) -> Member:
    member = get_object_or_404(
        Member.objects.visible_to(request.user)
        .current()
        .select_related("household__township", "household__village"),
        pk=pk,
    )
    if write and not request.user.can_edit_township(member.household.township_id):
        raise PermissionDenied("只读：您不能修改该户数据")
    return member


# Searches shorter than this match the start or the end of a name only.
SHORT_SEARCH = 3


def _search(queryset, text: str):
    text = "".join(text.split())
    if not text:
        return queryset
    number = idnumbers.normalize(text)
    if idnumbers.is_valid(number):
        # A whole ID number: one exact match on its unique index.
        members = Member.objects.current().filter(id_number=number)
        return queryset.filter(pk__in=members.values("household_id"))
    if len(text) < SHORT_SEARCH:
        # One or two characters hold no trigram, so "contains" would read
        # every member (90 ms at 175,000).  A short text is the start of a
        # name (a surname, a two-character name) or its end (a given name),
        # each a btree range (households/0007), or the start of an ID number.
        members = (
            Member.objects.current()
            .alias(name_reversed=Reverse("name"))
            .filter(
                Q(name__startswith=text)
                | Q(name_reversed__startswith=text[::-1])
                | Q(id_number__startswith=number)
            )
        )
        return queryset.filter(pk__in=members.values("household_id"))
    match = Q(name__contains=text) | Q(id_number__startswith=number)
    members = Member.objects.current()
    if len(number) >= 4 and number[:-1].isdigit():
        # The last digits: a prefix of the reversed number, so PostgreSQL
        # reads the btree member_id_reverse_idx (LIKE '4321%') instead of the
        # trigram index, slow for long digit strings (households/0006).
        members = members.alias(id_reversed=Reverse("id_number"))
        match |= Q(id_reversed__startswith=number[::-1])
    members = members.filter(match)
    # A union, not an OR across the two tables: each half uses its own index
    # instead of a scan of every household in scope (docs/benchmarks.md).
    by_number = (
        Household.objects.filter(household_no__contains=text).order_by().values("pk")
    )
    return queryset.filter(
        pk__in=members.order_by().values("household_id").union(by_number)
    )


def _list_rows(ids: list[int]) -> list[Household]:
    """The list's rows for ``ids``, in that order: head, masked ID, size."""
    heads = Member.objects.filter(
        household=OuterRef("pk"), relation="head", removed=False
    ).order_by("pk")
    rows = (
        Household.objects.filter(pk__in=ids)
        .select_related("township", "village")
        .annotate(
            head_name=Subquery(heads.values("name")[:1]),
            head_id_number=Subquery(heads.values("id_number")[:1]),
            # A correlated count, not a JOIN + GROUP BY over every member:
            # 780 → 133 ms on 60,000 households (docs/operations.md).
            member_count=Subquery(
                Member.objects.filter(household=OuterRef("pk"), removed=False)
                .order_by()
                .values("household")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
    )
    by_id = {household.pk: household for household in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    households = Household.objects.visible_to(request.user).current()
    if form.is_valid():
        data = form.cleaned_data
        households = _search(households, data["q"])
        if data.get("township"):
            households = households.filter(township=data["township"])
        if data["village"]:
            households = households.filter(village=data["village"])
        if data["poverty_type"]:
            households = households.filter(poverty_type=data["poverty_type"])
        if data["poverty_status"]:
            households = households.filter(poverty_status=data["poverty_status"])
    # Page over bare ids, then annotate only the page's 30 households: with
    # OFFSET, PostgreSQL would otherwise run the select-list subqueries for
    # every skipped row (page 300 of a township: 132 ms → see
    # docs/operations.md, finding f).
    page = Paginator(
        households.order_by("household_no").values_list("pk", flat=True), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    page.object_list = _list_rows(list(page.object_list))
    for household in page:
        household.head_masked_id = idnumbers.mask(household.head_id_number)
    query = request.GET.copy()
    query.pop("page", None)
    can_create = request.user.is_township_staff or request.user.is_bureau_admin
    return render(
        request,
        "households/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": can_create,
        },
    )


def _detail_context(request, household: Household) -> dict:
    members = list(
        household.members.current()
        .prefetch_related("enrollments__benefit", "grants")
        .order_by("pk")
    )
    today = timezone.localdate()
    for member in members:
        member.age = member.age_on(today)
    can_edit = request.user.can_edit_township(household.township_id)
    return {
        "household": household,
        "members": members,
        "today": today,
        "can_edit": can_edit,
        "can_reveal": can_edit,
    }


def household_detail(request, pk):
    household = _get_household(request, pk)
    return render(
        request, "households/detail.html", _detail_context(request, household)
    )


@require_POST
@never_cache
def member_reveal_id(request, pk):
    """Show one member's full ID number, after recording who looked.

    Staff of the member's township and the bureau admin only (chiefs: 403,
    outsiders: 404).  The number is rendered into this response only —
    never into a redirect, a message or the session.
    """
    member = get_object_or_404(
        Member.objects.visible_to(request.user)
        .current()
        .select_related("household__township", "household__village"),
        pk=pk,
    )
    household = member.household
    if not request.user.can_edit_township(household.township_id):
        raise PermissionDenied(
            "只有本乡镇（街道）经办人员和县民政局管理员可以查看完整身份证号码"
        )
    audit_request(
        request,
        action=AuditEvent.Action.ID_REVEAL,
        target=f"{member.name}（{member.masked_id}），户编号 {household.household_no}",
        target_url=household.get_absolute_url(),
        township=household.township,
    )
    context = _detail_context(request, household)
    context.update(revealed_pk=member.pk, revealed_id=member.id_number)
    return render(request, "households/detail.html", context)


@require_http_methods(["GET", "POST"])
def household_remove(request, pk):
    """删除此户: a confirm page, then a soft delete that keeps the history."""
    household = _get_household(request, pk, write=True)
    members = list(household.members.current().order_by("pk"))
    if request.method == "POST":
        services.household_remove(household=household, actor=request.user)
        audit_request(
            request,
            action=AuditEvent.Action.HOUSEHOLD_REMOVE,
            target=f"户编号 {household.household_no}（{len(members)} 人）",
            target_url=reverse("households:history", args=[household.pk]),
            township=household.township,
        )
        messages.success(
            request,
            f"已删除建档立卡户 {household.household_no}（{len(members)} 人）。"
            "该户不再出现在列表和查询中，修改记录仍保留，县民政局管理员可查看。",
        )
        return redirect("households:list")
    return render(
        request,
        "households/remove_confirm.html",
        {"household": household, "members": members},
    )


def _township_for_new(request) -> Township | None:
    if request.user.is_township_staff:
        return request.user.township
    township_id = request.GET.get("township") or request.POST.get("township_id")
    if township_id and str(township_id).isdigit():
        return get_object_or_404(Township, pk=township_id)
    return None


@require_http_methods(["GET", "POST"])
def household_create(request):
    user = request.user
    if not (user.is_township_staff or user.is_bureau_admin):
        raise PermissionDenied("只读：您不能新增建档立卡户")
    township = _township_for_new(request)
    form = HouseholdForm(request.POST or None, user=user, township=township)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            village = data["village"] or services.village_get_or_create(
                township=township, name=data["new_village"]
            )
            household = services.household_create(
                actor=user,
                household_no=data["household_no"],
                village=village,
                poverty_type=data["poverty_type"],
                poverty_status=data["poverty_status"],
                income_per_capita=data["income_per_capita"],
                employment_costs=data["employment_costs"],
                rigid_expenses=data["rigid_expenses"],
                address=data["address"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(
                request, f"已新增建档立卡户 {household.household_no}，请添加家庭成员。"
            )
            return redirect("households:member_add", pk=household.pk)
    return render(
        request,
        "households/household_form.html",
        {
            "form": form,
            "township": township,
            "townships": Township.objects.all() if township is None else None,
        },
    )


@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = _get_household(request, pk, write=True)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        user=request.user,
        township=household.township,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            village = data["village"] or services.village_get_or_create(
                township=household.township, name=data["new_village"]
            )
            fields = {
                name: data[name]
                for name in form.Meta.fields
                if name not in ("household_no", "village")
            }
            services.household_update(
                household=household,
                actor=request.user,
                expected_version=data.get("version"),
                village=village,
                **fields,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, "已保存户信息。")
            return redirect(household)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "township": household.township},
    )


@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    household = _get_household(request, pk, write=True)
    has_head = household.members.current().filter(relation="head").exists()
    form = MemberForm(
        request.POST or None,
        initial={"relation": "spouse" if has_head else "head"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            member = services.member_create(
                household=household, actor=request.user, **data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已添加成员 {member.name}。")
            if "add_another" in request.POST:
                return redirect("households:member_add", pk=household.pk)
            return redirect(household)
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": household},
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _get_member(request, pk, write=True)
    household = member.household
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.member_update(
                member=member, actor=request.user, expected_version=version, **data
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"已保存成员 {member.name} 的信息。")
            return redirect(household)
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": household, "member": member},
    )


@require_POST
def member_remove(request, pk):
    member = _get_member(request, pk, write=True)
    services.member_remove(member=member, actor=request.user)
    messages.success(request, f"已将 {member.name} 移出本户（历史记录保留）。")
    return redirect(member.household)


def household_history_view(request, pk):
    if request.user.is_bureau_admin:
        # Removed households keep their history, for the admin to see.
        household = get_object_or_404(
            Household.objects.visible_to(request.user).select_related(
                "township", "village"
            ),
            pk=pk,
        )
    else:
        household = _get_household(request, pk)
    return render(
        request,
        "households/history.html",
        {"household": household, "entries": household_history(household)},
    )


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
