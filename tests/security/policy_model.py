"""The vocabulary of the route policy: roles, targets (which objects a URL names) and entries.

Kept apart from ``route_policy`` so that the policy file reads as a table and nothing else.
"""

from dataclasses import dataclass

ROLES = ("anonymous", "learner", "mentor", "trainer", "leader", "editor", "reviewer", "admin")
STAFF = frozenset(ROLES[1:])  # every logged-in account
EVERYONE = frozenset(ROLES)
NOBODY = frozenset()


def only(*roles: str) -> frozenset[str]:
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return frozenset(roles)


# The world object each URL argument names by default (tests/security/authz_world.py).
ARG_KEYS = {
    "case_id": "case",
    "number": "case_revision",
    "slug": "course",
    "attempt_id": "attempt",
    "key": "lesson_key",
    "lesson_id": "lesson",
    "question_id": "question",
    "run_id": "run",
    "group_id": "group",
    "card_id": "card",
    "pairing_id": "pairing",
    "goal_id": "goal",
    "meeting_id": "meeting",
    "task_id": "task",
    "milestone_id": "milestone",
    "visit_id": "visit",
    "token_id": "token",
    "notification_id": "notification",
    "material_id": "handout",
    "series_id": "series",
    "rota_id": "rota",
    "slot_id": "slot",
    "code": "document",
    "token": "feed",
    "fmt": "fmt",
    "filename": "filename",
}
# Arguments whose object depends on the blueprint: (endpoint prefix, world key).
ARG_KEYS_BY_PREFIX = {
    "session_id": (("drills", "drill"), ("lectures", "lecture")),
    "unit_id": (("guidance", "unit"), ("admin", "unit")),
    "user_id": (("admin", "bystander"), ("reports", "user"), ("lectures", "user")),
}

# Scenes: which objects a target's URL names. "own" is the default above: the role
# accounts' unit A, the mentor's pairing with the learner, the learner's attempt, run,
# notification and token, the trainer's series and drill group. "other" swaps every
# argument for the same kind of object in unit B, owned by people no role account
# mentors, runs or is linked to. The rest pick one particular object.
SCENES = {
    "own": ("", {}),
    "other": ("someone else's", None),
    "restricted": ("restricted case", {"case_id": "restricted_case"}),
    "draft": ("unpublished case", {"case_id": "draft_case"}),
    "web": (
        "trainer's browser course",
        {"slug": "web_course", "lesson_id": "web_lesson", "question_id": "web_question"},
    ),
    "other_web": (
        "another trainer's browser course",
        {
            "slug": "other_web_course",
            "lesson_id": "other_web_lesson",
            "question_id": "other_web_question",
        },
    ),
}


def world_key(endpoint: str, arg: str, scene: str, known) -> str:
    """The name among ``known`` (``World.ids``) of the object ``arg`` names for ``endpoint``
    in ``scene``; "other" falls back to the default where there is only one (a card)."""
    overrides = SCENES[scene][1]
    if overrides and arg in overrides:
        return overrides[arg]
    if arg in ARG_KEYS_BY_PREFIX:
        key = next(k for prefix, k in ARG_KEYS_BY_PREFIX[arg] if endpoint.startswith(prefix))
    else:
        key = ARG_KEYS[arg]
    if overrides is None and f"other_{key}" in known:
        return f"other_{key}"
    return key


@dataclass(frozen=True)
class Target:
    """One object (scene) a route is tried on, and the roles allowed on it."""

    scene: str
    allow: frozenset[str]
    why: str


@dataclass(frozen=True)
class Entry:
    """The policy of one URL rule and method."""

    method: str
    rule: str
    endpoint: str
    targets: tuple[Target, ...]
    # a minimal valid form, where a view validates before it checks; keys may name URL
    # arguments ("task{task_id}-body")
    data: dict | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.rule

    @property
    def blueprint(self) -> str:
        return self.endpoint.split(".")[0]


def route(
    method: str,
    rule: str,
    endpoint: str,
    allow: frozenset[str],
    why: str,
    data: dict | None = None,
    **scenes,
) -> Entry:
    """An entry allowing ``allow`` on the default objects; each keyword scene is
    ``(allowed roles, reason)`` for that scene's objects."""
    targets = [Target("own", allow, why)]
    targets += [Target(scene, roles, reason) for scene, (roles, reason) in scenes.items()]
    return Entry(method, rule, endpoint, tuple(targets), data)
