"""我的学时 (hours against each quota, what is still required, the full ledger),
printable documents, and the verification page trainers use to check a code."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from learn.accounts import Role, roles_required
from learn.core.timefmt import local_today
from learn.errors import LearnError
from learn.extensions import db, limiter
from learn.ledger import certificates
from learn.ledger.summary import ledger_context, year_choices

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

VERIFIER_ROLES = (Role.TRAINER, Role.LEADER, Role.ADMIN)


def selected_year(years: list[int]) -> int:
    """The ``year`` query argument when it is one of ``years``, else this year."""
    year = request.args.get("year", type=int)
    return year if year in years else local_today().year


@bp.get("/")
def mine():
    years = year_choices(current_user.id)
    year = selected_year(years)
    return render_template(
        "ledger/mine.html",
        years=years,
        documents=certificates.documents_for(current_user.id),
        **ledger_context(current_user, year),
    )


@bp.post("/statements")
def issue_statement():
    year = request.form.get("year", type=int)
    if year not in year_choices(current_user.id):
        raise LearnError("请选择有效的年度后再生成学时证明。")
    document = certificates.issue_year_statement(current_user, year)
    db.session.commit()
    return redirect(url_for("ledger.document", code=document.code))


@bp.get("/documents/<code>")
def document(code: str):
    found = certificates.own_document(current_user, code)
    return render_template(
        f"ledger/document_{found.kind}.html",
        document=found,
        superseded=certificates.superseded_by(found),
    )


@bp.get("/verify")
@roles_required(*VERIFIER_ROLES)
@limiter.limit("30 per minute")
def verify():
    code = request.args.get("code", "").strip()[:40]
    found = error = superseded = None
    if code:
        try:
            found = certificates.get_document(code)
            superseded = certificates.superseded_by(found)
        except LearnError as exc:
            error = exc.message
    return render_template(
        "ledger/verify.html", code=code, document=found, superseded=superseded, error=error
    )
