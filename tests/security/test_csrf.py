"""Every state-changing route refuses a request without a CSRF token."""

import re

from learning.auth.models import Role

EXEMPT_PREFIXES = ("/api/v1/",)  # bearer-token API: read-only, no cookies


def test_every_post_route_rejects_a_missing_csrf_token(app, client, login, create_account):
    login(create_account((Role.ADMIN, None)))
    app.config["WTF_CSRF_ENABLED"] = True
    checked = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(EXEMPT_PREFIXES):
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        response = client.post(url, data={"reason": "x", "lang": "en"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "Hãy tải lại trang" in response.text
        checked.append(rule.endpoint)
    assert len(checked) >= 15
