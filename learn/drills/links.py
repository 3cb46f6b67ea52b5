"""Links from weak criteria to the courses and cases that train them.

The course and case pages belong to other domains; their endpoints are named
here once. When an endpoint is not registered (a deployment without that
domain) the title is shown without a link instead of failing.
"""

from flask import url_for
from werkzeug.routing import BuildError

COURSE_ENDPOINT = ("courses.detail", "slug")
CASES_BY_TAG_ENDPOINT = ("search.index", "q")  # case search for the tag


def _url(endpoint: tuple[str, str], value: str) -> str | None:
    name, arg = endpoint
    try:
        return url_for(name, **{arg: value})
    except BuildError:
        return None


def course_links(courses: list[dict]) -> list[tuple[str, str | None]]:
    """(title, url or None) for the courses configured for a criterion."""
    return [(c["title"], _url(COURSE_ENDPOINT, c["id"])) for c in courses]


def case_links(tags: list[str]) -> list[tuple[str, str | None]]:
    """(tag, url of the case search for it, or None)."""
    return [(tag, _url(CASES_BY_TAG_ENDPOINT, tag)) for tag in tags]
