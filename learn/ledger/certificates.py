"""Printable documents with a verification code: course certificates and yearly 学时证明.

A document is a stored snapshot found by an unguessable code; a trainer types
the code on the verification page and sees what the document certified when
it was issued, and whether a newer statement for the same year replaced it.
"""

import base64
import re
import secrets
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from learn.core.timefmt import format_date
from learn.errors import NotFound
from learn.extensions import db
from learn.ledger.models import Certificate, DocumentKind
from learn.ledger.quotas import quota_status
from learn.ledger.services import entries_for

CODE_BYTES = 10  # 80 bits: 16 base32 characters


def new_code() -> str:
    """A random code like ``K7QF-2MZX-91AB-C3DE`` (base32, grouped for reading aloud)."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalize_code(text: str) -> str:
    """Accept lower case, spaces or missing dashes as typed by a person."""
    raw = re.sub(r"[^A-Z2-7]", "", (text or "").upper())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _latest(user_id: int, kind: str, source_id: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate)
        .where(
            Certificate.user_id == user_id,
            Certificate.kind == kind,
            Certificate.source_id == source_id,
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )


def _issue(user, kind: DocumentKind, source_id: str, title: str, hours, detail: dict):
    certificate = Certificate(
        code=new_code(),
        kind=kind,
        user_id=user.id,
        source_id=source_id,
        title=title[:200],
        hours=Decimal(str(hours)).quantize(Decimal("0.1")),
        detail=detail,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _holder(user) -> dict:
    return {
        "name": user.name,
        "unit": user.unit.name if user.unit else "",
        "position": user.position or "",
        "rank_band": user.rank_band,
    }


def issue_course_certificate(
    user,
    source_id: str,
    title: str,
    hours,
    completed_at: datetime,
    training_type: str = "",
    *,
    with_quiz: bool = False,
) -> Certificate:
    """The completion certificate of one course; issued once, later calls return it."""
    found = _latest(user.id, DocumentKind.COURSE, source_id)
    if found is not None:
        return found
    detail = {
        **_holder(user),
        "course_title": title,
        "training_type": training_type,
        "completed_on": format_date(completed_at),
        "with_quiz": with_quiz,
    }
    return _issue(user, DocumentKind.COURSE, source_id, title, hours, detail)


def _statement_detail(user, year: int) -> dict:
    status = quota_status(user, year)
    entries = entries_for(user.id, range(year, year + 1))
    return {
        **_holder(user),
        "year": year,
        "year_total": str(status.year_total),
        "online": str(status.online),
        "online_required": str(status.online_required),
        "window": [status.window.start, status.window.stop - 1],
        "window_total": str(status.total),
        "required": str(status.required),
        "met": status.met,
        "entries": [
            {
                "date": format_date(e.credited_at),
                "source": e.source_label,
                "title": e.title,
                "hours": str(e.hours),
                "online": e.online,
            }
            for e in reversed(entries)
        ],
    }


def issue_year_statement(user, year: int) -> Certificate:
    """The 学时证明 of ``year``; reissued with a new code only when the ledger changed."""
    detail = _statement_detail(user, year)
    found = _latest(user.id, DocumentKind.YEAR, str(year))
    if found is not None and found.detail == detail:
        return found
    title = f"{year}年度干部教育培训学时证明"
    return _issue(user, DocumentKind.YEAR, str(year), title, detail["year_total"], detail)


def get_document(code: str) -> Certificate:
    """The document with ``code``, or NotFound with a message a verifier can act on."""
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.code == normalize_code(code))
    )
    if certificate is None:
        raise NotFound("没有找到该验证码对应的证书或学时证明，请核对验证码是否输入正确。")
    return certificate


def own_document(user, code: str) -> Certificate:
    """One of ``user``'s own documents; anyone else's is reported as not found."""
    certificate = get_document(code)
    if certificate.user_id != user.id:
        raise NotFound("证书不存在。")
    return certificate


def superseded_by(certificate: Certificate) -> Certificate | None:
    """The newer document of the same kind and source, when one was issued later."""
    latest = _latest(certificate.user_id, certificate.kind, certificate.source_id)
    return latest if latest is not None and latest.id != certificate.id else None


def documents_for(user_id: int) -> list[Certificate]:
    """A cadre's documents, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def find_document(user_id: int, kind: str, source_id: str) -> Certificate | None:
    """The latest document of a kind for one source (a course slug or a year)."""
    return _latest(user_id, kind, source_id)
