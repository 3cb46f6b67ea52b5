"""Demo loader: import and publish the bundled case library, restrict one case to named
readers, and leave one case waiting on the review desk. Idempotent."""

from pathlib import Path

from learn.accounts import services as accounts
from learn.cases import services
from learn.cases.library import check_files
from learn.cases.models import CaseStudy
from learn.extensions import db

RESTRICTED_CASE = "zhiji-zhifa-2023-01"
RESTRICTED_READERS = ("lingdao",)
PENDING_CASE = Path(__file__).parent / "demo_content" / "jiuzhu-shenpi-2025-01.md"


def load_demo_cases(app, echo) -> None:
    admin = accounts.get_user_by_username("admin")
    report = check_files([Path(app.config["CASES_DIR"])], app.config["CASES_EXTRA_DOMAINS"])
    if report.errors:
        for error in report.errors:
            echo(str(error))
        echo("案例库文件有问题，未载入示例案例。")
        return
    result = services.import_cases(admin, report.cases, publish=True, checked=True)
    echo(f"案例库：新增 {len(result.created)} 个，发布 {len(result.published)} 个。")
    _restrict_one(admin)
    _pending_review()


def _restrict_one(admin) -> None:
    case = db.session.get(CaseStudy, RESTRICTED_CASE)
    if case is None or case.restricted:
        return
    readers = [accounts.get_user_by_username(name) for name in RESTRICTED_READERS]
    services.set_access(admin, case, True, [u.id for u in readers if u is not None])


def _pending_review() -> None:
    editor = accounts.get_user_by_username("bianji")
    pending = check_files([PENDING_CASE]).cases
    if editor is None or not pending or db.session.get(CaseStudy, pending[0].id) is not None:
        return
    case = services.create_case(editor, pending[0], "新建")
    services.submit_case(editor, case)
