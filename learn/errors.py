"""Errors a person can act on: the LearnError hierarchy and the HTML/JSON handlers."""

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from learn.extensions import db


class LearnError(Exception):
    """A business-rule failure with a Chinese message the user can act on."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(LearnError):
    status = 404


class PermissionDenied(LearnError):
    status = 403


class Conflict(LearnError):
    status = 409


_MESSAGES = {
    400: "请求有误，请检查后重试。",
    401: "请先登录。",
    403: "您没有权限访问此页面。",
    404: "页面不存在或已被移除。",
    405: "不支持该请求方式。",
    413: "上传的文件过大，请压缩后重试。",
    429: "操作过于频繁，请稍后再试。",
    500: "服务器内部错误，请稍后重试；如持续出现请联系系统管理员。",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str):
    """Render an error as JSON for the API and as a Chinese page otherwise."""
    if wants_json():
        return jsonify(error=message), status
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def register_error_handlers(app) -> None:
    @app.errorhandler(LearnError)
    def handle_learn_error(exc: LearnError):
        # The failed request's changes are dropped, and the session is usable
        # again for the error page's own queries (layout, bell) after a failed flush.
        db.session.rollback()
        return error_response(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError):
        return error_response(400, "页面已过期或表单校验失败，请刷新页面后重新提交。")

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        return error_response(status, _MESSAGES.get(status, exc.description or ""))

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return error_response(500, _MESSAGES[500])
