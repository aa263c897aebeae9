"""名册导入 in the browser: upload → preview → confirm or cancel.

Both roster kinds go through the same pages and the same import services
the commands use (roster-format.md §4):

1. ``import_list`` shows the import history and the upload form.  A file
   over ``IMPORT_MAX_BYTES`` is refused before it is read: first by the
   declared request size, then by an upload handler that stops storing it
   at the limit.  An accepted file is kept under ``MEDIA_ROOT`` in an
   :class:`~households.models.ImportBatch` and dry-run at once.
2. ``import_detail`` is the preview, read from the stored dry-run summary
   (``ImportBatch.summary``), so a reload shows the same page: every error
   and warning by sheet, Excel row and column, the counts of what would
   change, the members not in the file and the people not in the registry.
3. ``import_confirm`` runs the service again, for real, on the stored file
   (the preview's counts are never trusted), all or nothing, or — when the
   user asks — skipping every household (benefit row) with an error.
   ``import_cancel`` closes the batch without writing.
4. The stored file and the error workbook (the user's own workbook with a
   错误说明 column) are served only through these scoped views, and each
   download is written to the audit log.

A database connection lost during the upload's dry run or the confirm
(server restart, network cut) is no 500: both run in one transaction, so
nothing is written, and the user is told so (``CONNECTION_LOST``, the
commands' words) on the page where a retry starts — the upload form, or
the batch, still 待确认, to confirm again.

Township staff import into their own township and see its batches only
(another township's batch is a 404); the bureau admin picks any township
(or none: the file's own 乡镇（街道） column, or the whole county for a
benefit roster) and sees every batch; section chiefs get 403 on every page.

The benefit roster's service lives in ``subsidies`` (which depends on
``households``), so it is named by dotted path and loaded on use: this
module does not import ``subsidies`` when Django starts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.fields.json import KeyTransform
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from accounts.models import AuditEvent
from accounts.services import audit_request
from config.log_filters import mask_id_numbers

from .imports import values as v
from .imports.annotate import annotate_workbook, issue_label, notes_by_row
from .imports.connection import CONNECTION_ERRORS, CONNECTION_LOST, connection_lost
from .imports.template import roster_template, template_filename
from .imports.workbook import FileUnreadable
from .models import ImportBatch, Township, Village

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_PAGE_SIZE = 20
ISSUE_PAGE_SIZE = 100
# What the stored summary keeps of each list (the counts are always whole).
ISSUE_STORE_LIMIT = 20_000
LIST_STORE_LIMIT = 1_000
# Room for the form's other fields and the multipart boundaries.
FORM_OVERHEAD = 64 * 1024

Status = ImportBatch.Status
Kind = ImportBatch.Kind


@dataclass(frozen=True)
class RosterKind:
    """One roster kind: its service, its column table and its words."""

    code: str
    label: str
    service: str  # dotted path of the import service
    columns: str  # dotted path of the ColumnTable (for the error workbook)
    unit: str  # what a count counts
    skip_label: str
    description: str


KINDS = {
    Kind.HOUSEHOLD_ROSTER: RosterKind(
        code=Kind.HOUSEHOLD_ROSTER,
        label="建档立卡户花名册",
        service="households.imports.roster_import.roster_import",
        columns="households.imports.roster.HOUSEHOLD_COLUMNS",
        unit="户",
        skip_label="跳过有错误的户，导入其余",
        description="每人一行，按户编号和身份证号码新增或更新户和成员。",
    ),
    Kind.BENEFIT_ROSTER: RosterKind(
        code=Kind.BENEFIT_ROSTER,
        label="救助补贴名册",
        service="subsidies.imports.roster_import.benefit_roster_import",
        columns="subsidies.imports.roster.BENEFIT_COLUMNS",
        unit="条",
        skip_label="跳过有错误的行，导入其余",
        description="每人每项救助一行，按身份证号码登记低保、特困、临时救助和各项补贴。",
    ),
}

BENEFIT_LABELS = {code: spellings[0] for code, spellings in v.BENEFIT.options}
ENROLLMENT_FIELD_LABELS = {
    "status": "状态",
    "end": "结束日期",
    "end_reason": "停保原因",
    "amount": "金额",
    "scope": "保障方式",
    "care_mode": "供养方式",
}
SORTS = ("row", "column", "code", "level")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large_message(size: int | None) -> str:
    limit = _megabytes(settings.IMPORT_MAX_BYTES)
    what = f"文件大小约为 {_megabytes(size)}，" if size else "文件"
    return (
        f"{what}超过了 {limit} 的上限，系统没有读取该文件。"
        "请把花名册按村拆分成几个文件，分别导入。"
    )


# -- access ------------------------------------------------------------------


def _check_may_import(user) -> None:
    """Township staff and the bureau admin import; section chiefs read only."""
    if not (user.is_township_staff or user.is_bureau_admin):
        raise PermissionDenied("只有乡镇经办人员和管理员可以导入名册")


def _get_batch(request, pk) -> ImportBatch:
    _check_may_import(request.user)
    return get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related(
            "township", "uploaded_by"
        ),
        pk=pk,
    )


# -- the upload form -----------------------------------------------------------


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="名册类型",
        choices=[(code, kind.label) for code, kind in KINDS.items()],
        initial=Kind.HOUSEHOLD_ROSTER,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择名册类型"},
    )
    township = forms.ModelChoiceField(
        label="导入到乡镇（街道）",
        queryset=Township.objects.none(),
        required=False,
        empty_label="不指定（按文件中的“乡镇（街道）”列；救助名册按全县匹配）",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label="名册文件（.xlsx）",
        error_messages={
            "required": "请选择要上传的名册文件（.xlsx）",
            "empty": "上传的文件是空的（0 字节），请选择已填好的名册文件",
            "invalid": "没有收到文件，请重新选择后上传",
        },
    )

    def __init__(self, *args, user, too_large: int | bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if user.is_bureau_admin:
            self.fields["township"].queryset = Township.objects.visible_to(user)
        else:
            del self.fields["township"]
        limit = settings.IMPORT_MAX_BYTES
        self.fields["file"].widget.attrs.update(
            {
                "class": "form-control",
                "accept": f".xlsx,{XLSX}",
                "data-max-bytes": str(limit),
                "data-too-large": too_large_message(None),
            }
        )
        if too_large:
            # The handler dropped the file: say why instead of "required".
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if self.too_large:
            size = self.too_large if self.too_large is not True else None
            raise ValidationError(too_large_message(size))
        if upload is not None and upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(too_large_message(upload.size))
        return upload


class _UploadLimit(FileUploadHandler):
    """Stops receiving a file the moment it passes ``limit`` bytes.

    It runs before Django's own handlers, so nothing beyond the limit is
    kept in memory or written to a temporary file.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# -- history and upload ------------------------------------------------------


@csrf_exempt  # checked by _upload, once the size is known to be acceptable
@require_http_methods(["GET", "POST"])
def import_list(request):
    """The import history with the upload form; a POST uploads a roster."""
    _check_may_import(request.user)
    if request.method == "POST":
        declared = _declared_size(request)
        if declared > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD:
            # Refused unread: no CSRF check needed, nothing is changed.
            form = ImportUploadForm(user=request.user)
            return _list_page(
                request, form, upload_error=too_large_message(declared), status=413
            )
        limit = _UploadLimit(request, settings.IMPORT_MAX_BYTES)
        request.upload_handlers.insert(0, limit)
        return _upload(request, limit)
    return _list_page(request, ImportUploadForm(user=request.user))


@csrf_protect
def _upload(request, limit: _UploadLimit):
    user = request.user
    post, files = request.POST, request.FILES  # parsed here, through the limit
    too_large = (_declared_size(request) or True) if limit.exceeded else False
    form = ImportUploadForm(post, files, user=user, too_large=too_large)
    if not form.is_valid():
        return _list_page(request, form, status=413 if too_large else 400)
    kind = KINDS[form.cleaned_data["kind"]]
    township = (
        user.township if user.is_township_staff else form.cleaned_data["township"]
    )
    upload = form.cleaned_data["file"]
    name = PurePath(upload.name or "名册.xlsx").name[:255] or "名册.xlsx"
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    batch = ImportBatch(
        kind=kind.code, township=township, uploaded_by=user, original_name=name
    )
    # The dry run first, the batch (file, summary, status) in one INSERT
    # after it: a connection lost on the way leaves no batch behind.
    try:
        result = _run(kind, batch, data, actor=user, dry_run=True)
        batch.summary = preview_summary(result, kind)
        batch.status = Status.REJECTED if result.file_error else Status.PREVIEWED
        batch.file.save(name, ContentFile(data), save=False)
        batch.save()
    except CONNECTION_ERRORS as exc:
        connection_lost(exc, what=f"{kind.code} upload")
        if batch.file:
            batch.file.delete(save=False)
        messages.error(request, CONNECTION_LOST)
        return redirect("households:import_list")
    return redirect("households:import_detail", pk=batch.pk)


def _list_page(request, form, *, upload_error: str = "", status: int = 200):
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .select_related("township", "uploaded_by")
        .defer("summary")
        .annotate(
            counts=KeyTransform("counts", "summary"),
            # Batches committed by the commands carry only the §4 JSON.
            household_counts=KeyTransform("households", "summary"),
            enrollment_counts=KeyTransform("enrollments", "summary"),
            grant_counts=KeyTransform("grants", "summary"),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(batches, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for batch in page:
        batch.roster = KINDS.get(batch.kind)
        batch.counts = batch.counts or _command_counts(batch)
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "page": page,
            "kinds": KINDS.values(),
            "upload_error": upload_error,
            "max_size": _megabytes(settings.IMPORT_MAX_BYTES),
        },
        status=status,
    )


def _command_counts(batch) -> dict:
    """History counts of a batch whose summary is the commands' §4 JSON."""
    parts = [
        part
        for part in (
            batch.household_counts,
            batch.enrollment_counts,
            batch.grant_counts,
        )
        if isinstance(part, dict)
    ]
    if not parts:
        return {}
    return {
        key: sum(part.get(key, 0) for part in parts)
        for key in ("created", "updated", "unchanged", "skipped")
    }


# -- running the services ----------------------------------------------------


def _run(kind: RosterKind, batch: ImportBatch, source, *, actor, dry_run, skip=False):
    service = import_string(kind.service)
    return service(
        source=source,
        name=batch.original_name,
        township=batch.township,
        actor=actor,
        dry_run=dry_run,
        skip_invalid=skip,
        batch=None if dry_run else batch,
    )


def _issue_codes(issues: list[dict]) -> dict[str, int]:
    return dict(Counter(issue["code"] for issue in issues).most_common())


def preview_summary(result, kind: RosterKind) -> dict:
    """What the preview and history pages show, as stored in the batch.

    The §4 JSON of the run plus: the file-level flag, issue counts by code,
    the members not in the file (household rosters), the planned changes
    (benefit rosters) and one ``counts`` entry the history list reads.
    Long lists are cut at a limit; their totals are kept.
    """
    data = result.as_json()
    errors, warnings = data.pop("errors"), data.pop("warnings")
    data.update(
        kind=kind.code,
        file_error=result.file_error,
        exit_status=result.exit_status,
        errors=errors[:ISSUE_STORE_LIMIT],
        warnings=warnings[:ISSUE_STORE_LIMIT],
        error_count=len(errors),
        warning_count=len(warnings),
        error_codes=_issue_codes(errors),
        warning_codes=_issue_codes(warnings),
        bad_rows=len({(e["sheet"], e["row"]) for e in errors if e["row"] is not None}),
    )
    if kind.code == Kind.HOUSEHOLD_ROSTER:
        absent = result.absent_members
        data["absent_members"] = [
            {"household_no": a.household_no, "name": a.name, "masked_id": a.masked_id}
            for a in absent[:LIST_STORE_LIMIT]
        ]
        data["absent_count"] = len(absent)
        parts = [data["households"]]
    else:
        rows = data["not_in_registry_rows"]
        data["not_in_registry_rows"] = rows[:LIST_STORE_LIMIT]
        data["changes"] = [
            {
                "sheet": c.sheet,
                "row": c.row,
                "name": c.name,
                "masked_id": c.masked_id,
                "benefit": c.benefit,
                "kind": c.kind,
                "outcome": c.outcome,
                "fields": list(c.fields),
            }
            for c in result.changes[:LIST_STORE_LIMIT]
        ]
        data["changes_total"] = len(result.changes)
        parts = [data["enrollments"], data["grants"]]
    totals = {
        key: sum(part[key] for part in parts)
        for key in ("created", "updated", "unchanged", "skipped")
    }
    totals["importable"] = totals["created"] + totals["updated"] + totals["unchanged"]
    data["counts"] = {
        **totals,
        "errors": len(errors),
        "warnings": len(warnings),
    }
    return data


# -- preview and result ------------------------------------------------------


def _display_issues(summary: dict) -> list[dict]:
    """Errors and warnings as table rows, in workbook order."""
    found = []
    for level, key in (("error", "errors"), ("warning", "warnings")):
        for issue in summary.get(key) or []:
            found.append(
                {
                    **issue,
                    "level": level,
                    "label": issue_label(issue["code"]),
                    "message": mask_id_numbers(issue["message"]),
                }
            )
    order: dict[str | None, int] = {}
    for issue in found:
        order.setdefault(issue["sheet"], len(order))
    for issue in found:
        issue["sheet_order"] = order[issue["sheet"]]
    return found


def _sort_key(sort: str):
    def place(issue):
        return (
            issue["row"] is not None,
            issue["sheet_order"],
            issue["row"] or 0,
            issue["level"] != "error",
        )

    if sort == "column":
        return lambda i: (i["column"] or "", *place(i))
    if sort == "code":
        return lambda i: (i["level"] != "error", i["label"], *place(i))
    if sort == "level":
        return lambda i: (i["level"] != "error", *place(i))
    return place


def _code_groups(summary: dict) -> list[dict]:
    groups = []
    for level, key in (("error", "error_codes"), ("warning", "warning_codes")):
        for code, count in (summary.get(key) or {}).items():
            groups.append(
                {
                    "level": level,
                    "code": code,
                    "label": issue_label(code),
                    "count": count,
                }
            )
    return groups


@require_GET
def import_detail(request, pk):
    """The preview of a batch (or its outcome once confirmed)."""
    batch = _get_batch(request, pk)
    kind = KINDS[batch.kind]
    summary = batch.summary or {}
    level = request.GET.get("level", "")
    code = request.GET.get("code", "")
    sort = request.GET.get("sort", "row")
    if sort not in SORTS:
        sort = "row"
    issues = _display_issues(summary)
    if level in ("error", "warning"):
        issues = [i for i in issues if i["level"] == level]
    else:
        level = ""
    if code:
        issues = [i for i in issues if i["code"] == code]
    issues.sort(key=_sort_key(sort))
    page = Paginator(issues, ISSUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    for key in ("page", "sort"):
        sort_query.pop(key, None)
    counts = summary.get("counts") or {}
    errors = summary.get("error_count", 0)
    importable = counts.get("importable", 0)
    previewed = batch.status == Status.PREVIEWED
    changes = [
        {
            **change,
            "benefit_label": BENEFIT_LABELS.get(change["benefit"], change["benefit"]),
            "field_labels": [
                ENROLLMENT_FIELD_LABELS.get(f, f) for f in change["fields"]
            ],
        }
        for change in summary.get("changes") or []
    ]
    not_in_registry = [
        {**row, "benefit_label": BENEFIT_LABELS.get(row["benefit"], row["benefit"])}
        for row in summary.get("not_in_registry_rows") or []
    ]
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "kind": kind,
            "summary": summary,
            "counts": counts,
            "page": page,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "level": level,
            "code": code,
            "sort": sort,
            "code_groups": _code_groups(summary),
            "issue_total": summary.get("error_count", 0)
            + summary.get("warning_count", 0),
            "stored_issue_total": len(summary.get("errors") or [])
            + len(summary.get("warnings") or []),
            "changes": changes,
            "not_in_registry": not_in_registry,
            "has_notes": bool(_row_notes(summary)),
            "can_confirm": previewed and not errors and importable > 0,
            "can_skip": previewed and errors > 0 and importable > 0,
            "can_cancel": previewed,
        },
    )


def _row_notes(summary: dict) -> dict:
    return notes_by_row(summary.get("errors") or [], summary.get("warnings") or [])


def _stored_bytes(batch: ImportBatch) -> bytes | None:
    if not batch.file:
        return None
    try:
        with batch.file.open("rb") as stored:
            return stored.read(settings.IMPORT_MAX_BYTES + 1)
    except OSError:
        return None


@require_POST
def import_confirm(request, pk):
    """Import the stored file for real: all or nothing, or skipping bad ones."""
    batch = _get_batch(request, pk)
    kind = KINDS[batch.kind]
    skip = request.POST.get("skip_invalid") == "1"
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != Status.PREVIEWED:
                messages.error(
                    request, "该批次已经处理过（已导入或已取消），不能再次导入。"
                )
                return redirect("households:import_detail", pk=batch.pk)
            data = _stored_bytes(batch)
            if data is None:
                messages.error(
                    request, "找不到本批次保存的原始文件，无法导入。请重新上传。"
                )
                return redirect("households:import_detail", pk=batch.pk)
            result = _run(
                kind, batch, data, actor=request.user, dry_run=False, skip=skip
            )
            batch.summary = preview_summary(result, kind)
            if result.file_error:
                batch.status = Status.REJECTED
            batch.save(update_fields=["summary", "status"])
    except CONNECTION_ERRORS as exc:
        # The whole import, the batch's own status and summary included,
        # was one transaction: rolled back, the batch is still previewed
        # in the database (whatever the service set on this copy) and the
        # user can confirm again.
        connection_lost(exc, what=f"{kind.code} batch {batch.pk} confirm")
        messages.error(request, CONNECTION_LOST)
        return redirect("households:import_detail", pk=batch.pk)
    if result.written:
        messages.success(request, _outcome_message(kind, batch.summary))
    elif result.file_error:
        messages.error(
            request, "文件无法导入，没有写入任何数据：" + result.errors[0].message
        )
    else:
        messages.error(
            request,
            f"重新检查时发现 {len(result.errors)} 处错误，没有导入任何数据。"
            "请查看下面的错误，改正后重新上传，或选择跳过有错误的部分。",
        )
    return redirect("households:import_detail", pk=batch.pk)


def _outcome_message(kind: RosterKind, summary: dict) -> str:
    if kind.code == Kind.HOUSEHOLD_ROSTER:
        h, m = summary["households"], summary["members"]
        text = (
            f"导入完成：新增 {h['created']} 户、更新 {h['updated']} 户、"
            f"无变化 {h['unchanged']} 户；成员新增 {m['created']} 人、"
            f"更新 {m['updated']} 人。"
        )
        if h["skipped"]:
            text += f"有错误的 {h['skipped']} 户已跳过，未导入。"
        return text
    e, g = summary["enrollments"], summary["grants"]
    text = (
        f"导入完成：享受记录新增 {e['created']} 条、更新 {e['updated']} 条、"
        f"无变化 {e['unchanged']} 条；临时救助新增 {g['created']} 条。"
    )
    skipped = e["skipped"] + g["skipped"]
    if skipped:
        text += f"有错误的 {skipped} 行已跳过，未导入。"
    return text


@require_POST
def import_cancel(request, pk):
    """Close a previewed batch without writing anything."""
    batch = _get_batch(request, pk)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != Status.PREVIEWED:
            messages.error(request, "该批次已经处理过，不能取消。")
            return redirect("households:import_detail", pk=batch.pk)
        batch.status = Status.CANCELLED
        batch.save(update_fields=["status"])
    messages.info(request, f"已取消导入“{batch.original_name}”，没有写入任何数据。")
    return redirect("households:import_list")


# -- files -----------------------------------------------------------------------


def _audit_download(request, batch: ImportBatch, what: str) -> None:
    audit_request(
        request,
        action=AuditEvent.Action.IMPORT_FILE_DOWNLOAD,
        target=f"{batch.source_label} {what}：{batch.original_name}",
        target_url=reverse("households:import_detail", args=[batch.pk]),
        township=batch.township,
    )


@never_cache
@require_GET
def import_file(request, pk):
    """The uploaded workbook as it was received."""
    batch = _get_batch(request, pk)
    if not batch.file:
        raise Http404("本批次没有保存原始文件")
    try:
        stored = batch.file.open("rb")
    except OSError:
        raise Http404("找不到本批次保存的原始文件") from None
    _audit_download(request, batch, "下载原始文件")
    return FileResponse(
        stored, as_attachment=True, filename=batch.original_name, content_type=XLSX
    )


def error_workbook_name(original: str) -> str:
    stem = PurePath(original).stem or "名册"
    return f"{stem}（错误说明）.xlsx"


@never_cache
@require_GET
def import_errors(request, pk):
    """The user's workbook with a 错误说明 column beside every bad row."""
    batch = _get_batch(request, pk)
    summary = batch.summary or {}
    if not _row_notes(summary):
        raise Http404("本批次没有需要标注的错误")
    data = _stored_bytes(batch)
    if data is None:
        raise Http404("找不到本批次保存的原始文件")
    try:
        annotated = annotate_workbook(
            data,
            table=import_string(KINDS[batch.kind].columns),
            errors=summary.get("errors") or [],
            warnings=summary.get("warnings") or [],
            max_bytes=settings.IMPORT_MAX_BYTES,
        )
    except FileUnreadable:
        raise Http404("原始文件无法读取，不能生成错误说明") from None
    _audit_download(request, batch, "下载错误说明工作簿")
    response = HttpResponse(annotated, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, error_workbook_name(batch.original_name)
    )
    return response


@require_GET
def import_template(request, kind):
    """模板下载: the roster format with the user's townships and villages."""
    _check_may_import(request.user)
    if kind not in KINDS:
        raise Http404("没有这种名册")
    user = request.user
    townships = Township.objects.visible_to(user)
    villages = (
        Village.objects.visible_to(user)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    place = user.township.name if user.is_township_staff else ""
    data = roster_template(
        kind=kind,
        townships=[t.name for t in townships],
        villages=list(villages),
        place=place,
        county=settings.COUNTY_NAME,
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, template_filename(kind, place)
    )
    return response
