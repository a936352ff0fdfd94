from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oidc.provider import Provider, running_provider

REDIRECT_URI = "http://localhost/dang-nhap/oidc/callback"  # the Flask test client's host
POST_LOGOUT_URI = "http://localhost/dang-nhap"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), REDIRECT_URI, POST_LOGOUT_URI) as provider:
        yield provider


@pytest.fixture
def oidc_app(app, oidc_provider, monkeypatch):
    """The app of the current backend, signed in through the test provider (employee code in ``employee_code``)."""
    for key, value in oidc_provider.config(OIDC_CODE_CLAIM="employee_code").items():
        monkeypatch.setitem(app.config, key, value)
    oidc_provider.set_accounts({})
    return app
