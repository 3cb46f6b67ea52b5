"""Who may use each route, per role and per object: the declared authorization policy.

One entry per URL rule and method, grouped by blueprint. ``route(method, rule, endpoint,
allowed roles, reason, other=(roles, reason), …)``: the roles are allowed on the default
objects (the role accounts' own unit, pairing, attempt …); each keyword names objects owned
by someone else (see ``policy_model.SCENES``) and who may still use the route on them.
Everyone not listed is refused: 403, or 404 where a domain hides that an object exists,
and the login page (401 on the API) for anonymous users.

``test_authorization_matrix`` checks every entry against the running app; a route
without an entry fails it. ``python -m tests.security.route_policy`` prints the table
that docs/security.md carries.
"""

from tests.security.policy_model import (
    EVERYONE,
    NOBODY,
    ROLES,
    SCENES,
    STAFF,
    Entry,
    only,
    route,
)

ADMIN = only("admin")
CASE_DESK = only("editor", "reviewer", "admin")  # 案例编辑, 案例审核, 系统管理员
CASE_WRITERS = only("editor", "reviewer")
CASE_GATE = only("reviewer", "admin")  # restrict, name readers, withdraw
REVIEWER = only("reviewer")
TRAINERS = only("trainer", "admin")
PAIR = only("learner", "mentor")  # the pairing's mentee and mentor
PAIR_AND_OWNER = only("learner", "mentor", "trainer", "admin")  # + the mentee unit's trainer
SCOPED = only("trainer", "leader", "admin")  # their units' people (admin: all)


def any_case(method: str, rule: str, endpoint: str, allowed: frozenset[str], why: str) -> Entry:
    """The case desk works on every case alike: published, restricted or unpublished."""
    same = (allowed, "same")
    return route(method, rule, endpoint, allowed, why, restricted=same, draft=same)


def any_course(method: str, rule: str, endpoint: str) -> Entry:
    """Any trainer may view, export and assign any course (to their own units)."""
    why = "any trainer (assignment limited to their units)"
    same = (TRAINERS, "same")
    return route(method, rule, endpoint, TRAINERS, why, web=same, other_web=same)


def authored(method: str, rule: str, endpoint: str) -> Entry:
    """Changing a course: only browser courses, by their author or an admin."""
    return route(
        method,
        rule,
        endpoint,
        NOBODY,
        "a course from content files: edit the files",
        web=(TRAINERS, "its author, or an admin"),
        other_web=(ADMIN, "not its author: admin only"),
    )


def group_owner(method: str, rule: str, endpoint: str) -> Entry:
    other = (NOBODY, "another facilitator's group: not found")
    return route(method, rule, endpoint, only("trainer"), "the group's owner", other=other)


def drill_session(method, rule, endpoint, allowed, why, data=None) -> Entry:
    other = (NOBODY, "not a participant: not found")
    return route(method, rule, endpoint, allowed, why, data=data, other=other)


def own_object(method: str, rule: str, endpoint: str, what: str) -> Entry:
    """Something personal of the learner's; anyone else's is not found, even for an admin."""
    other = (NOBODY, f"someone else's {what}: not found")
    return route(method, rule, endpoint, only("learner"), f"the {what}'s owner", other=other)


def org_wide(method: str, rule: str, endpoint: str, why: str) -> Entry:
    """Lecture pages every cadre uses, on any unit's series."""
    return route(method, rule, endpoint, STAFF, why, other=(STAFF, "same"))


def series_manager(method: str, rule: str, endpoint: str) -> Entry:
    other = (ADMIN, "another unit's series: admin only")
    why = "trainers of the owning unit (and below), admins"
    return route(method, rule, endpoint, TRAINERS, why, other=other)


def feedback_results(method: str, rule: str, endpoint: str) -> Entry:
    other = (only("leader", "admin"), "a county leader's own unit covers unit B")
    why = "managers, speakers, leaders over the unit"
    return route(method, rule, endpoint, SCOPED, why, other=other)


def pairing(method: str, tail: str, endpoint: str, allowed, why: str, data=None) -> Entry:
    """A route under one pairing; among the role accounts only an admin reaches another
    mentor's pairing at all (the rest get 404)."""
    other = ADMIN & allowed
    why_other = "another mentor's pairing: admin only" if other else "another mentor's pairing"
    rule = f"/mentorship/pairings/<int:pairing_id>{tail}"
    return route(method, rule, endpoint, allowed, why, data=data, other=(other, why_other))


ACCOUNTS = [
    route("GET", "/login", "accounts.login", EVERYONE, "public; logged-in users are sent home"),
    route("POST", "/login", "accounts.login", EVERYONE, "public, throttled"),
    route("POST", "/logout", "accounts.logout", STAFF, "own session"),
    route("GET", "/account", "accounts.account", STAFF, "own account"),
    route("GET", "/account/password", "accounts.change_password", STAFF, "own password"),
    route("POST", "/account/password", "accounts.change_password", STAFF, "own password"),
    route("POST", "/account/tokens", "accounts.create_token", STAFF, "own API tokens"),
    own_object("POST", "/account/tokens/<int:token_id>/revoke", "accounts.revoke_token", "token"),
]

ACCOUNTS_API = [
    route("GET", "/api/v1/me", "accounts_api.me", STAFF, "own profile"),
]

ADMIN_PAGES = [
    route("GET", "/admin/", "admin.index", ADMIN, "administration"),
    route("GET", "/admin/users", "admin.users", ADMIN, "accounts"),
    route("GET", "/admin/users/new", "admin.new_user", ADMIN, "accounts"),
    route("POST", "/admin/users/new", "admin.new_user", ADMIN, "accounts"),
    route("GET", "/admin/users/<int:user_id>", "admin.edit_user", ADMIN, "accounts, roles"),
    route("POST", "/admin/users/<int:user_id>", "admin.edit_user", ADMIN, "accounts, roles"),
    route("POST", "/admin/users/<int:user_id>/password", "admin.reset_password", ADMIN, "reset"),
    route("POST", "/admin/users/<int:user_id>/unlock", "admin.unlock_user", ADMIN, "lockout"),
    route("GET", "/admin/units", "admin.units", ADMIN, "org units"),
    route("GET", "/admin/units/new", "admin.edit_unit", ADMIN, "org units"),
    route("POST", "/admin/units/new", "admin.edit_unit", ADMIN, "org units"),
    route("GET", "/admin/units/<int:unit_id>", "admin.edit_unit", ADMIN, "org units"),
    route("POST", "/admin/units/<int:unit_id>", "admin.edit_unit", ADMIN, "org units"),
    route("GET", "/admin/audit", "admin.audit", ADMIN, "audit log"),
]

CASES = [
    route(
        "GET", "/cases/", "cases.index", STAFF, "published cases; restricted ones only if readable"
    ),
    route(
        "GET",
        "/cases/<case_id>",
        "cases.detail",
        STAFF,
        "published: every cadre",
        restricted=(
            only("learner", "editor", "reviewer", "admin"),
            "named readers and the case desk",
        ),
        draft=(CASE_DESK, "the case desk only"),
    ),
]

CASE_DESK_PAGES = [
    route("GET", "/cases/desk", "case_desk.desk", CASE_DESK, "the case desk"),
    route("GET", "/cases/new", "case_desk.new", CASE_WRITERS, "editors write cases"),
    route("POST", "/cases/new", "case_desk.new", CASE_WRITERS, "editors write cases"),
    any_case("GET", "/cases/<case_id>/edit", "case_desk.edit", CASE_WRITERS, "editors, reviewers"),
    any_case("POST", "/cases/<case_id>/edit", "case_desk.edit", CASE_WRITERS, "editors, reviewers"),
    any_case("GET", "/cases/<case_id>/fix", "case_desk.fix", CASE_WRITERS, "anonymization fixes"),
    any_case("POST", "/cases/<case_id>/fix", "case_desk.fix", CASE_WRITERS, "anonymization fixes"),
    any_case("POST", "/cases/<case_id>/submit", "case_desk.submit", CASE_WRITERS, "to review"),
    any_case("GET", "/cases/<case_id>/review", "case_desk.review", REVIEWER, "reviewers decide"),
    any_case("POST", "/cases/<case_id>/review", "case_desk.review", REVIEWER, "reviewers decide"),
    any_case("GET", "/cases/<case_id>/history", "case_desk.history", CASE_DESK, "revisions"),
    any_case(
        "GET", "/cases/<case_id>/history/<int:number>", "case_desk.revision", CASE_DESK, "revisions"
    ),
    any_case("GET", "/cases/<case_id>/access", "case_desk.access", CASE_GATE, "name readers"),
    any_case("POST", "/cases/<case_id>/access", "case_desk.access", CASE_GATE, "name readers"),
    any_case("GET", "/cases/<case_id>/viewers", "case_desk.viewers", CASE_GATE, "who read it"),
    any_case("POST", "/cases/<case_id>/withdraw", "case_desk.withdraw", CASE_GATE, "unpublish"),
]

CASES_API = [
    route("GET", "/api/v1/cases", "cases_api.list_cases", STAFF, "as the case list"),
    route(
        "GET",
        "/api/v1/cases/<case_id>",
        "cases_api.get_case",
        STAFF,
        "as the case page",
        restricted=(
            only("learner", "editor", "reviewer", "admin"),
            "named readers and the case desk",
        ),
        draft=(CASE_DESK, "the case desk only"),
    ),
    route("POST", "/api/v1/cases", "cases_api.create", CASE_WRITERS, "editors write cases"),
    route("POST", "/api/v1/cases/check", "cases_api.check", CASE_WRITERS, "anonymization check"),
    any_case("PUT", "/api/v1/cases/<case_id>", "cases_api.update", CASE_WRITERS, "as edit page"),
    any_case("POST", "/api/v1/cases/<case_id>/submit", "cases_api.submit", CASE_WRITERS, "review"),
    any_case("POST", "/api/v1/cases/<case_id>/approve", "cases_api.approve", REVIEWER, "publish"),
    any_case("POST", "/api/v1/cases/<case_id>/return", "cases_api.return_", REVIEWER, "send back"),
    any_case(
        "POST", "/api/v1/cases/<case_id>/withdraw", "cases_api.withdraw", CASE_GATE, "unpublish"
    ),
]

COURSES = [
    route("GET", "/courses/", "courses.mine", STAFF, "own courses"),
    route("GET", "/courses/catalogue", "courses.catalogue", STAFF, "published courses"),
    route("GET", "/courses/<slug>", "courses.detail", STAFF, "published course"),
    route("POST", "/courses/<slug>/enroll", "courses.enroll", STAFF, "enrol oneself"),
    route("GET", "/courses/<slug>/lessons/<key>", "courses.lesson", STAFF, "published lesson"),
    route("POST", "/courses/<slug>/lessons/<key>/done", "courses.lesson_done", STAFF, "own"),
    route("POST", "/courses/<slug>/quiz", "courses.start_quiz", STAFF, "own quiz attempt"),
    own_object("GET", "/courses/<slug>/quiz/<int:attempt_id>", "courses.attempt", "quiz attempt"),
    own_object("POST", "/courses/<slug>/quiz/<int:attempt_id>", "courses.attempt", "quiz attempt"),
]

COURSES_MANAGE = [
    route("GET", "/courses/manage/", "courses_manage.index", TRAINERS, "course management"),
    route("GET", "/courses/manage/new", "courses_manage.new", TRAINERS, "write a course"),
    route("POST", "/courses/manage/new", "courses_manage.new", TRAINERS, "write a course"),
    route("POST", "/courses/manage/preview", "courses_manage.preview", TRAINERS, "preview"),
    any_course("GET", "/courses/manage/<slug>", "courses_manage.course"),
    any_course("GET", "/courses/manage/<slug>/export", "courses_manage.export"),
    any_course("GET", "/courses/manage/<slug>/assign", "courses_manage.assign"),
    any_course("POST", "/courses/manage/<slug>/assign", "courses_manage.assign"),
    authored("GET", "/courses/manage/<slug>/edit", "courses_manage.edit"),
    authored("POST", "/courses/manage/<slug>/edit", "courses_manage.edit"),
    authored("POST", "/courses/manage/<slug>/publish", "courses_manage.publish"),
    authored("POST", "/courses/manage/<slug>/archive", "courses_manage.archive"),
    authored("GET", "/courses/manage/<slug>/lessons/new", "courses_manage.lesson"),
    authored("POST", "/courses/manage/<slug>/lessons/new", "courses_manage.lesson"),
    authored("GET", "/courses/manage/<slug>/lessons/<int:lesson_id>", "courses_manage.lesson"),
    authored("POST", "/courses/manage/<slug>/lessons/<int:lesson_id>", "courses_manage.lesson"),
    authored(
        "POST",
        "/courses/manage/<slug>/lessons/<int:lesson_id>/archive",
        "courses_manage.archive_lesson",
    ),
    authored("GET", "/courses/manage/<slug>/questions/new", "courses_manage.question"),
    authored("POST", "/courses/manage/<slug>/questions/new", "courses_manage.question"),
    authored(
        "GET", "/courses/manage/<slug>/questions/<int:question_id>", "courses_manage.question"
    ),
    authored(
        "POST", "/courses/manage/<slug>/questions/<int:question_id>", "courses_manage.question"
    ),
    authored(
        "POST",
        "/courses/manage/<slug>/questions/<int:question_id>/archive",
        "courses_manage.archive_question",
    ),
]

FACILITATORS = only("mentor", "trainer")
PARTICIPANTS = only("learner", "mentor", "trainer", "leader")  # lead, recorder, host, assessor
PREPARING = "(the world's session is still preparing)"
DRILLS = [
    route("GET", "/drills/", "drills.index", STAFF, "cards and own sessions"),
    route("GET", "/drills/history", "drills.my_history", STAFF, "own record"),
    route("GET", "/drills/cards/<card_id>", "drills.card", STAFF, "scenario card"),
    route("POST", "/drills/cards/<card_id>/practice", "drills.start_practice", STAFF, "own run"),
    own_object("GET", "/drills/practice/<int:run_id>", "drills.run", "practice run"),
    own_object("POST", "/drills/practice/<int:run_id>/choose", "drills.choose", "practice run"),
    own_object("POST", "/drills/practice/<int:run_id>/ask", "drills.ask", "practice run"),
    route("GET", "/drills/groups", "drills.group_list", FACILITATORS, "own groups"),
    route("GET", "/drills/groups/new", "drills.new_group", FACILITATORS, "facilitators"),
    route("POST", "/drills/groups/new", "drills.new_group", FACILITATORS, "facilitators"),
    group_owner("GET", "/drills/groups/<int:group_id>", "drills.group"),
    group_owner("GET", "/drills/groups/<int:group_id>/edit", "drills.edit_group"),
    group_owner("POST", "/drills/groups/<int:group_id>/edit", "drills.edit_group"),
    group_owner("GET", "/drills/groups/<int:group_id>/sessions/new", "drills.new_session"),
    group_owner("POST", "/drills/groups/<int:group_id>/sessions/new", "drills.new_session"),
    drill_session(
        "GET",
        "/drills/sessions/<int:session_id>",
        "drills.session",
        PARTICIPANTS,
        "facilitator and participants (blind parts by role)",
    ),
    drill_session(
        "POST",
        "/drills/sessions/<int:session_id>/advance",
        "drills.advance",
        only("trainer"),
        "the facilitator",
    ),
    drill_session(
        "POST",
        "/drills/sessions/<int:session_id>/plan",
        "drills.submit_plan",
        only("learner", "mentor"),
        "the talkers (lead, recorder)",
    ),
    drill_session(
        "POST",
        "/drills/sessions/<int:session_id>/transcript",
        "drills.save_transcript",
        NOBODY,
        f"the recorder, during the talk {PREPARING}",
    ),
    drill_session(
        "POST",
        "/drills/sessions/<int:session_id>/assess",
        "drills.assess",
        NOBODY,
        f"assessors, while scoring {PREPARING}",
    ),
]

DRILLS_API = [
    drill_session(
        "GET",
        "/api/v1/drills/sessions/<int:session_id>",
        "drills_api.session_status",
        PARTICIPANTS,
        "as the session page; scores blind",
    ),
    drill_session(
        "POST",
        "/api/v1/drills/sessions/<int:session_id>/transcript",
        "drills_api.save_transcript",
        NOBODY,
        f"the recorder, during the talk {PREPARING}",
        data={"transcript": "问：请讲讲经过。"},
    ),
]

GUIDANCE = [
    route("GET", "/guidance/", "guidance.index", only("leader"), "挂联指导: the linked units"),
    route(
        "GET",
        "/guidance/units/<int:unit_id>",
        "guidance.unit",
        only("leader"),
        "a linked unit",
        other=(NOBODY, "a unit not linked to the leader: not found"),
    ),
    route(
        "POST",
        "/guidance/units/<int:unit_id>",
        "guidance.unit",
        only("leader"),
        "log a visit to a linked unit",
        other=(NOBODY, "a unit not linked to the leader: not found"),
    ),
    route(
        "POST",
        "/guidance/units/<int:unit_id>/visits/<int:visit_id>/delete",
        "guidance.delete_visit",
        only("leader"),
        "a visit to a linked unit",
        other=(NOBODY, "another leader's unit: not found"),
    ),
]

HOME = [
    route("GET", "/healthz", "home.healthz", EVERYONE, "public health check"),
    route("GET", "/", "home.index", STAFF, "own home page"),
    route("GET", "/notifications", "home.notifications", STAFF, "own notifications"),
    route("POST", "/notifications/read-all", "home.read_all_notifications", STAFF, "own"),
    own_object(
        "POST", "/notifications/<int:notification_id>/read", "home.read_notification", "notice"
    ),
]

LECTURES = [
    route("GET", "/lectures/", "lectures.index", STAFF, "every session is listed"),
    route("GET", "/lectures/calendar", "lectures.month", STAFF, "calendar"),
    route("GET", "/lectures/teaching", "lectures.teaching", STAFF, "own teaching"),
    route("GET", "/lectures/series", "lectures.series_list", STAFF, "every series"),
    route("GET", "/lectures/series/new", "lectures.new_series", TRAINERS, "trainers"),
    route("POST", "/lectures/series/new", "lectures.new_series", TRAINERS, "trainers"),
    route("GET", "/lectures/calendar/subscribe", "lectures.subscribe", STAFF, "own feed"),
    route("POST", "/lectures/calendar/subscribe", "lectures.create_feed", STAFF, "own feed"),
    route("POST", "/lectures/calendar/subscribe/revoke", "lectures.revoke_feed", STAFF, "own"),
    route(
        "GET",
        "/lectures/calendar/feed/<token>.ics",
        "lectures.feed",
        EVERYONE,
        "the secret URL is the credential (calendar apps)",
        other=(NOBODY, "a replaced (revoked) feed URL: not found"),
    ),
    org_wide("GET", "/lectures/series/<int:series_id>", "lectures.series_detail", "every cadre"),
    org_wide("GET", "/lectures/sessions/<int:session_id>", "lectures.session_detail", "all"),
    org_wide("GET", "/lectures/sessions/<int:session_id>.ics", "lectures.session_ics", "all"),
    org_wide("GET", "/lectures/rotas/<int:rota_id>", "lectures.rota_detail", "who lectures when"),
    org_wide("GET", "/lectures/sessions/<int:session_id>/checkin", "lectures.checkin_page", "code"),
    org_wide("POST", "/lectures/sessions/<int:session_id>/checkin", "lectures.checkin", "own"),
    org_wide(
        "POST", "/lectures/sessions/<int:session_id>/register", "lectures.register_for", "own"
    ),
    org_wide(
        "POST", "/lectures/sessions/<int:session_id>/unregister", "lectures.unregister", "own"
    ),
    org_wide("GET", "/lectures/sessions/<int:session_id>/feedback", "lectures.feedback", "own"),
    org_wide("POST", "/lectures/sessions/<int:session_id>/feedback", "lectures.feedback", "own"),
    series_manager("GET", "/lectures/series/<int:series_id>/edit", "lectures.edit_series"),
    series_manager("POST", "/lectures/series/<int:series_id>/edit", "lectures.edit_series"),
    series_manager("GET", "/lectures/series/<int:series_id>/sessions/new", "lectures.new_session"),
    series_manager("POST", "/lectures/series/<int:series_id>/sessions/new", "lectures.new_session"),
    series_manager("GET", "/lectures/series/<int:series_id>/generate", "lectures.generate"),
    series_manager("POST", "/lectures/series/<int:series_id>/generate", "lectures.generate"),
    series_manager("GET", "/lectures/series/<int:series_id>/rotas/new", "lectures.new_rota"),
    series_manager("POST", "/lectures/series/<int:series_id>/rotas/new", "lectures.new_rota"),
    series_manager("GET", "/lectures/sessions/<int:session_id>/edit", "lectures.edit_session"),
    series_manager("POST", "/lectures/sessions/<int:session_id>/edit", "lectures.edit_session"),
    series_manager("POST", "/lectures/sessions/<int:session_id>/cancel", "lectures.cancel"),
    series_manager("POST", "/lectures/sessions/<int:session_id>/complete", "lectures.complete"),
    series_manager("GET", "/lectures/sessions/<int:session_id>/attendance", "lectures.attendance"),
    series_manager("POST", "/lectures/sessions/<int:session_id>/attendance", "lectures.attendance"),
    series_manager(
        "POST", "/lectures/sessions/<int:session_id>/attendance/add", "lectures.add_attendee"
    ),
    series_manager(
        "GET", "/lectures/sessions/<int:session_id>/checkin-code", "lectures.checkin_code"
    ),
    series_manager(
        "GET", "/lectures/sessions/<int:session_id>/checkin-qr.png", "lectures.checkin_qr"
    ),
    series_manager(
        "GET", "/lectures/sessions/<int:session_id>/checkin-qr.svg", "lectures.checkin_qr"
    ),
    series_manager("GET", "/lectures/sessions/<int:session_id>/projector", "lectures.projector"),
    series_manager("GET", "/lectures/sessions/<int:session_id>/topic", "lectures.topic"),
    series_manager("POST", "/lectures/sessions/<int:session_id>/topic", "lectures.topic"),
    series_manager(
        "POST", "/lectures/sessions/<int:session_id>/notes", "lectures.add_session_note"
    ),
    series_manager(
        "POST", "/lectures/sessions/<int:session_id>/materials", "lectures.upload_material"
    ),
    series_manager(
        "POST", "/lectures/materials/<int:material_id>/delete", "lectures.remove_material"
    ),
    route(
        "GET",
        "/lectures/materials/<int:material_id>/download",
        "lectures.download_material",
        TRAINERS,
        "attendees-only file: attendees, speakers, managers",
        other=(ADMIN, "another unit's: admin only (not found for the rest)"),
    ),
    series_manager("POST", "/lectures/rotas/<int:rota_id>/members", "lectures.rota_members"),
    series_manager(
        "POST", "/lectures/rotas/<int:rota_id>/members/young", "lectures.rota_add_young"
    ),
    series_manager("POST", "/lectures/rotas/<int:rota_id>/slots", "lectures.rota_slots"),
    series_manager(
        "POST",
        "/lectures/rotas/<int:rota_id>/slots/<int:slot_id>/delete",
        "lectures.rota_remove_slot",
    ),
    series_manager("POST", "/lectures/rotas/<int:rota_id>/propose", "lectures.rota_propose"),
    series_manager("POST", "/lectures/rotas/<int:rota_id>/swap", "lectures.rota_swap"),
    series_manager("POST", "/lectures/rotas/<int:rota_id>/publish", "lectures.rota_publish"),
    route(
        "POST",
        "/lectures/rotas/<int:rota_id>/unavailable/<int:user_id>",
        "lectures.rota_unavailable",
        only("learner", "trainer", "admin"),
        "a member for themself, or the rota's managers",
        other=(ADMIN, "another unit's series: admin only"),
    ),
    feedback_results("GET", "/lectures/sessions/<int:session_id>/results", "lectures.results"),
    feedback_results(
        "GET", "/lectures/series/<int:series_id>/results", "lectures.series_results_page"
    ),
]

LECTURES_API = [
    route("GET", "/api/v1/lectures/sessions", "lectures_api.list_sessions", STAFF, "all"),
    org_wide(
        "GET", "/api/v1/lectures/sessions/<int:session_id>", "lectures_api.session_detail", "all"
    ),
    org_wide(
        "POST",
        "/api/v1/lectures/sessions/<int:session_id>/registration",
        "lectures_api.register_api",
        "own",
    ),
    org_wide(
        "DELETE",
        "/api/v1/lectures/sessions/<int:session_id>/registration",
        "lectures_api.cancel_api",
        "own",
    ),
    org_wide(
        "POST",
        "/api/v1/lectures/sessions/<int:session_id>/checkin",
        "lectures_api.checkin_api",
        "own, with the code",
    ),
    feedback_results(
        "GET", "/api/v1/lectures/sessions/<int:session_id>/results", "lectures_api.results_api"
    ),
]

LEDGER = [
    route("GET", "/ledger/", "ledger.mine", STAFF, "own hour ledger"),
    route("POST", "/ledger/statements", "ledger.issue_statement", STAFF, "own statement"),
    own_object("GET", "/ledger/documents/<code>", "ledger.document", "certificate"),
    route("GET", "/ledger/verify", "ledger.verify", SCOPED, "check a certificate code"),
]

PAIR_PAGE = "the pair and the mentee unit's trainer; meeting notes too"
STATE_CHANGES = "/<any('complete-early', 'extend', 'terminate'):action>"
MENTORSHIP = [
    route("GET", "/mentorship/", "mentorship.index", STAFF, "own pairings"),
    route("GET", "/mentorship/dashboard", "mentorship.programme", TRAINERS, "their units"),
    route(
        "GET",
        "/mentorship/dashboard.<any(xlsx, csv):fmt>",
        "mentorship.export",
        TRAINERS,
        "their units",
    ),
    route("GET", "/mentorship/pairings/new", "mentorship.new_pairing", TRAINERS, "their units"),
    route("POST", "/mentorship/pairings/new", "mentorship.new_pairing", TRAINERS, "their units"),
    pairing("GET", "", "mentorship.pairing", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/agreement", "mentorship.agreement", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/agreement/print", "mentorship.agreement_print", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/meetings", "mentorship.meeting_log", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/growth", "mentorship.growth_view", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/goals/<int:goal_id>", "mentorship.goal", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/review", "mentorship.review", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("GET", "/review/print", "mentorship.review_print", PAIR_AND_OWNER, PAIR_PAGE),
    pairing("POST", "/agreement", "mentorship.agreement", PAIR, "the pair, while a draft"),
    pairing("POST", "/agreement/goals", "mentorship.add_goal", PAIR, "the pair, while a draft"),
    pairing("GET", "/goals/<int:goal_id>/edit", "mentorship.edit_goal", PAIR, "the pair"),
    pairing("POST", "/goals/<int:goal_id>/edit", "mentorship.edit_goal", PAIR, "the pair"),
    pairing("POST", "/goals/<int:goal_id>/delete", "mentorship.delete_goal", PAIR, "the pair"),
    pairing("POST", "/agreement/sign", "mentorship.sign", PAIR, "the pair"),
    pairing(
        "POST",
        "/goals/<int:goal_id>/milestones",
        "mentorship.add_milestone",
        only("mentor"),
        "the mentor",
        data={"title": "熟悉审查调查流程", "due_day": "30"},
    ),
    pairing(
        "POST",
        "/goals/<int:goal_id>/milestones/<int:milestone_id>/done",
        "mentorship.milestone_done",
        only("mentor"),
        "the mentor",
    ),
    pairing(
        "POST", "/goals/<int:goal_id>/progress", "mentorship.progress", only("mentor"), "mentor"
    ),
    pairing(
        "POST",
        "/goals/<int:goal_id>/tasks",
        "mentorship.add_task",
        PAIR,
        "the pair",
        data={"title": "研读一起典型案例"},
    ),
    pairing(
        "POST",
        "/goals/<int:goal_id>/tasks/<int:task_id>/done",
        "mentorship.task_done",
        PAIR,
        "the pair",
    ),
    pairing(
        "POST",
        "/goals/<int:goal_id>/tasks/<int:task_id>/comments",
        "mentorship.comment",
        PAIR,
        "the pair",
        data={"task{task_id}-body": "已读完，有三点体会。"},
    ),
    pairing("GET", "/meetings/new", "mentorship.new_meeting", only("mentor"), "the mentor logs"),
    pairing("POST", "/meetings/new", "mentorship.new_meeting", only("mentor"), "the mentor logs"),
    pairing(
        "POST",
        "/meetings/<int:meeting_id>/confirm",
        "mentorship.confirm_meeting",
        only("learner"),
        "the mentee confirms",
    ),
    pairing("POST", "/review/self", "mentorship.self_review", only("learner"), "the mentee"),
    pairing("POST", "/review/mentor", "mentorship.mentor_review", only("mentor"), "the mentor"),
    pairing("POST", "/review/confirm", "mentorship.confirm_review", TRAINERS, "programme owner"),
    pairing("GET", STATE_CHANGES, "mentorship.change_state", TRAINERS, "programme owner"),
    pairing("POST", STATE_CHANGES, "mentorship.change_state", TRAINERS, "programme owner"),
]

REPORTS = [
    route("GET", "/reports/", "reports.index", SCOPED, "their units (leader: linked units)"),
    route("GET", "/reports/export.<fmt>", "reports.export", SCOPED, "their units"),
    route(
        "GET",
        "/reports/people/<int:user_id>",
        "reports.person",
        SCOPED,
        "a cadre of their units",
        other=(ADMIN, "another unit's cadre: not found"),
    ),
]

SEARCH = [
    route("GET", "/search/", "search.index", STAFF, "results filtered by case access"),
    route("GET", "/search/help", "search.syntax_help", STAFF, "help"),
    route("GET", "/search/vocabulary", "search.vocabulary", ADMIN, "dictionary"),
    route("POST", "/search/vocabulary/words", "search.add_word", ADMIN, "dictionary"),
    route("POST", "/search/vocabulary/synonyms", "search.save_synonym", ADMIN, "dictionary"),
    route("POST", "/search/vocabulary/remove", "search.remove_entry", ADMIN, "dictionary"),
    route("POST", "/search/vocabulary/restore", "search.restore_entry", ADMIN, "dictionary"),
    route("POST", "/search/vocabulary/rebuild", "search.rebuild", ADMIN, "index rebuild"),
]

SEARCH_API = [
    route("GET", "/api/v1/cases/search", "search_api.search", STAFF, "as the search page"),
]

STATIC = [
    route("GET", "/static/<path:filename>", "static", EVERYONE, "CSS, JS, fonts"),
]

ENTRIES: list[Entry] = [
    *ACCOUNTS,
    *ACCOUNTS_API,
    *ADMIN_PAGES,
    *CASES,
    *CASE_DESK_PAGES,
    *CASES_API,
    *COURSES,
    *COURSES_MANAGE,
    *DRILLS,
    *DRILLS_API,
    *GUIDANCE,
    *HOME,
    *LECTURES,
    *LECTURES_API,
    *LEDGER,
    *MENTORSHIP,
    *REPORTS,
    *SEARCH,
    *SEARCH_API,
    *STATIC,
]
BLUEPRINTS = list(dict.fromkeys(entry.blueprint for entry in ENTRIES))


def markdown() -> str:
    """The policy as Markdown tables, one per blueprint (✓ allowed, · refused)."""
    head = "| method | route | object | " + " | ".join(ROLES) + " | why |"
    rule = "|" + "---|" * (len(ROLES) + 4)
    out = []
    for blueprint in BLUEPRINTS:
        out += [f"#### `{blueprint}`", "", head, rule]
        for entry in ENTRIES:
            if entry.blueprint != blueprint:
                continue
            for target in entry.targets:
                marks = " | ".join("✓" if r in target.allow else "·" for r in ROLES)
                out.append(
                    f"| {entry.method} | `{entry.rule}` | {SCENES[target.scene][0]} "
                    f"| {marks} | {target.why} |"
                )
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
