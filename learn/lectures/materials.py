"""Session materials: uploaded files (checked by content, kept in learn.storage) and
Markdown notes, optionally restricted to the session's registered attendees."""

import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from learn.accounts import User
from learn.audit import record_event
from learn.core.markdown import render_markdown
from learn.errors import LearnError, NotFound, PermissionDenied
from learn.extensions import db
from learn.lectures import access
from learn.lectures.attendance import attendance_of
from learn.lectures.filetypes import ACCEPTED_LABEL, ALL, detect
from learn.lectures.models import LectureSession, Material, Registration
from learn.storage import get_storage


def max_bytes() -> int:
    return int(current_app.config["LECTURE_MATERIAL_MAX_MB"]) * 1024 * 1024


def get_material(material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None:
        raise NotFound("资料不存在或已被删除。")
    return material


def session_materials(session: LectureSession) -> list[Material]:
    return list(
        db.session.scalars(
            select(Material)
            .where(Material.session_id == session.id)
            .order_by(Material.uploaded_at, Material.id)
        )
    )


def _title(title: str, original_name: str) -> str:
    return (title.strip() or PurePath(original_name).stem or "讲座资料")[:120]


def add_file(
    actor: User,
    session: LectureSession,
    stream: BinaryIO,
    original_name: str,
    title: str = "",
    attendees_only: bool = False,
) -> Material:
    """Store an uploaded handout or slide deck after checking what it really is."""
    if not access.can_edit_materials(actor, session):
        raise PermissionDenied("只有本场主讲人或组织者可以上传资料。")
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise LearnError("上传的文件是空的，请重新选择文件。")
    if len(data) > limit:
        raise LearnError(f"文件超过 {limit // (1024 * 1024)} MB，请压缩后再上传。")
    buffer = io.BytesIO(data)
    kind = detect(buffer)
    if kind is None:
        raise LearnError(
            f"只能上传 {ACCEPTED_LABEL} 文件。系统按文件内容识别类型，"
            "这个文件的内容不属于其中任何一种（改扩展名没有用）。"
        )
    key = get_storage().save(buffer, original_name)
    try:
        material = Material(
            session_id=session.id,
            title=_title(title, original_name),
            storage_key=key,
            original_name=original_name[:200],
            file_type=kind.code,
            size=len(data),
            attendees_only=attendees_only,
            uploaded_by_id=actor.id,
        )
        db.session.add(material)
        db.session.flush()
    except Exception:  # the row could not be written: do not leave an orphan file behind
        get_storage().delete(key)
        raise
    record_event(
        "lecture_material_added",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=material.title,
    )
    return material


def add_note(
    actor: User, session: LectureSession, title: str, text: str, attendees_only: bool = False
) -> Material:
    """Attach a Markdown note (reading list, key points …) to a session."""
    if not access.can_edit_materials(actor, session):
        raise PermissionDenied("只有本场主讲人或组织者可以添加讲义笔记。")
    if not text.strip():
        raise LearnError("笔记内容不能为空。")
    material = Material(
        session_id=session.id,
        title=_title(title, "讲义笔记"),
        note=text,
        note_html=render_markdown(text),
        attendees_only=attendees_only,
        uploaded_by_id=actor.id,
    )
    db.session.add(material)
    db.session.flush()
    record_event(
        "lecture_material_added",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=material.title,
    )
    return material


def delete_material(actor: User, material: Material) -> str | None:
    """Remove a material; returns the storage key to delete once the change is committed."""
    session = db.session.get(LectureSession, material.session_id)
    if not access.can_edit_materials(actor, session):
        raise PermissionDenied("只有本场主讲人或组织者可以删除资料。")
    key = material.storage_key
    db.session.delete(material)
    db.session.flush()
    record_event(
        "lecture_material_deleted",
        actor,
        target_type="lecture_session",
        target_id=session.id,
        detail=material.title,
    )
    return key


def is_attendee(user: User, session: LectureSession) -> bool:
    """Registered (not cancelled) or marked present at the session."""
    registered = db.session.scalar(
        select(Registration.id).where(
            Registration.session_id == session.id,
            Registration.user_id == user.id,
            Registration.cancelled_at.is_(None),
        )
    )
    return registered is not None or attendance_of(user.id, session) is not None


def can_read(user: User, material: Material, session: LectureSession) -> bool:
    if not material.attendees_only:
        return True
    return access.can_edit_materials(user, session) or is_attendee(user, session)


@dataclass(frozen=True)
class Download:
    stream: BinaryIO
    filename: str
    mimetype: str


def open_download(user: User, material: Material) -> Download:
    """The stored file, if ``user`` may read it (404 otherwise, so restricted files stay hidden)."""
    session = db.session.get(LectureSession, material.session_id)
    if not material.is_file or not can_read(user, material, session):
        raise NotFound("资料不存在，或仅对本场报名学员开放。")
    kind = ALL[material.file_type]
    return Download(
        stream=get_storage().open(material.storage_key),
        filename=f"{material.title}.{kind.extension}",
        mimetype=kind.mimetype,
    )
