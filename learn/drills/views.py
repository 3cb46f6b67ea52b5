"""Pages of the mock-talk domain: card library, self-practice, groups, sessions, history."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from learn.accounts import Role, roles_required
from learn.content.drills import DIFFICULTIES, TALK_TYPES, simulation_from_data
from learn.core.charts import line_chart
from learn.drills import phases
from learn.drills.access import session_view, visible_assessments
from learn.drills.forms import (
    GroupForm,
    PlanForm,
    QuestionForm,
    SessionForm,
    TranscriptForm,
    assessment_form,
)
from learn.drills.models import DrillRole, Phase
from learn.drills.scoring import LEVEL_LABELS, aggregate
from learn.drills.services import cards, groups, history, practice, sessions
from learn.errors import LearnError
from learn.extensions import db

bp = Blueprint("drills", __name__, url_prefix="/drills")
FACILITATORS = (Role.TRAINER, Role.MENTOR)


# ---------------------------------------------------------------- library and cards


@bp.get("/")
def index():
    talk_type = request.args.get("type", "")
    difficulty = request.args.get("difficulty", "")
    return render_template(
        "drills/index.html",
        cards=cards.active_cards(
            talk_type if talk_type in TALK_TYPES else "",
            difficulty if difficulty in DIFFICULTIES else "",
        ),
        talk_type=talk_type,
        difficulty=difficulty,
        talk_types=TALK_TYPES,
        difficulties=DIFFICULTIES,
        my_sessions=[s for s in sessions.sessions_of(current_user) if s.phase != Phase.CLOSED],
        can_facilitate=groups.can_facilitate(current_user),
    )


@bp.get("/cards/<card_id>")
def card(card_id: str):
    card = cards.get_card(card_id)
    return render_template(
        "drills/card.html",
        card=card,
        completed=cards.has_completed(current_user.id, card.id),
        runs=practice.runs_of(current_user, card.id)[:5],
        level_labels=LEVEL_LABELS,
        my_groups=groups.groups_of(current_user) if groups.can_facilitate(current_user) else [],
    )


# ---------------------------------------------------------------- self-practice


@bp.post("/cards/<card_id>/practice")
def start_practice(card_id: str):
    run = practice.start_run(current_user, cards.get_card(card_id))
    db.session.commit()
    return redirect(url_for("drills.run", run_id=run.id))


def _render_run(run, question_form=None, status=200):
    stale = practice.is_stale(run)
    sim = simulation_from_data(run.card.simulation) if run.card.simulation else None
    node = sim.node(run.node_id) if sim and not run.finished and not stale else None
    ending = sim.ending(run.ending_id) if sim and run.finished else None
    return render_template(
        "drills/run.html",
        run=run,
        sim=sim,
        node=node,
        ending=ending,
        stale=stale,
        last=run.steps[-1] if run.steps else None,
        question_form=question_form or QuestionForm(),
        criteria={item["criterion"]: item for item in run.card.rubric},
        node_by_id={n.id: n for n in sim.nodes} if sim else {},
    ), status


@bp.get("/practice/<int:run_id>")
def run(run_id: int):
    return _render_run(practice.get_run(current_user, run_id))


@bp.post("/practice/<int:run_id>/choose")
def choose(run_id: int):
    run = practice.get_run(current_user, run_id)
    try:
        practice.choose(run, request.form.get("option", ""))
    except LearnError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
    return redirect(url_for("drills.run", run_id=run.id, _anchor="scene"))


@bp.post("/practice/<int:run_id>/ask")
def ask(run_id: int):
    run = practice.get_run(current_user, run_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _render_run(run, form, 400)
    try:
        practice.ask(run, form.question.data)
    except LearnError as exc:
        form.question.errors.append(exc.message)
        return _render_run(run, form, 400)
    db.session.commit()
    return redirect(url_for("drills.run", run_id=run.id, _anchor="scene"))


# ---------------------------------------------------------------- history


@bp.get("/history")
def my_history():
    record = history.history_of(current_user)
    charts = []
    for criterion in record.criteria.values():
        points = record.trend(criterion.id)
        if len(points) >= 2:  # one point is no trend; the table shows it
            charts.append(
                (
                    criterion,
                    line_chart(
                        f"{criterion.name}得分趋势（%）",
                        [history.short_date(when) for when, _ in points],
                        {criterion.name: [float(v) for _, v in points]},
                    ),
                    points,
                )
            )
    return render_template("drills/history.html", record=record, charts=charts)


# ---------------------------------------------------------------- groups


def _member_choices(form: GroupForm) -> list[tuple[str, list]]:
    """Fill the member choices; return the candidates grouped by unit for the page."""
    people = groups.candidate_members()
    form.members.choices = [(u.id, u.name) for u in people]
    by_unit: dict[str, list] = {}
    for person in people:
        by_unit.setdefault(person.unit.name if person.unit else "未分配单位", []).append(person)
    return list(by_unit.items())


@bp.get("/groups")
@roles_required(*FACILITATORS)
def group_list():
    return render_template("drills/groups.html", groups=groups.groups_of(current_user))


@bp.route("/groups/new", methods=["GET", "POST"])
@roles_required(*FACILITATORS)
def new_group():
    form = GroupForm()
    people = _member_choices(form)
    if form.validate_on_submit():
        try:
            group = groups.create_group(current_user, form.name.data, form.members.data)
        except LearnError as exc:
            form.members.errors.append(exc.message)
        else:
            db.session.commit()
            flash("培训小组已建立。", "success")
            return redirect(url_for("drills.group", group_id=group.id))
    status = 400 if form.errors else 200
    return render_template("drills/group_form.html", form=form, people=people, group=None), status


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@roles_required(*FACILITATORS)
def edit_group(group_id: int):
    group = groups.get_group(current_user, group_id)
    form = GroupForm(obj=None if request.method == "POST" else group)
    if request.method == "GET":
        form.members.data = [m.id for m in group.members]
    people = _member_choices(form)
    if form.validate_on_submit():
        try:
            groups.update_group(current_user, group, form.name.data, form.members.data)
        except LearnError as exc:
            form.members.errors.append(exc.message)
        else:
            db.session.commit()
            flash("小组已保存。", "success")
            return redirect(url_for("drills.group", group_id=group.id))
    status = 400 if form.errors else 200
    return render_template("drills/group_form.html", form=form, people=people, group=group), status


@bp.get("/groups/<int:group_id>")
@roles_required(*FACILITATORS)
def group(group_id: int):
    group = groups.get_group(current_user, group_id)
    history_rows = sessions.role_history(group)
    counts = {
        m.id: {
            role: sum(1 for uid, r in history_rows if uid == m.id and r == role)
            for role in DrillRole
        }
        for m in group.members
    }
    return render_template(
        "drills/group.html",
        group=group,
        sessions=sessions.group_sessions(group),
        counts=counts,
        roles=list(DrillRole),
    )


# ---------------------------------------------------------------- sessions


def _session_form(group, facilitator, card_id: str | None) -> SessionForm:
    form = SessionForm()
    member_choices = [(m.id, m.name) for m in group.members]
    form.card.choices = [
        (c.id, f"{c.title}（{c.talk_type}·{c.difficulty}）") for c in cards.active_cards()
    ]
    form.lead.choices = form.recorder.choices = form.subject.choices = member_choices
    form.co_talkers.choices = member_choices
    assessor_choices = list(member_choices)
    if facilitator.id not in {m.id for m in group.members}:
        assessor_choices.append((facilitator.id, f"{facilitator.name}（本人）"))
    form.assessors.choices = assessor_choices
    if request.method == "GET":
        suggestion = sessions.suggest_casting(group, facilitator)
        form.lead.data = suggestion.lead
        form.recorder.data = suggestion.recorder
        form.subject.data = suggestion.subject
        form.assessors.data = list(suggestion.assessors)
        players = [uid for uid in (suggestion.lead, suggestion.recorder, suggestion.subject) if uid]
        suggested = sessions.suggest_card(players)
        form.card.data = card_id or (suggested.id if suggested else None)
    return form


@bp.route("/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@roles_required(*FACILITATORS)
def new_session(group_id: int):
    group = groups.get_group(current_user, group_id)
    form = _session_form(group, current_user, request.args.get("card"))
    if len(group.members) < 3:
        flash("小组成员不足 3 人，无法分配主谈人、记录人和被谈话人扮演者。", "error")
    if form.validate_on_submit():
        casting = sessions.Casting(
            lead=form.lead.data,
            recorder=form.recorder.data,
            subject=form.subject.data,
            assessors=tuple(form.assessors.data),
            co_talkers=tuple(form.co_talkers.data),
        )
        try:
            session = sessions.open_session(
                current_user,
                group,
                cards.get_card(form.card.data),
                casting,
                form.repeat_allowed.data,
            )
        except LearnError as exc:
            form.card.errors.append(exc.message)
        else:
            db.session.commit()
            flash("演练已发起，已通知各参与人。", "success")
            return redirect(url_for("drills.session", session_id=session.id))
    return render_template("drills/session_form.html", form=form, group=group), (
        400 if form.errors else 200
    )


def _render_session(session, forms: dict | None = None, status=200):
    view = session_view(session, current_user)
    forms = forms or {}
    phase = session.phase_enum
    own = sessions.own_assessment(session, current_user)
    if view.role and view.role.is_talker and phase == Phase.PREPARING and "plan" not in forms:
        forms["plan"] = PlanForm(
            formdata=None, talk_plan=session.talk_plan, safety_plan=session.safety_plan
        )
    if view.role == DrillRole.RECORDER and phase == Phase.TALKING and "transcript" not in forms:
        forms["transcript"] = TranscriptForm(formdata=None, transcript=session.transcript)
    if view.role == DrillRole.ASSESSOR and phase == Phase.SCORING and own is None:
        forms.setdefault(
            "assess", assessment_form(session.rubric, session.checklist, formdata=None)
        )
    result = None
    if view.sees_all_scores and session.assessments:
        result = aggregate(session.rubric, session.checklist, session.assessments)
    return render_template(
        "drills/session.html",
        session=session,
        card=session.card,
        view=view,
        forms=forms,
        own=own,
        assessments=visible_assessments(session, current_user),
        result=result,
        facts=sessions.facts(session),
        blockers=phases.blockers(sessions.facts(session)),
        step_label=phases.STEP_LABELS.get(phase),
        level_labels=LEVEL_LABELS,
        Phase=Phase,
        DrillRole=DrillRole,
    ), status


@bp.get("/sessions/<int:session_id>")
def session(session_id: int):
    return _render_session(sessions.get_session(current_user, session_id))


@bp.post("/sessions/<int:session_id>/plan")
def submit_plan(session_id: int):
    session = sessions.get_session(current_user, session_id, for_update=True)
    sessions.check_allowed("plan", session, current_user)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            sessions.submit_plan(current_user, session, form.talk_plan.data, form.safety_plan.data)
        except LearnError as exc:
            form.talk_plan.errors.append(exc.message)
        else:
            db.session.commit()
            flash("谈话方案和安全预案已提交。", "success")
            return redirect(url_for("drills.session", session_id=session.id))
    return _render_session(session, {"plan": form}, 400)


@bp.post("/sessions/<int:session_id>/transcript")
def save_transcript(session_id: int):
    session = sessions.get_session(current_user, session_id, for_update=True)
    sessions.check_allowed("transcript", session, current_user)
    form = TranscriptForm()
    if form.validate_on_submit():
        try:
            sessions.save_transcript(current_user, session, form.transcript.data or "")
        except LearnError as exc:
            form.transcript.errors.append(exc.message)
        else:
            db.session.commit()
            flash("笔录已保存。", "success")
            return redirect(
                url_for("drills.session", session_id=session.id, _anchor="transcript-section")
            )
    return _render_session(session, {"transcript": form}, 400)


@bp.post("/sessions/<int:session_id>/assess")
def assess(session_id: int):
    session = sessions.get_session(current_user, session_id, for_update=True)
    sessions.check_allowed("assess", session, current_user)
    if sessions.own_assessment(session, current_user):
        flash("您已提交过评分，提交后不能修改。", "error")
        return redirect(url_for("drills.session", session_id=session.id))
    form = assessment_form(session.rubric, session.checklist)
    if form.validate_on_submit():
        levels = {
            item["criterion"]: int(form[f"level_{item['criterion']}"].data)
            for item in session.rubric
        }
        ticked = {item["id"] for item in session.checklist if form[f"check_{item['id']}"].data}
        try:
            sessions.submit_assessment(current_user, session, ticked, levels, form.comments.data)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash("您已提交过评分，提交后不能修改。", "error")
        except LearnError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash("评分已提交。全部评分人提交、组织者发布后，结果对所有参与人公开。", "success")
        return redirect(url_for("drills.session", session_id=session_id))
    return _render_session(session, {"assess": form}, 400)


@bp.post("/sessions/<int:session_id>/advance")
def advance(session_id: int):
    session = sessions.get_session(current_user, session_id, for_update=True)
    sessions.require_facilitator(current_user, session)
    try:
        phase = sessions.advance(current_user, session)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"演练已进入“{phase.label}”阶段。", "success")
    return redirect(url_for("drills.session", session_id=session_id))
