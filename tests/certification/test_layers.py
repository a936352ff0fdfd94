"""Certification sits below assignments (issue 21, item 4): assignments reads certificates, certification imports
nothing from assignments (the expiry notices use ``notify.mail`` and ``notify.models.ReminderLog``), and the issue
settings live in ``certification.settings``, not among the background tasks."""

from __future__ import annotations

import ast
from pathlib import Path

from learning import certification
from learning.certification import receivers, settings, tasks, views

PACKAGE = Path(certification.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def test_certification_imports_nothing_from_assignments():
    found = {path.name: sorted(m for m in imported_modules(path) if m.startswith("learning.assignments"))
             for path in PACKAGE.rglob("*.py")}
    assert {name: modules for name, modules in found.items() if modules} == {}


def test_issue_settings_live_in_their_own_module():
    defined = {node.name for node in ast.walk(ast.parse(Path(tasks.__file__).read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef)}
    assert "issue_settings" not in defined and tasks.issue_settings is settings.issue_settings
    for module in (receivers, views):
        assert "learning.certification.settings.issue_settings" in imported_modules(Path(module.__file__))
