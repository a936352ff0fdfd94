"""Every state-changing route refuses a request without a valid CSRF token.

The routes come from ``app.url_map`` (every rule with a method other than GET/HEAD/OPTIONS), so a new
POST route is covered the day it is added. The bearer-token API is exempt from CSRF and must stay read-only.
"""

from __future__ import annotations

import io
import re

import pytest

from learning.auth.models import Role

SAFE = {"GET", "HEAD", "OPTIONS"}
API_PREFIX = "/api/v1/"  # bearer tokens, no cookies: exempt from CSRF, therefore read-only
# POSTs of the API that compute an answer and change nothing but the audit log; a session cookie is no
# credential there (tests/api/test_text_check.py::test_a_session_is_no_api_credential).
API_COMPUTING_POSTS = {("/api/v1/text-check", "POST")}
# A quiz page posted after the session expired keeps the answers in the session and sends the learner to
# log in (learning/errors.py); nothing is stored until the owner of the attempt has logged in again.
ANONYMOUS_REDIRECT_TO_LOGIN = {"assessment.page"}


def _state_changing(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - SAFE):
            yield rule, method


def _url(rule) -> str:
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([^>]+)>", lambda m: "xlsx" if "any(" in m.group(0) else "1",
                  rule.rule)


def test_the_api_has_no_state_changing_route(app):
    assert [(r.rule, m) for r, m in _state_changing(app)
            if r.rule.startswith(API_PREFIX) and (r.rule, m) not in API_COMPUTING_POSTS] == []


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_state_changing_route_rejects_a_missing_or_foreign_csrf_token(app, client, login, create_account, who,
                                                                        monkeypatch):
    if who == "admin":
        login(create_account((Role.ADMIN, None)))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    checked, failures = [], []
    for rule, method in _state_changing(app):
        if rule.rule.startswith(API_PREFIX):
            continue
        url = _url(rule)
        for token in (None, "IjEyMzQ1Njc4OTAi.ZZZZZZ.forged-signature"):
            data = {"reason": "Lý do đủ dài", "lang": "en", "purpose": "bao-cao",
                    "file": (io.BytesIO(b"x"), "a.csv")}
            if token:
                data["csrf_token"] = token
            response = client.open(url, method=method, data=data, content_type="multipart/form-data")
            if who == "anonymous" and rule.endpoint in ANONYMOUS_REDIRECT_TO_LOGIN:
                if response.status_code != 302 or "/dang-nhap" not in response.location:
                    failures.append(f"{method} {rule.endpoint}: {response.status_code}, expected the log-in page")
            elif response.status_code != 400 or "Hãy tải lại trang" not in response.text:
                failures.append(f"{method} {rule.endpoint} ({'forged' if token else 'missing'} token): "
                                f"{response.status_code}")
        checked.append(rule.endpoint)
    assert failures == []
    assert len(checked) >= 20  # a floor, so an empty url_map walk cannot pass
