"""Every audit event code written anywhere in the code base has a Vietnamese label for the log page.

The codes are read from the source: the first argument of each ``record(...)`` call; where that argument
is a parameter of a small helper (``_log(action, ...)``), the codes the helper is called with; and the
``"action"`` of event rows inserted in bulk.
"""

from __future__ import annotations

import ast
from pathlib import Path

import learning
from learning.audit.labels import EVENT_LABELS, detail_lines, event_label, value_text

ROOT = Path(learning.__file__).parent


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _literals(node: ast.expr | None) -> set[str]:
    """A code, or both codes of ``"a.x" if ok else "a.y"``."""
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    return {_literal(node)} if _literal(node) else set()


def used_codes() -> set[str]:
    codes: set[str] = set()
    helpers: set[str] = set()  # functions passing their first parameter on to record()
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in ROOT.rglob("*.py")]
    for tree in trees:
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            params = [a.arg for a in func.args.args]
            for call in (n for n in ast.walk(func) if isinstance(n, ast.Call) and _name(n.func) == "record"):
                first = call.args[0] if call.args else None
                if _literals(first):
                    codes |= _literals(first)
                elif isinstance(first, ast.Name) and params and first.id == params[0]:
                    helpers.add(func.name)
                else:
                    raise AssertionError(f"record() with a code the test cannot read in {func.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if _literal(key) == "action" and _literal(value) and "." in _literal(value):
                        codes.add(_literal(value))
    for tree in trees:
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in helpers):
            codes |= _literals(call.args[0] if call.args else None)
    return codes


def test_the_source_is_read_for_codes():
    codes = used_codes()
    # direct calls, a helper's calls (auth/lifecycle.py, api/views.py), bulk rows, the log's own export
    assert {"auth.login", "exemption.refused", "account.locked", "api.people_read", "account.enabled", "audit.exported"} <= codes
    assert len(codes) > 60


def test_every_event_code_used_has_a_label():
    missing = sorted(used_codes() - EVENT_LABELS.keys())
    assert not missing, f"add these to learning/audit/labels.py EVENT_LABELS: {missing}"


def test_no_label_for_a_code_nothing_writes():
    assert not sorted(EVENT_LABELS.keys() - used_codes())


def test_labels_are_distinct_and_an_unknown_code_is_shown_as_itself(app):
    assert len(set(EVENT_LABELS.values())) == len(EVENT_LABELS)
    with app.test_request_context():
        assert event_label("auth.login") == "Đăng nhập"
        assert event_label("something.new") == "something.new"


def test_values_read_as_vietnamese(app):
    with app.test_request_context():
        assert value_text(True) == "có" and value_text(None) == "—"
        assert value_text("2026-12-03") == "03/12/2026"
        assert value_text(["admin@*", "unit_head@STP"]) == "Quản trị hệ thống (toàn tỉnh), Thủ trưởng đơn vị (STP)"
        assert value_text("an@tinh.gov.vn") == "an@tinh.gov.vn"
        assert value_text("2026-12-02T17:30:00") == "00:30 ngày 03/12/2026"
        assert value_text([f"CB{i}" for i in range(12)]).endswith("… và 2 mục khác")
        assert detail_lines({"role": "hr", "passed": False, "score": 87.5}) == [
            ("Quyền", "Tổ chức cán bộ"), ("Đạt", "không"), ("Điểm", "87,5")]
