"""The test OpenID provider: node-oidc-provider (tests/oidc/provider.mjs) on a spare port.

Needs Debian's nodejs and ``npm ci --prefix tests/oidc`` (``make oidc``); without them the OIDC tests are
skipped with a message, unless ``REQUIRE_OIDC=1`` makes that a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.conftest import _skip_or_fail

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
CLIENT_ID = "hoc-tap-test"
CLIENT_SECRET = "client-secret-for-tests-only"  # noqa: S105


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _require_node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        _skip_or_fail("REQUIRE_OIDC", "Node.js is not installed (apt-get install nodejs npm, or `make oidc`): "
                                      "OIDC tests skipped")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        _skip_or_fail("REQUIRE_OIDC", "tests/oidc/node_modules is missing (run `make oidc`, i.e. "
                                      "`npm ci --prefix tests/oidc`): OIDC tests skipped")
    return node


class Provider:
    """A running provider: its issuer, its test client, and the accounts (claims by subject) it knows."""

    def __init__(self, issuer: str, accounts_file: Path, redirect_uri: str) -> None:
        self.issuer = issuer
        self.accounts_file = accounts_file
        self.redirect_uri = redirect_uri
        self.client_id, self.client_secret = CLIENT_ID, CLIENT_SECRET

    def config(self, **overrides: object) -> dict[str, object]:
        """The app settings that point at this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": self.client_id,
                "OIDC_CLIENT_SECRET": self.client_secret, "OIDC_SCOPES": "openid email profile",
                "OIDC_CODE_CLAIM": "", "OIDC_ALLOWED_DOMAINS": "", "OIDC_TIMEOUT": 5} | overrides

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        """The provider's people: subject → claims (read by the provider at every sign-in)."""
        self.accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")

    def sign_in(self, authorize_url: str, login: str) -> str:
        """Go through the provider's log-in form as ``login``; returns the URL it sends the browser back to."""
        agent = requests.Session()
        response = agent.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if target.startswith(self.redirect_uri):
                    return target
                response = agent.get(target, allow_redirects=False, timeout=10)
            elif response.status_code == 200 and 'name="login"' in response.text:
                action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
                response = agent.post(urljoin(response.url, action), allow_redirects=False, timeout=10,
                                      data={"prompt": "login", "login": login, "password": "any"})
            else:
                raise AssertionError(f"provider answered {response.status_code}: {response.text[:500]}")
        raise AssertionError("too many redirects at the provider")


@contextmanager
def running_provider(workdir: Path, redirect_uri: str, post_logout_uri: str) -> Iterator[Provider]:
    """Start provider.mjs for a client whose redirect URI is ``redirect_uri``; stopped on exit."""
    node = _require_node()
    port = _spare_port()
    accounts = workdir / "accounts.json"
    accounts.write_text("{}", encoding="utf-8")
    log_path = workdir / "provider.log"
    env = os.environ | {"OIDC_PORT": str(port), "OIDC_ACCOUNTS": str(accounts), "OIDC_CLIENT_ID": CLIENT_ID,
                        "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URIS": redirect_uri,
                        "OIDC_POST_LOGOUT_URIS": post_logout_uri, "NODE_ENV": "test"}
    with log_path.open("wb") as log:
        process = subprocess.Popen([node, str(SCRIPT)], cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT)
        issuer = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"oidc-provider exited: {log_path.read_text(errors='replace')}")
                try:
                    if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oidc-provider did not start: {log_path.read_text(errors='replace')}")
                time.sleep(0.2)
            yield Provider(issuer, accounts, redirect_uri)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
