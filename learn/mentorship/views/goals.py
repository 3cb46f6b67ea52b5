"""A goal's page: milestones, tasks with comments, and its progress."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.mentorship.forms import CommentForm, MilestoneForm, ProgressForm, TaskForm
from learn.mentorship.services import agreements, goals
from learn.mentorship.views.base import attempt, bp, load_pairing, pairing_context, run


def _comment_form(task, formdata=True):
    prefix = f"task{task.id}"
    return CommentForm(prefix=prefix) if formdata else CommentForm(prefix=prefix, formdata=None)


def _page(pairing, goal, status=200, **forms):
    progress_form = forms.pop("progress_form", None)
    if progress_form is None:
        progress_form = ProgressForm(formdata=None, mode=goal.progress_mode, percent=goal.percent)
    comment_forms = {t.id: _comment_form(t, formdata=False) for t in goal.tasks}
    comment_forms.update(forms.pop("comment_forms", {}))
    return render_template(
        "mentorship/goal.html",
        **pairing_context(pairing),
        goal=goal,
        milestone_form=forms.get("milestone_form") or MilestoneForm(formdata=None),
        task_form=forms.get("task_form") or TaskForm(formdata=None),
        progress_form=progress_form,
        comment_forms=comment_forms,
    ), status


def _goal(pairing_id: int, goal_id: int):
    pairing = load_pairing(pairing_id)
    return pairing, agreements.get_goal(pairing, goal_id)


def _back(goal, anchor: str = ""):
    return url_for("mentorship.goal", pairing_id=goal.pairing_id, goal_id=goal.id) + anchor


@bp.get("/pairings/<int:pairing_id>/goals/<int:goal_id>")
def goal(pairing_id: int, goal_id: int):
    pairing, goal = _goal(pairing_id, goal_id)
    return _page(pairing, goal)


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/milestones")
def add_milestone(pairing_id: int, goal_id: int):
    pairing, goal = _goal(pairing_id, goal_id)
    form = MilestoneForm()
    if form.validate() and attempt(
        lambda: goals.add_milestone(current_user, goal, form.title.data, form.due_day.data), form
    ):
        flash("里程碑已添加。", "success")
        return redirect(_back(goal, "#milestones"))
    return _page(pairing, goal, 400, milestone_form=form)


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/milestones/<int:milestone_id>/done")
def milestone_done(pairing_id: int, goal_id: int, milestone_id: int):
    _pairing, goal = _goal(pairing_id, goal_id)
    milestone = goals.get_milestone(goal, milestone_id)
    done = request.form.get("done") == "1"
    return run(
        lambda: goals.set_milestone_done(current_user, milestone, done),
        "里程碑已标记为完成。" if done else "里程碑已改回未完成。",
        _back(goal, "#milestones"),
    )


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/tasks")
def add_task(pairing_id: int, goal_id: int):
    pairing, goal = _goal(pairing_id, goal_id)
    form = TaskForm()
    if form.validate() and attempt(
        lambda: goals.add_task(current_user, goal, form.title.data, form.due_on.data), form
    ):
        flash("任务已添加。", "success")
        return redirect(_back(goal, "#tasks"))
    return _page(pairing, goal, 400, task_form=form)


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/tasks/<int:task_id>/done")
def task_done(pairing_id: int, goal_id: int, task_id: int):
    _pairing, goal = _goal(pairing_id, goal_id)
    task = goals.get_task(goal, task_id)
    done = request.form.get("done") == "1"
    return run(
        lambda: goals.set_task_done(current_user, task, done),
        "任务已完成。" if done else "任务已改回未完成。",
        _back(goal, f"#task-{task.id}"),
    )


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/tasks/<int:task_id>/comments")
def comment(pairing_id: int, goal_id: int, task_id: int):
    pairing, goal = _goal(pairing_id, goal_id)
    task = goals.get_task(goal, task_id)
    form = _comment_form(task)
    if form.validate() and attempt(
        lambda: goals.comment_on_task(current_user, task, form.body.data), form
    ):
        flash("评论已发表。", "success")
        return redirect(_back(goal, f"#task-{task.id}"))
    return _page(pairing, goal, 400, comment_forms={task.id: form})


@bp.post("/pairings/<int:pairing_id>/goals/<int:goal_id>/progress")
def progress(pairing_id: int, goal_id: int):
    pairing, goal = _goal(pairing_id, goal_id)
    form = ProgressForm()
    if form.validate() and attempt(
        lambda: goals.set_progress(
            current_user, goal, form.mode.data, form.percent.data, form.note.data or ""
        ),
        form,
    ):
        flash("进度已更新。", "success")
        return redirect(_back(goal, "#progress"))
    return _page(pairing, goal, 400, progress_form=form)
