"""Writes on the ledger: the case workflow, comments and evidence.

Every function is keyword-only and atomic; it locks the case row, checks
who may act (``PermissionDenied`` → 403) and whether the case's status
allows it (``ValidationError`` with a Chinese message), updates the cached
status, bumps ``Case.version`` and appends the event in the same
transaction.  The automatic transitions (opened, auto-rectified, reopened)
are the ledger sync's (:mod:`cases.sync`).

Workflow (glossary.md, "Case status")::

    open / returned ──submit──► submitted ──verify──► verified ──(sync)──► open
                                   │  ├──return──► returned
                                   │  └──dismiss (不适用)──► dismissed (final)
    open / returned ──(sync: finding gone)──► submitted
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Case, CaseEvent

Status = Case.Status

# Evidence files: the content's first bytes decide the type, never the name.
EVIDENCE_TYPES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
)


# Who may do what -------------------------------------------------------


def is_township_actor(user, case: Case) -> bool:
    """Staff of the case's township, or the admin: rectify and submit."""
    return user.can_edit_township(case.township_id)


def is_section_actor(user, case: Case) -> bool:
    """A chief of the case's section, or the admin: review."""
    return user.can_act_for_section(case.section)


def allowed_actions(user, case: Case) -> set[str]:
    """The actions ``user`` may take on ``case`` in its current status.

    The detail page shows a form for each; the services enforce the same.
    """
    actions: set[str] = set()
    township, section = is_township_actor(user, case), is_section_actor(user, case)
    if township or section:
        actions.add("comment")
        if case.status in Case.ACTIVE_STATUSES:
            actions.add("evidence")
    if township and case.status in (Status.OPEN, Status.RETURNED):
        actions.add("submit")
    if section and case.status == Status.SUBMITTED:
        actions.add("return")
        if not case.finding_holds:
            actions.add("verify")
        if case.resolution == Case.Resolution.NOT_APPLICABLE:
            actions.add("dismiss")
    return actions


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_stale_message(locked))
    return locked


def _stale_message(case: Case) -> str:
    """Why a stale page's action was refused: what happened meanwhile."""
    latest = case.events.select_related("actor").order_by("-created_at", "-pk").first()
    happened = ""
    if latest is not None:
        who = str(latest.actor) if latest.actor else "系统"
        when = timezone.localtime(latest.created_at)
        happened = f"{who}于 {when:%m-%d %H:%M} {latest.get_kind_display()}，"
    return (
        f"该问题刚被他人更新，本次操作未执行：{happened}"
        f"当前状态为“{case.get_status_display()}”。请查看最新情况后再操作。"
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _transition(
    case: Case,
    *,
    user,
    status: str,
    event: str,
    note: str,
    resolution: str | None = None,
) -> Case:
    """Move ``case`` to ``status`` and append the event (caller holds the lock)."""
    case.status = status
    if resolution is not None:
        case.resolution = resolution
    case.closed_at = timezone.now() if status in Case.CLOSED_STATUSES else None
    case.version += 1
    case.full_clean()
    case.save(
        update_fields=["status", "resolution", "closed_at", "version", "updated_at"]
    )
    _append(case, user=user, kind=event, note=note)
    return case


def _append(case: Case, *, user, kind: str, note: str = "", **fields) -> CaseEvent:
    event = CaseEvent(
        case=case, kind=kind, actor=user, status_after=case.status, note=note, **fields
    )
    event.full_clean()
    event.save()
    return event


# The workflow ----------------------------------------------------------


@transaction.atomic
def case_submit(
    *,
    case: Case,
    user,
    resolution: str,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Township staff submit a rectification: rectified, or does not apply.

    "Does not apply" (不适用) needs a justification; the section chief then
    dismisses or returns it.
    """
    case = _lock(case, expected_version)
    _require(is_township_actor(user, case), "只有本乡镇（街道）经办人员可以提交整改")
    if case.status not in (Status.OPEN, Status.RETURNED):
        raise ValidationError(
            f"该问题当前状态为“{case.get_status_display()}”，不能提交整改"
        )
    note = note.strip()
    if resolution == Case.Resolution.NOT_APPLICABLE and not note:
        raise ValidationError({"note": "选择“不适用”时必须说明理由"})
    if resolution not in (Case.Resolution.RECTIFIED, Case.Resolution.NOT_APPLICABLE):
        raise ValidationError({"resolution": "请选择整改方式：已整改或不适用"})
    return _transition(
        case,
        user=user,
        status=Status.SUBMITTED,
        event=CaseEvent.Kind.SUBMITTED,
        note=note,
        resolution=resolution,
    )


@transaction.atomic
def case_verify(
    *, case: Case, user, note: str = "", expected_version: int | None = None
) -> Case:
    """A chief of the section verifies and closes (销号) a submitted case.

    Only when the latest rule check no longer finds the problem: a fix the
    data does not show yet cannot be verified.
    """
    case = _lock(case, expected_version)
    _require(is_section_actor(user, case), "只有该问题责任科室的负责人可以核实销号")
    if case.status != Status.SUBMITTED:
        raise ValidationError(
            f"该问题当前状态为“{case.get_status_display()}”，只有已提交的问题可以核实"
        )
    if case.finding_holds:
        raise ValidationError(
            "最近一次规则核查仍发现该问题，不能核实销号：请退回乡镇（街道）整改，"
            "或在数据更新并重新核查后再核实"
        )
    return _transition(
        case,
        user=user,
        status=Status.VERIFIED,
        event=CaseEvent.Kind.VERIFIED,
        note=note.strip(),
    )


@transaction.atomic
def case_return(
    *, case: Case, user, reason: str, expected_version: int | None = None
) -> Case:
    """A chief of the section returns a submitted case, with the reason."""
    case = _lock(case, expected_version)
    _require(is_section_actor(user, case), "只有该问题责任科室的负责人可以退回")
    if case.status != Status.SUBMITTED:
        raise ValidationError(
            f"该问题当前状态为“{case.get_status_display()}”，只有已提交的问题可以退回"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须说明理由"})
    return _transition(
        case,
        user=user,
        status=Status.RETURNED,
        event=CaseEvent.Kind.RETURNED,
        note=reason,
        resolution="",
    )


@transaction.atomic
def case_dismiss(
    *, case: Case, user, note: str = "", expected_version: int | None = None
) -> Case:
    """A chief of the section accepts "does not apply": dismissed, final."""
    case = _lock(case, expected_version)
    _require(is_section_actor(user, case), "只有该问题责任科室的负责人可以作不适用销号")
    if (
        case.status != Status.SUBMITTED
        or case.resolution != Case.Resolution.NOT_APPLICABLE
    ):
        raise ValidationError("只有乡镇（街道）以“不适用”提交的问题可以作不适用销号")
    return _transition(
        case,
        user=user,
        status=Status.DISMISSED,
        event=CaseEvent.Kind.DISMISSED,
        note=note.strip(),
    )


@transaction.atomic
def case_comment(*, case: Case, user, note: str) -> CaseEvent:
    """A note on the timeline, by anyone who may act on the case."""
    case = _lock(case, None)
    _require(
        is_township_actor(user, case) or is_section_actor(user, case),
        "您对该问题只有查看权限",
    )
    note = note.strip()
    if not note:
        raise ValidationError({"note": "请填写备注内容"})
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    return _append(case, user=user, kind=CaseEvent.Kind.COMMENT, note=note)


def evidence_type(upload) -> tuple[str, str]:
    """``(extension, content type)`` of an evidence file, by its content.

    PDF, JPEG or PNG up to ``settings.EVIDENCE_MAX_BYTES``; raises
    ValidationError otherwise.  The file name's extension is ignored.
    """
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": f"文件超过 {limit // (1024 * 1024)} MB，请压缩后重新上传"}
        )
    if upload.size == 0:
        raise ValidationError({"file": "文件是空的，请重新选择"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension, content_type in EVIDENCE_TYPES:
        if head.startswith(magic):
            return extension, content_type
    raise ValidationError(
        {"file": "只能上传 PDF、JPG 或 PNG 格式的材料（按文件内容识别，改扩展名无效）"}
    )


def evidence_content_type(name: str) -> str:
    """The content type of a stored evidence file (named by its checked type)."""
    extension = os.path.splitext(name)[1].lower()
    for _, known, content_type in EVIDENCE_TYPES:
        if extension == known:
            return content_type
    return "application/octet-stream"


@transaction.atomic
def case_add_evidence(*, case: Case, user, file, note: str = "") -> CaseEvent:
    """Attach an evidence file (PDF/JPEG/PNG) to an active case.

    Stored under a random name with the extension of its checked type; the
    original name is kept for display.  Served only through the scoped view.
    """
    case = _lock(case, None)
    _require(
        is_township_actor(user, case) or is_section_actor(user, case),
        "您对该问题只有查看权限",
    )
    if case.status not in Case.ACTIVE_STATUSES:
        raise ValidationError("该问题已销号，不能再上传材料")
    extension, _ = evidence_type(file)
    original = os.path.basename(getattr(file, "name", "") or "")[:255] or (
        "材料" + extension
    )
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    event = CaseEvent(
        case=case,
        kind=CaseEvent.Kind.EVIDENCE,
        actor=user,
        status_after=case.status,
        note=note.strip(),
        file_name=original,
    )
    event.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
    event.full_clean()
    event.save()
    return event
