"""A learner's or an officer's HTTP client: follows the site's forms, CSRF tokens included."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

PASSWORD = "Demo@2026"  # the demo log-ins' password (README)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # radio/checkbox name → values
    buttons: dict[str, list[str]] = field(default_factory=dict)  # named submit buttons → values


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag in ("input", "button") and self.forms and a.get("name"):
            form = self.forms[-1]
            kind = a.get("type", "submit" if tag == "button" else "text")
            if kind == "submit":
                form.buttons.setdefault(a["name"], []).append(a.get("value", ""))
            elif kind in ("radio", "checkbox"):
                form.options.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind == "hidden":
                form.fields[a["name"]] = a.get("value", "")


def forms_of(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _SourceAdapter(HTTPAdapter):
    """Connect from a given loopback address, so that nginx sees a different client."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # noqa: ANN002, ANN003 - requests' signature
        kwargs["source_address"] = (self.source, 0)
        return super().init_poolmanager(*args, **kwargs)


class Visitor:
    """A browser without JavaScript: a cookie jar, forms and redirects. ``node`` pins requests."""

    def __init__(self, base: str, source: str | None = None, timeout: float = 30) -> None:
        self.base = base
        self.http = requests.Session()
        self.timeout = timeout
        if source:
            self.http.mount("http://", _SourceAdapter(source))

    def get(self, path: str, node: str | None = None, **kwargs) -> requests.Response:
        return self.http.get(urljoin(self.base, path), headers=self._pin(node), timeout=self.timeout, **kwargs)

    def post(self, path: str, data: dict, node: str | None = None, **kwargs) -> requests.Response:
        return self.http.post(urljoin(self.base, path), data=data, headers=self._pin(node), timeout=self.timeout,
                              allow_redirects=kwargs.pop("allow_redirects", False), **kwargs)

    @staticmethod
    def _pin(node: str | None) -> dict[str, str]:
        return {"X-Node": node} if node else {}

    def form(self, path: str, action: str, node: str | None = None) -> Form:
        """The form posting to ``action`` (a regular expression) on the page at ``path``."""
        page = self.get(path, node)
        assert page.status_code == 200, (path, page.status_code, page.text[:500])
        for form in forms_of(page.text):
            if form.method == "post" and re.search(action, form.action or path):
                form.action = form.action or path
                return form
        raise AssertionError(f"no form posting to {action} on {path}: {[f.action for f in forms_of(page.text)]}")

    def submit(self, path: str, action: str, values: dict | None = None, node: str | None = None,
               post_node: str | None = None) -> requests.Response:
        form = self.form(path, action, node)
        return self.post(urljoin(urljoin(self.base, path), form.action), form.fields | (values or {}),
                         post_node or node)

    def log_in(self, code: str, password: str = PASSWORD, node: str | None = None) -> requests.Response:
        return self.submit("/dang-nhap", r"dang-nhap", {"identifier": code, "password": password}, node)


def served_by(response: requests.Response) -> str:
    """The upstream address nginx used (``127.0.0.1:port``)."""
    return response.headers.get("X-Upstream", "")


def path_of(response: requests.Response) -> str:
    return urlsplit(response.headers["Location"]).path


def take_quiz(visitor: Visitor, course: str, correct: Callable[[int, int], list[str]], nodes: Iterator[str],
              submit_node: str) -> tuple[int, requests.Response]:
    """Start the course's quiz, answer every page right and submit; each step on the next of ``nodes``.

    Returns the attempt id and the response of the submit (a redirect to the result).
    """
    started = visitor.submit(f"/khoa-hoc/{course}", r"/kiem-tra/bat-dau$", node=next(nodes))
    assert started.status_code == 302, (started.status_code, started.text[:300])
    target = path_of(started)
    attempt = int(re.search(r"/bai-lam/(\d+)/", target).group(1))
    while "/trang/" in target:
        form = visitor.form(target, r"/bai-lam/\d+/trang/\d+$", node=next(nodes))
        answers = {name: [v for v in correct(attempt, int(name[1:])) if v in values] for name, values in form.options.items()}
        step = "sau" if "sau" in form.buttons.get("di", []) else "nop"
        saved = visitor.post(form.action, form.fields | answers | {"di": step}, node=next(nodes))
        assert saved.status_code == 302, (saved.status_code, saved.text[:300])
        target = path_of(saved)
    submitted = visitor.submit(target, r"/bai-lam/\d+/nop$", node=next(nodes), post_node=submit_node)
    return attempt, submitted
