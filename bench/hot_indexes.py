"""EXPLAIN ANALYZE of the hot queries at the issue's size, with and without the indexes of migration 0033.

    .venv/bin/python bench/hot_indexes.py [--completions 216000]

A fresh PostgreSQL database (``BENCH_POSTGRES_URL``), migrated, filled with synthetic completions, attempts,
certificates and lessons read for 60,000 people × 6 courses by ``generate_series`` (foreign keys not enforced
while loading: only the row counts and the value spread matter to the planner), ``VACUUM ANALYZE``. Each hot
query of ``tests/core/test_indexes.py`` is explained and timed (median of 5 executions), then the indexes of
0033 are dropped and the same is done again. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time

from common import ROOT, fresh_database, load_average, machine, markdown_table, migrate

PEOPLE, COURSES = 60_000, 6

FILL = [
    # attempts: ~1.2 per completion; completion.attempt_id points at every fifth-but-one attempt of a person
    """INSERT INTO attempt (person_id, course_id, course_version_id, seed, pages, option_order, answers,
           started_at, submitted_at, submit_reason, score, passed, results)
       SELECT 1 + mod(g, {people}), 1 + mod(g, {courses}), 1 + mod(g, {courses}), g, '[]', '{{}}', '{{}}',
              timestamp '2024-01-01' + g * interval '7 minutes', timestamp '2024-01-01' + g * interval '7 minutes'
              + interval '20 minutes', 'learner', 90, true, '{{}}'
       FROM generate_series(1, {attempts}) AS g""",
    """INSERT INTO completion (person_id, course_id, course_version_id, attempt_id, score, completed_at)
       SELECT 1 + mod(g, {people}), 1 + mod(g, {courses}), 1 + mod(g, {courses}), g, 90,
              timestamp '2024-01-01' + g * interval '7 minutes' + interval '20 minutes'
       FROM generate_series(1, {completions}) AS g""",
    """INSERT INTO certificate (serial, code, person_id, course_id, course_version_id, completion_id, person_name,
           holder_note, unit_id, unit_name, course_title, course_version_number, score, issued_at, valid_until,
           pdf_sha256, status, revoke_reason)
       SELECT 'S' || id, 'C' || id, person_id, course_id, course_version_id, id, 'Nguyễn Văn An', '', 1, 'Sở',
              'Khoá', 1, score, completed_at, date '2027-01-01', '', 'valid', ''
       FROM completion""",
    """INSERT INTO lesson_progress (person_id, course_id, lesson_slug, read_at)
       SELECT 1 + mod(g, {people}), 1 + mod(g / {people}, {courses}), 'bai-' || (g / ({people} * {courses})),
              timestamp '2024-01-01' + g * interval '1 minute'
       FROM generate_series(0, {people} * {courses} * 4 - 1) AS g""",
]


def _hot_queries():
    spec = importlib.util.spec_from_file_location("test_indexes", ROOT / "tests" / "core" / "test_indexes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.HOT_QUERIES, module._full_scans


def _migration_indexes() -> list[tuple[str, list[str], str]]:
    spec = importlib.util.spec_from_file_location("m0033", ROOT / "migrations" / "versions" / "0033_missing_indexes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.INDEXES


def _measure(conn, sql: str, full_scans) -> tuple[float, str]:
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}").scalar()  # nosec B608 - our own statements
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans = full_scans(plan[0]["Plan"])
    times = []
    for _ in range(5):
        started = time.perf_counter()
        conn.exec_driver_sql(sql).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), ", ".join(scans) or "index"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--completions", type=int, default=216_000)
    args = parser.parse_args()
    print(f"Machine: {machine()}. Load average at start {load_average()}.\n")
    from learning import create_app
    from learning.extensions import db

    with fresh_database("postgresql", "indexes") as database:
        migrate(database.url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url})
        with app.app_context():
            queries, full_scans = _hot_queries()
            statements = {name: str(build().compile(db.engine, compile_kwargs={"literal_binds": True}))
                          for name, build in queries.items()}
            sizes = {"people": PEOPLE, "courses": COURSES, "completions": args.completions,
                     "attempts": args.completions * 6 // 5}
            with db.engine.begin() as conn:
                conn.exec_driver_sql("SET session_replication_role = replica")  # no FK checks while loading
                for sql in FILL:
                    conn.exec_driver_sql(sql.format(**sizes))
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
                with_ix = {name: _measure(conn, sql, full_scans) for name, sql in statements.items()}
                for _table, _columns, name in _migration_indexes():
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                conn.exec_driver_sql("ANALYZE")
                without = {name: _measure(conn, sql, full_scans) for name, sql in statements.items()}
            db.engine.dispose()
    rows = [[name, f"{without[name][0]:.2f} ms", without[name][1], f"{with_ix[name][0]:.2f} ms", with_ix[name][1]]
            for name in statements]
    print(f"{sizes['completions']:,} completions, {sizes['attempts']:,} attempts, as many certificates, "
          f"{PEOPLE * COURSES * 4:,} lessons read; {PEOPLE:,} people × {COURSES} courses.\n")
    print(markdown_table(["hot query", "without 0033", "plan", "with 0033", "plan"], rows))
    print(f"\nMedian of 5 executions each (in the database, over one connection). "
          f"Load average at end {load_average()}.")


if __name__ == "__main__":
    main()
