"""Browser tests: Debian's Chromium driven by Playwright against a live local server.

Skipped with a message when Chromium is missing, unless ``REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from learning.auth.models import Account, AccountStatus, Role, RoleGrant
from learning.catalog.loader import load_content
from learning.config import PROJECT_ROOT
from learning.extensions import db
from learning.org.models import Category, Person, Unit
from tests.conftest import _skip_or_fail, make_test_app
from tests.content_tree import ContentTree

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _skip_or_fail("REQUIRE_BROWSER", f"Chromium is not installed at {CHROMIUM}")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


# One worker's browser tests sign in to the same session-long server from 127.0.0.1 more than 20 times a
# minute (the per-address log-in limit, tested in tests/auth); here it would only refuse them with 429.
BROWSER_LOGINS = "1000 per minute"


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Flask:
    """A site with the demo organisation on its own SQLite file."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    app = make_test_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, TESTING=False, LOGIN_RATE_LIMIT=BROWSER_LOGINS)
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "60"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="session")
def live_course(live_app: Flask, tmp_path_factory) -> str:
    """The small test course loaded into the live site; returns its code."""
    tree = ContentTree(tmp_path_factory.mktemp("content"))
    with live_app.app_context():
        load_content(tree.root)
        db.session.commit()
    return "khoa-thu"


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def site(tmp_path_factory, chromium_path) -> Iterator[tuple[Flask, str]]:
    """The demo organisation with the real course content and its history, served on a free port."""
    path = tmp_path_factory.mktemp("shipped") / "site.sqlite3"
    app = make_test_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, TESTING=False, LOGIN_RATE_LIMIT=BROWSER_LOGINS)
    with app.app_context():
        load_content(PROJECT_ROOT)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "30"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN",
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


def log_in(page, code: str, password: str = "Demo@2026") -> None:
    page.goto("/dang-nhap")
    page.get_by_label("Mã cán bộ hoặc e-mail").fill(code)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def open_menu(page) -> None:
    """On a phone the main navigation is folded under "Menu" (details/summary); open it when it is shown."""
    page.wait_for_load_state()  # the stylesheet decides whether the summary shows: wait for it
    viewport = page.viewport_size
    if viewport is None or viewport["width"] > 768:  # wide screens show the list itself (app.css)
        return
    summary = page.locator("nav.main-nav summary")
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results.response["violations"]]


def make_learner(app: Flask, code: str, unit_code: str = "X-BAICHAY", password: str = "Demo@2026") -> str:
    """A new learner with an active account in a demo unit, for tests that change a learner's state."""
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        person = Person(employee_code=code, middle_name="Thử", given_name=code, unit=unit,
                        category=Category.CIVIL_SERVANT.value, position="Chuyên viên")
        db.session.add(person)
        db.session.commit()
        account = db.session.scalar(select(Account).where(Account.person_id == person.id)) or Account(person=person)
        account.set_password(password)
        account.status = AccountStatus.ACTIVE.value
        account.grants.append(RoleGrant(role=Role.LEARNER.value, unit=None))
        db.session.add(account)
        db.session.commit()
    return code
