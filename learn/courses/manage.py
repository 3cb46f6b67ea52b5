"""Course management for trainers and admins: write courses in the browser, publish,
archive, export to files, assign to units or people, and the Markdown preview."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from learn.accounts import Role
from learn.core.markdown import render_markdown
from learn.courses import assignments, authoring, services
from learn.courses.forms import AssignForm, CourseForm, LessonForm, QuestionForm
from learn.courses.models import Course, CourseSource, Lesson, Question
from learn.courses.scope import units_in_scope
from learn.errors import LearnError
from learn.extensions import db

bp = Blueprint("courses_manage", __name__, url_prefix="/courses/manage")

PREVIEW_LIMIT = 200_000


@bp.before_request
def trainers_only():
    if not (current_user.has_role(Role.TRAINER) or current_user.has_role(Role.ADMIN)):
        abort(403)


@bp.get("/")
def index():
    courses = list(db.session.scalars(select(Course).order_by(Course.status, Course.title)))
    return render_template(
        "courses/manage/index.html",
        courses=courses,
        completions=services.completion_counts(c.id for c in courses),
        can_edit=lambda c: authoring.can_edit(current_user, c),
    )


def _show_problems(exc: LearnError) -> None:
    db.session.rollback()
    for message in getattr(exc, "problems", [exc.message]):
        flash(message, "error")


def _commit(action, success: str) -> bool:
    """Run ``action``; commit and flash ``success``, or roll back and flash every problem."""
    try:
        action()
    except LearnError as exc:
        _show_problems(exc)
        return False
    db.session.commit()
    flash(success, "success")
    return True


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = authoring.create_course(current_user, form.fields_for_service())
        except LearnError as exc:
            _show_problems(exc)
        else:
            db.session.commit()
            flash("课程草稿已创建，请添加课时和题目，然后发布。", "success")
            return redirect(url_for("courses_manage.course", slug=course.slug))
    return render_template("courses/manage/course_form.html", form=form, course=None)


def _editable(slug: str) -> Course:
    course = services.get_course(slug)
    authoring.require_editable(current_user, course)
    return course


@bp.get("/<slug>")
def course(slug: str):
    found = services.get_course(slug)
    return render_template(
        "courses/manage/course.html",
        course=found,
        can_edit=authoring.can_edit(current_user, found),
        problems=authoring.publish_problems(found),
        unit_assignments=assignments.unit_assignments_of(found),
        assigned_people=assignments.assigned_people(found),
        completions=services.completion_counts([found.id]).get(found.id, 0),
        file_source=found.source == CourseSource.FILE,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    found = _editable(slug)
    form = CourseForm()
    if request.method == "GET":
        form.load(found)
    form.slug.data = found.slug
    if form.validate_on_submit() and _commit(
        lambda: authoring.update_course(current_user, found, form.fields_for_service()),
        "课程已保存。",
    ):
        return redirect(url_for("courses_manage.course", slug=found.slug))
    return render_template("courses/manage/course_form.html", form=form, course=found)


def _lesson_of(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        abort(404)
    return lesson


@bp.route("/<slug>/lessons/new", methods=["GET", "POST"], defaults={"lesson_id": None})
@bp.route("/<slug>/lessons/<int:lesson_id>", methods=["GET", "POST"])
def lesson(slug: str, lesson_id: int | None):
    found = _editable(slug)
    current = _lesson_of(found, lesson_id) if lesson_id else None
    form = LessonForm(obj=current) if request.method == "GET" and current else LessonForm()
    if request.method == "GET" and current:
        form.body.data = current.body_md
    if form.validate_on_submit():
        try:
            authoring.save_lesson(
                current_user,
                found,
                current,
                title=form.title.data,
                minutes=form.minutes.data,
                body=form.body.data,
                position=form.position.data,
            )
        except LearnError as exc:
            _show_problems(exc)
        else:
            db.session.commit()
            flash("课时已保存。", "success")
            return redirect(url_for("courses_manage.course", slug=found.slug))
    return render_template(
        "courses/manage/lesson_form.html", form=form, course=found, lesson=current
    )


@bp.post("/<slug>/lessons/<int:lesson_id>/archive")
def archive_lesson(slug: str, lesson_id: int):
    found = _editable(slug)
    _commit(
        lambda: authoring.archive_lesson(current_user, found, _lesson_of(found, lesson_id)),
        "课时已移除；已有的学习记录仍然保留。",
    )
    return redirect(url_for("courses_manage.course", slug=found.slug))


def _question_of(course: Course, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.course_id != course.id:
        abort(404)
    return question


@bp.route("/<slug>/questions/new", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route("/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def question(slug: str, question_id: int | None):
    found = _editable(slug)
    current = _question_of(found, question_id) if question_id else None
    form = QuestionForm()
    if request.method == "GET" and current:
        form.load(current)
    if form.validate_on_submit() and _commit(
        lambda: authoring.save_question(current_user, found, current, form.as_question()),
        "题目已保存。",
    ):
        return redirect(url_for("courses_manage.course", slug=found.slug, _anchor="questions"))
    return render_template(
        "courses/manage/question_form.html", form=form, course=found, question=current
    )


@bp.post("/<slug>/questions/<int:question_id>/archive")
def archive_question(slug: str, question_id: int):
    found = _editable(slug)
    _commit(
        lambda: authoring.archive_question(current_user, found, _question_of(found, question_id)),
        "题目已移出题库；已提交的测验记录不受影响。",
    )
    return redirect(url_for("courses_manage.course", slug=found.slug, _anchor="questions"))


@bp.post("/<slug>/publish")
def publish(slug: str):
    found = _editable(slug)
    _commit(
        lambda: authoring.publish_course(current_user, found),
        "课程已发布，适用对象现在可以看到并学习。",
    )
    return redirect(url_for("courses_manage.course", slug=found.slug))


@bp.post("/<slug>/archive")
def archive(slug: str):
    found = _editable(slug)
    authoring.archive_course(current_user, found)
    db.session.commit()
    flash("课程已归档；学员的学习记录和学时不受影响。", "success")
    return redirect(url_for("courses_manage.course", slug=found.slug))


@bp.get("/<slug>/export")
def export(slug: str):
    found = services.get_course(slug)
    return Response(
        authoring.export_zip(found),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{found.slug}.zip"'},
    )


@bp.route("/<slug>/assign", methods=["GET", "POST"])
def assign(slug: str):
    found = services.get_course(slug)
    form = AssignForm()
    units = [u for u in units_in_scope(current_user) if not u.is_cluster]
    form.unit_id.choices = [(0, "（不指定单位）")] + [(u.id, u.name) for u in units]
    if form.validate_on_submit():
        usernames = assignments.parse_usernames(form.usernames.data)
        if not form.unit_id.data and not usernames:
            flash("请选择一个单位，或填写至少一个用户名。", "error")
        else:
            try:
                if form.unit_id.data:
                    assignments.assign_to_unit(current_user, found, form.unit_id.data)
                if usernames:
                    assignments.assign_to_people(current_user, found, usernames)
            except LearnError as exc:
                _show_problems(exc)
            else:
                db.session.commit()
                flash("已指定课程，相关人员会收到通知。", "success")
                return redirect(url_for("courses_manage.course", slug=found.slug))
    return render_template("courses/manage/assign.html", form=form, course=found)


@bp.post("/preview")
def preview():
    text = request.form.get("text", "")
    if len(text) > PREVIEW_LIMIT:
        return jsonify(error="内容过长，无法预览。"), 400
    return jsonify(html=render_markdown(text))
