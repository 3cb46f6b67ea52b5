"""The 师徒帮带 landing page, creating a pairing, its overview, and the trainer's state changes."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from learn.core.timefmt import local_today
from learn.mentorship import access
from learn.mentorship.forms import ExtendForm, NoteForm, PairingForm, ReasonForm
from learn.mentorship.services import dashboard, pairings
from learn.mentorship.settings import setting
from learn.mentorship.states import Event, allowed_events, require_allowed
from learn.mentorship.views.base import attempt, bp, load_pairing, pairing_context


@bp.get("/")
def index():
    """Adapts to the user: a trainer's overview, a mentor's mentees, a mentee's pairing."""
    today = local_today()
    overview = None
    if access.is_trainer(current_user):
        overview = dashboard.build(current_user, today)
    return render_template(
        "mentorship/index.html",
        overview=overview,
        as_mentor=[
            dashboard.pair_row(p, today) for p in pairings.pairings_as_mentor(current_user.id)
        ],
        as_mentee=[
            dashboard.pair_row(p, today) for p in pairings.pairings_as_mentee(current_user.id)
        ],
        capacity=setting("MENTOR_CAPACITY"),
    )


def _prepare(form: PairingForm) -> None:
    capacity = setting("MENTOR_CAPACITY")
    form.mentor_id.choices = [(0, "请选择导师")] + [
        (
            m.id,
            f"{m.name}（{m.unit.name if m.unit else '未分配单位'}，"
            f"已带 {pairings.mentor_load(m.id)}/{capacity}）",
        )
        for m in pairings.mentor_candidates()
    ]
    form.mentee_id.choices = [(0, "请选择学员")] + [
        (u.id, f"{u.name}（{u.unit.name if u.unit else '未分配单位'}）")
        for u in pairings.mentee_candidates(current_user)
    ]


@bp.route("/pairings/new", methods=["GET", "POST"])
def new_pairing():
    if not access.is_trainer(current_user):
        abort(403)
    form = PairingForm()
    _prepare(form)
    created = []
    if form.validate_on_submit() and attempt(
        lambda: created.append(
            pairings.create_pairing(
                current_user,
                form.mentor_id.data,
                form.mentee_id.data,
                form.start_on.data,
                form.end_on.data,
            )
        ),
        form,
    ):
        pairing = created[0]
        flash(
            f"已为{pairing.mentor.name}和{pairing.mentee.name}结对，已通知双方签订帮带协议。",
            "success",
        )
        return redirect(url_for("mentorship.pairing", pairing_id=pairing.id))
    status = 400 if form.is_submitted() else 200
    return render_template("mentorship/pairing_form.html", form=form), status


@bp.get("/pairings/<int:pairing_id>")
def pairing(pairing_id: int):
    pairing = load_pairing(pairing_id)
    return render_template(
        "mentorship/pairing.html",
        **pairing_context(pairing),
        allowed=allowed_events(pairing.state, pairing.end_on, local_today()),
        recent=pairing.meetings[:3],
    )


ACTION_EVENTS = {
    "complete-early": Event.COMPLETE_EARLY,
    "extend": Event.EXTEND,
    "terminate": Event.TERMINATE,
}
STATE_ACTIONS = {
    "complete-early": (
        NoteForm,
        "提前结束帮带期",
        "学员已达到协议目标、提前结束帮带期时使用。帮带期结束后进入期满考核，考核确认后结业；这不是终止。",
        "帮带期已提前结束，请双方进行期满考核。",
    ),
    "extend": (
        ExtendForm,
        "延长帮带期",
        "设定一个新的、更晚的结束日期；已期满待考核的帮带关系将恢复为“进行中”。",
        "帮带期已延长。",
    ),
    "terminate": (
        ReasonForm,
        "终止帮带",
        "因调动、离岗等原因在期满前结束帮带关系。终止后不再进行期满考核，且不可恢复。",
        "帮带关系已终止。",
    ),
}


def _apply_state_action(action: str, pairing, form) -> None:
    if action == "complete-early":
        pairings.complete_early(current_user, pairing, form.note.data or "")
    elif action == "extend":
        pairings.extend(current_user, pairing, form.end_on.data)
    else:
        pairings.terminate(current_user, pairing, form.reason.data)


@bp.route(
    "/pairings/<int:pairing_id>/<any('complete-early', 'extend', 'terminate'):action>",
    methods=["GET", "POST"],
)
def change_state(pairing_id: int, action: str):
    pairing = load_pairing(pairing_id)
    access.require_owner(current_user, pairing)
    require_allowed(pairing, ACTION_EVENTS[action], local_today())
    form_class, title, explanation, success = STATE_ACTIONS[action]
    form = form_class()
    if form.validate_on_submit() and attempt(
        lambda: _apply_state_action(action, pairing, form), form
    ):
        flash(success, "success")
        return redirect(url_for("mentorship.pairing", pairing_id=pairing.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "mentorship/state_form.html",
        **pairing_context(pairing),
        form=form,
        title=title,
        explanation=explanation,
        action=action,
    ), status
