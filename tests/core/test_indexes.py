"""Indexes (issue 19, item 1): every foreign key column leads an index, in the models and in the migrated
database, and the hot queries of progress, assessment, certification and notify use an index on PostgreSQL."""

import json
import warnings

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from learning.assessment.models import Attempt
from learning.catalog.models import Completion, LessonProgress
from learning.certification.models import Certificate
from learning.extensions import db
from learning.notify.models import Notice
from learning.progress import engine

# Columns filtered on a hot path that are not foreign keys (or lead no index of their own otherwise).
HOT_LEADING = [("completion", "attempt_id")]
# (table, leading columns) a composite index must start with.
HOT_COMPOSITE = [("completion", ("person_id", "course_id", "completed_at")),
                 ("attempt", ("person_id", "course_id", "started_at"))]


def _model_leads() -> dict[str, set[tuple[str, ...]]]:
    leads: dict[str, set[tuple[str, ...]]] = {}
    for table in db.metadata.tables.values():
        found = leads.setdefault(table.name, set())
        found.add(tuple(c.name for c in table.primary_key.columns))
        found |= {tuple(c.name for c in ix.columns) for ix in table.indexes if ix.columns}
        found |= {tuple(c.name for c in uc.columns) for uc in table.constraints
                  if isinstance(uc, sa.UniqueConstraint) and uc.columns}
    return leads


def _database_leads() -> dict[str, set[tuple[str, ...]]]:
    inspector = sa.inspect(db.engine)
    leads: dict[str, set[tuple[str, ...]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)  # expression indexes (lower(email)) are not reflected
        for name in inspector.get_table_names():
            found = leads.setdefault(name, set())
            found.add(tuple(inspector.get_pk_constraint(name)["constrained_columns"]))
            found |= {tuple(c for c in ix["column_names"] if c) for ix in inspector.get_indexes(name)}
            found |= {tuple(uc["column_names"]) for uc in inspector.get_unique_constraints(name)}
    return leads


def _unindexed_foreign_keys(leads: dict[str, set[tuple[str, ...]]]) -> list[str]:
    missing = []
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            if not any(cols and cols[0] == fk.parent.name for cols in leads.get(table.name, ())):
                missing.append(f"{table.name}.{fk.parent.name}")
    return sorted(missing)


def _starts(leads, table: str, columns: tuple[str, ...]) -> bool:
    return any(cols[:len(columns)] == columns for cols in leads.get(table, ()))


def test_every_foreign_key_column_leads_an_index_in_the_models(app):
    assert _unindexed_foreign_keys(_model_leads()) == []


def test_every_foreign_key_column_leads_an_index_in_the_migrated_database(app):
    leads = _database_leads()
    assert _unindexed_foreign_keys(leads) == []
    for table, column in HOT_LEADING:
        assert _starts(leads, table, (column,)), f"{table}.{column}"
    for table, columns in HOT_COMPOSITE:
        assert _starts(leads, table, columns), f"{table}{columns}"


def test_the_checker_sees_a_missing_index(app):
    leads = _model_leads()
    leads["completion"] = {cols for cols in leads["completion"] if cols[0] != "course_version_id"}
    assert _unindexed_foreign_keys(leads) == ["completion.course_version_id"]


# The hot statements: the quiz submit's completion check, a learner's attempts and completions per course
# (quiz start, completion check, learner home), their certificates, lessons read, unread notices.
HOT_QUERIES = {
    "completion of an attempt (every submit)": lambda: select(Completion.id).where(Completion.attempt_id == 7),
    "a person's submitted attempts at a course": lambda: (
        select(Attempt.id).where(Attempt.person_id == 3, Attempt.course_id == 2, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at.desc())),
    "a person's latest completion per course (learner home)": lambda: engine.last_completions(person_id=3),
    "a counting completion since a window start": lambda: select(Completion.id).where(
        Completion.person_id == 3, Completion.course_id == 2, Completion.completed_at >= sa.literal("2026-01-01")),
    "a person's current certificates": lambda: engine.current_certificates(person_id=3),
    "a person's certificates (my certificates)": lambda: (
        select(Certificate.id).where(Certificate.person_id == 3).order_by(Certificate.issued_at.desc())),
    "lessons read in a course": lambda: select(LessonProgress.lesson_slug).where(
        LessonProgress.person_id == 3, LessonProgress.course_id == 2),
    "unread notices": lambda: select(func.count(Notice.id)).where(Notice.account_id == 3, Notice.read_at.is_(None)),
}
LARGE = {"completion", "attempt", "certificate", "lesson_progress", "notice", "person", "account"}


def _full_scans(plan: dict) -> list[str]:
    """The large tables a plan reads whole: a sequential scan, or an index walked end to end (no condition)."""
    node, table = plan.get("Node Type"), plan.get("Relation Name")
    whole = node == "Seq Scan" or (node in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan)
    found = [f"{node} on {table}"] if whole and table in LARGE else []
    for child in plan.get("Plans", ()):
        found += _full_scans(child)
    return found


@pytest.mark.parametrize("name", sorted(HOT_QUERIES))
def test_hot_queries_use_an_index_on_postgresql(app, name):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    statement = HOT_QUERIES[name]().compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn, conn.begin():
        # The test tables are tiny, where a sequential scan is the cheapest plan; with sequential scans priced
        # out, the planner still reads a table whole (a sequential scan, or another index end to end) only
        # when no index can serve the query.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}").scalar()  # nosec B608 - our SQL
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert _full_scans(plan[0]["Plan"]) == [], json.dumps(plan, indent=1)
