"""Work on agreement goals while the pairing is open: milestones, tasks, comments, progress."""

from datetime import date

from learn.core.db import utcnow
from learn.core.timefmt import local_today
from learn.errors import Conflict, LearnError, NotFound
from learn.extensions import db
from learn.mentorship import access
from learn.mentorship.models import (
    GoalProgressNote,
    MentorMilestone,
    MentorTask,
    ProgressMode,
    TaskComment,
)
from learn.mentorship.states import OPEN_STATES

MAX_DUE_DAY = 3 * 366


def _require_open(pairing) -> None:
    if pairing.state_on(local_today()) not in OPEN_STATES:
        raise Conflict("帮带关系已结束，目标、任务和里程碑不能再修改。")


def add_milestone(user, goal, title: str, due_day: int) -> MentorMilestone:
    """Add a milestone due ``due_day`` days after the pairing's start (mentor only)."""
    access.require_mentor(user, goal.pairing)
    _require_open(goal.pairing)
    if not title.strip():
        raise LearnError("请填写里程碑内容。")
    if not 0 <= due_day <= MAX_DUE_DAY:
        raise LearnError(f"里程碑须在帮带开始后 0–{MAX_DUE_DAY} 天之内。")
    milestone = MentorMilestone(title=title.strip(), due_day=due_day)
    goal.milestones.append(milestone)
    db.session.flush()
    return milestone


def get_milestone(goal, milestone_id: int) -> MentorMilestone:
    milestone = db.session.get(MentorMilestone, milestone_id)
    if milestone is None or milestone.goal_id != goal.id:
        raise NotFound("里程碑不存在。")
    return milestone


def set_milestone_done(user, milestone, done: bool) -> None:
    access.require_mentor(user, milestone.goal.pairing)
    _require_open(milestone.goal.pairing)
    milestone.done_at = utcnow() if done else None
    db.session.flush()


def add_task(user, goal, title: str, due_on: date | None) -> MentorTask:
    """Add a task to a goal (mentor or mentee)."""
    access.require_party(user, goal.pairing)
    _require_open(goal.pairing)
    if not title.strip():
        raise LearnError("请填写任务内容。")
    task = MentorTask(title=title.strip(), due_on=due_on, created_by_id=user.id)
    goal.tasks.append(task)
    db.session.flush()
    return task


def get_task(goal, task_id: int) -> MentorTask:
    task = db.session.get(MentorTask, task_id)
    if task is None or task.goal_id != goal.id:
        raise NotFound("任务不存在。")
    return task


def set_task_done(user, task, done: bool) -> None:
    access.require_party(user, task.goal.pairing)
    _require_open(task.goal.pairing)
    task.done_at = utcnow() if done else None
    db.session.flush()


def comment_on_task(user, task, body: str) -> TaskComment:
    access.require_party(user, task.goal.pairing)
    _require_open(task.goal.pairing)
    if not body.strip():
        raise LearnError("请填写评论内容。")
    comment = TaskComment(author_id=user.id, body=body.strip())
    task.comments.append(comment)
    db.session.flush()
    return comment


def set_progress(user, goal, mode: str, percent: int | None, note: str) -> None:
    """Choose how progress is measured; a manual figure needs a note saying what it rests on."""
    access.require_mentor(user, goal.pairing)
    _require_open(goal.pairing)
    if mode == ProgressMode.TASKS:
        goal.progress_mode = ProgressMode.TASKS
    elif mode == ProgressMode.MANUAL:
        if percent is None or not 0 <= percent <= 100:
            raise LearnError("进度须为 0–100 之间的整数。")
        if not note.strip():
            raise LearnError("手工设定进度时，请写明依据。")
        goal.progress_mode = ProgressMode.MANUAL
        goal.manual_percent = percent
        goal.progress_notes.append(
            GoalProgressNote(percent=percent, note=note.strip(), author_id=user.id)
        )
    else:
        raise LearnError("请选择进度计算方式。")
    db.session.flush()
