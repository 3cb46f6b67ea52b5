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
