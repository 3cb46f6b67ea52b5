"""A plain HTTP client per simulated person: its own cookies, its own client address.

Every response any browser receives is kept in one shared ``Traffic`` record so a
test can assert afterwards that no request, on any host, was answered with a 5xx.
"""

import re
import threading
from dataclasses import dataclass, field

import requests

from tests.scaleout.forms import Form, form_with

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 30


@dataclass
class Traffic:
    """Method, URL and status of every request the simulated people made."""

    seen: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, url: str, status: int) -> None:
        with self.lock:
            self.seen.append((method, url, status))

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [row for row in self.seen if row[2] >= 500]


class Browser:
    """One person at one host; behind the (simulated) proxy their address is ``address``."""

    def __init__(self, base: str, address: str, traffic: Traffic):
        self.base = base
        self.traffic = traffic
        self.http = requests.Session()
        # The servers run with LEARN_PROXY_COUNT=1, so this is the client address the
        # per-address login limit sees: each simulated person gets its own.
        self.http.headers["X-Forwarded-For"] = address

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        response = self.http.request(method, self.base + path, **kwargs)
        for step in (*response.history, response):
            self.traffic.add(method, step.url, step.status_code)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> requests.Response:
        return self.request("POST", path, data=data, **kwargs)

    def csrf(self, path: str = "/") -> str:
        match = CSRF_RE.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post_form(self, path: str, data: dict, token_from: str | None = None, **kwargs):
        """POST ``data`` with the CSRF token of the page at ``token_from`` (default ``path``)."""
        return self.post(path, {"csrf_token": self.csrf(token_from or path), **data}, **kwargs)

    def post_json(self, path: str, payload: dict, token_from: str = "/") -> requests.Response:
        """A session-authenticated API call, which carries the CSRF token in a header."""
        return self.post(path, json=payload, headers={"X-CSRFToken": self.csrf(token_from)})

    def form(self, path: str, field_name: str) -> Form:
        response = self.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        return form_with(response.text, field_name)

    def login(self, username: str, password: str) -> requests.Response:
        """Log in through the real login form (fresh CSRF token from the page)."""
        return self.post_form("/login", {"username": username, "password": password})

    def logged_in(self, username: str, password: str) -> "Browser":
        response = self.login(username, password)
        assert response.status_code == 200 and not response.url.endswith("/login"), (
            f"{username} could not log in at {self.base}: {response.status_code}"
        )
        return self
