"""Status values are named by their enums (StoredStatus, JobStatus, …), never spelled as bare strings."""

import ast
from pathlib import Path

from learning.certification.models import Job, JobStatus

LEARNING = Path(__file__).resolve().parents[2] / "learning"
STATUS_ATTRS = {"status", "stored_status"}


def _is_status(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in STATUS_ATTRS


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Tuple | ast.List | ast.Set) and any(_is_text(e) for e in node.elts)


def bare_statuses(source: str) -> list[int]:
    """Lines comparing a ``.status``/``.stored_status`` with a string literal, or setting one to a literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_status(s) for s in sides) and any(_is_text(s) for s in sides):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "in_" and _is_status(node.func.value) and any(_is_text(a) for a in node.args):
                lines.append(node.lineno)
            if node.func.attr == "values" and any(k.arg in STATUS_ATTRS and _is_text(k.value) for k in node.keywords):
                lines.append(node.lineno)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if _is_status(target) and _is_text(node.value):
                    lines.append(node.lineno)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):  # a, b = "x", y
                    if any(_is_status(t) and _is_text(v) for t, v in zip(target.elts, node.value.elts, strict=False)):
                        lines.append(node.lineno)
    return lines


def test_the_checker_sees_bare_strings():
    assert bare_statuses('if job.status == "done": pass') == [1]
    assert bare_statuses('x = Job.status.in_(("queued", "running"))') == [1]
    assert bare_statuses('update(Job).values(status="queued")') == [1]
    assert bare_statuses('cert.stored_status = "revoked"') == [1]
    assert bare_statuses('job.status, job.started_at = "running", now()') == [1]
    assert bare_statuses('if status_now(cert).value in ("revoked", "superseded"): pass') == []  # not an attribute
    assert bare_statuses("if job.status == JobStatus.DONE: pass") == []


def test_no_status_is_spelled_as_a_bare_string():
    offenders = {}
    for path in sorted(LEARNING.rglob("*.py")):
        found = bare_statuses(path.read_text(encoding="utf-8"))
        if found:
            offenders[path.relative_to(LEARNING).as_posix()] = found
    assert offenders == {}


def test_job_status_values_are_the_stored_ones():
    assert [s.value for s in JobStatus] == ["queued", "running", "done", "failed"]
    assert Job.__table__.c.status.default.arg == JobStatus.QUEUED
