"""Audit events."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learn.core.db import utcnow
from learn.extensions import db

ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "account_locked": "账号锁定",
    "account_unlocked": "解除锁定",
    "logout": "退出登录",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "roles_changed": "角色变更",
    "user_created": "创建用户",
    "user_updated": "修改用户",
    "users_imported": "导入用户",
    "token_created": "创建令牌",
    "token_revoked": "吊销令牌",
    "unit_created": "创建单位",
    "unit_updated": "修改单位",
    "leader_links_changed": "挂联单位变更",
    "case_search": "案例检索",
    "search_vocabulary_changed": "修改检索词库",
    "search_rebuild_requested": "请求重建检索索引",
    "courses_synced": "同步课程文件",
    "course_created": "创建课程",
    "course_updated": "修改课程",
    "course_published": "发布课程",
    "course_archived": "归档课程",
    "course_assigned": "指定课程",
    "report_exported": "导出培训报表",
    "mentorship_exported": "导出帮带台账",
    "mentor_pairing_created": "师徒结对",
    "mentor_agreement_signed": "签订帮带协议",
    "mentor_meeting_logged": "记录帮带见面",
    "mentor_pairing_completed_early": "提前结束帮带期",
    "mentor_pairing_extended": "延长帮带期",
    "mentor_pairing_terminated": "终止帮带",
    "mentor_review_confirmed": "确认期满考核",
    "case_viewed": "阅读案例",
    "case_created": "新建案例",
    "case_edited": "修改案例",
    "case_submitted": "提交案例审核",
    "case_approved": "审核通过并发布案例",
    "case_returned": "退回案例",
    "case_withdrawn": "撤回案例",
    "case_access_changed": "案例阅读范围变更",
    "case_exported": "导出案例",
    "cases_imported": "导入案例",
    "lecture_series_created": "创建讲堂系列",
    "lecture_series_updated": "修改讲堂系列",
    "lecture_session_created": "安排讲座",
    "lecture_session_updated": "修改讲座",
    "lecture_session_cancelled": "取消讲座",
    "lecture_session_held": "确认讲座已举办",
    "lecture_topic_submitted": "提交讲座选题",
    "lecture_attendance_marked": "登记讲座考勤",
    "lecture_material_added": "上传讲座资料",
    "lecture_material_deleted": "删除讲座资料",
    "lecture_rota_created": "创建轮值安排",
    "lecture_rota_published": "发布轮值表",
    "lecture_rota_swapped": "调换轮值",
    "lecture_feed_created": "生成日历订阅地址",
    "lecture_feed_revoked": "作废日历订阅地址",
    "drill_cards_synced": "同步模拟谈话案例卡",
    "drill_group_created": "建立模拟谈话小组",
    "drill_group_updated": "修改模拟谈话小组",
    "drill_session_opened": "发起模拟谈话演练",
    "drill_phase_talking": "模拟谈话开始谈话",
    "drill_phase_scoring": "模拟谈话进入评分",
    "drill_phase_review": "发布模拟谈话评分结果",
    "drill_phase_closed": "结束模拟谈话演练",
}


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    username: Mapped[str] = mapped_column(String(32), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(80), default="", index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)
