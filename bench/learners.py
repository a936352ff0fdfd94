"""Learning benchmark over HTTP: locust against gunicorn on PostgreSQL, on this machine.

    .venv/bin/python bench/learners.py                       # 2,000 learners on 1 node, then 2 nodes, then saturation
    .venv/bin/python bench/learners.py --nodes 1 --users 500 --hold 120 --phases learners
    .venv/bin/python bench/learners.py --soak 30             # the soak: see bench/README.md

Builds a fresh PostgreSQL database ``bench_learners_<random>`` (dropped at the end): the demo province
with ``--people`` people, six synthetic courses (4 lessons, 20 questions, 10 drawn) assigned
province-wide, about 60% of people × courses completed with certificates, and log-in accounts for the
simulated learners. Starts gunicorn with deploy/gunicorn.conf.py (production settings, Redis for rate
limits and the Celery broker; one Celery worker renders the certificate PDFs), one node or two behind
locust, which alternates requests between them. Phases:

- ``learners``: ``--users`` learners (default 2,000) log in at ``--spawn-rate`` per second, then work
  through courses with 20–40 s think time for ``--hold`` seconds after the ramp;
- ``saturation``: no think time, ``--sat-users`` users for ``--sat-seconds`` each on the lesson page,
  the quiz (answers and final submit) and the public verify page;
- ``soak`` (``--soak MINUTES``): the learner scenario for that long, sampling the RSS of every
  gunicorn worker each ``--sample`` seconds.

Prints Markdown tables: per request type the count, failures, median, p95, p99 and requests/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import select  # noqa: E402

from learning import create_app  # noqa: E402
from learning.certification.badge_key import ensure_key  # noqa: E402
from learning.certification.models import Certificate  # noqa: E402
from learning.extensions import db  # noqa: E402
from learning.org import demo  # noqa: E402
from learning.org.models import Person  # noqa: E402

BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
PORTS = (5811, 5812)
SATURATION_LEARNERS = 200


class Stack:
    """gunicorn node(s) and a Celery worker, started here and stopped by their process group."""

    def __init__(self, url: str, redis_url: str, nodes: int, workdir: Path, worker: bool) -> None:
        self.env = os.environ | {
            "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
            "REDIS_URL": redis_url, "SESSION_COOKIE_SECURE": "0", "TRUSTED_PROXIES": "1",
            "BASE_URL": f"http://127.0.0.1:{PORTS[0]}", "STORAGE_DIR": str(workdir / "storage"),
            "FORWARDED_ALLOW_IPS": "127.0.0.1", "FLASK_APP": "wsgi",
            "OB_KEY_FILE": str(workdir / "ob-issuer.pem"),  # production requires its own Open Badges key
            # Simulated learners think seconds, not minutes, per lesson: without this the reading-time gate
            # (issue 18 item 4) refuses their "Đã đọc xong" and no attempt ever completes a course.
            "LESSON_MIN_READ_SHARE": "0",
        }
        ensure_key(workdir / "ob-issuer.pem")
        self.nodes = nodes
        self.workdir = workdir
        self.worker = worker
        self.processes: list[subprocess.Popen] = []

    def start(self) -> list[str]:
        urls = []
        for n in range(self.nodes):
            env = self.env | {"BIND": f"127.0.0.1:{PORTS[n]}"}
            log = open(self.workdir / f"gunicorn-{n + 1}.log", "w")  # noqa: SIM115
            self.processes.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=common.ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            urls.append(f"http://127.0.0.1:{PORTS[n]}")
        if self.worker:
            log = open(self.workdir / "celery.log", "w")  # noqa: SIM115
            self.processes.append(subprocess.Popen(
                [str(BIN / "celery"), "-A", "learning.celery_app", "worker", "--concurrency", "1",
                 "--loglevel", "WARNING", "--without-gossip", "--without-mingle"], cwd=common.ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.time() + 60
        for url in urls:
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError(f"{url} did not start; see {self.workdir}")
                time.sleep(0.5)
        return urls

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of each master)."""
        pids = []
        for process in self.processes[: self.nodes]:
            try:
                children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
            except OSError:
                children = []
            pids += [int(p) for p in children]
        return pids

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()


def prepare(url: str, people: int, users: int, year: int) -> dict:
    """Seed the database; return the locust configuration (everything but the node addresses)."""
    common.migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_MODE": "sync"})
    with app.app_context():
        demo.seed(people)
        db.session.commit()
        versions = common.synthetic_courses()
        common.assign_province_wide(versions, year)
        db.session.commit()
        common.seed_histories(versions, year, placeholder_pdfs=True)
        learners = common.learner_accounts(users + SATURATION_LEARNERS)
        saturation = learners[users:]
        ids = list(db.session.scalars(select(Person.id).where(Person.employee_code.in_(saturation))))
        common.lessons_read_for(ids, common.bench_versions())
        common.analyze()
        versions = common.bench_versions()
        config = {
            "courses": [{"code": v.course.code, "lessons": [lesson.slug for lesson in v.lessons]} for v in versions],
            "learners": learners[:users], "saturation_learners": saturation, "password": common.BENCH_PASSWORD,
            "verify_codes": list(db.session.scalars(select(Certificate.code).order_by(Certificate.id).limit(2000))),
        }
        db.session.remove()
        db.engine.dispose()
    return config


def run_locust(config: dict, workdir: Path, name: str, user_class: str, users: int, spawn_rate: float,
               seconds: int, reset_stats: bool = False) -> list[dict]:
    path = workdir / f"config-{name}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    prefix = workdir / name
    command = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "-u", str(users),
               "-r", str(spawn_rate), "-t", f"{seconds}s", "--csv", str(prefix), "--stop-timeout", "5",
               "--host", config["nodes"][0], user_class]
    if reset_stats:
        command.insert(-1, "--reset-stats")
    with open(workdir / f"locust-{name}.log", "w") as log:
        subprocess.run(command, env=os.environ | {"BENCH_CONFIG": str(path)}, stdout=log, stderr=subprocess.STDOUT,
                       check=False, cwd=common.ROOT)
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def nf(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def stats_table(rows: list[dict]) -> str:
    body = []
    for row in rows:
        body.append([row["Name"] if row["Name"] != "Aggregated" else "**all requests**", row["Request Count"],
                     row["Failure Count"], row["50%"], row["95%"], row["99%"], f"{float(row['Requests/s']):.1f}"])
    return common.markdown_table(["request", "count", "failures", "median ms", "p95 ms", "p99 ms", "req/s"], body)


def row_named(rows: list[dict], name: str) -> dict:
    return next((r for r in rows if r["Name"] == name), {"Request Count": "0", "Failure Count": "0", "95%": "nan",
                                                         "Requests/s": "0", "50%": "nan", "99%": "nan"})


def failures_of(workdir: Path, name: str) -> str:
    path = workdir / f"{name}_failures.csv"
    if not path.exists():
        return ""
    with open(path, newline="", encoding="utf-8") as found:
        rows = list(csv.DictReader(found))
    return "; ".join(f"{r['Occurrences']}× {r['Name']}: {r['Error'][:120]}" for r in rows[:5])


def sample_rss(stack: Stack, seconds: int, every: int, stop_when) -> list[tuple[float, float, int]]:
    """(minutes since start, total RSS of the gunicorn workers in MB, workers) every ``every`` seconds."""
    samples = []
    start = time.time()
    while time.time() - start < seconds and not stop_when():
        pids = stack.worker_pids()
        total = 0.0
        for pid in pids:
            try:
                total += common.rss_mb(pid)
            except OSError:
                pass
        samples.append(((time.time() - start) / 60, total, len(pids)))
        time.sleep(every)
    return samples


def main() -> None:  # noqa: C901, PLR0912, PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=60000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--spawn-rate", type=float, default=5, help="learners logging in per second")
    parser.add_argument("--hold", type=int, default=300, help="seconds of the learner phase after the ramp")
    parser.add_argument("--nodes", default="1,2", help="node counts to run the learner phase with")
    parser.add_argument("--phases", default="learners,saturation")
    parser.add_argument("--sat-users", type=int, default=60)
    parser.add_argument("--sat-seconds", type=int, default=60)
    parser.add_argument("--think", default="20,40", help="think time range in seconds")
    parser.add_argument("--soak", type=float, default=0, help="minutes of soak (learner scenario, RSS sampled)")
    parser.add_argument("--sample", type=int, default=30, help="seconds between RSS samples in the soak")
    parser.add_argument("--no-worker", action="store_true", help="no Celery worker rendering PDFs")
    parser.add_argument("--redis-db", type=int, default=14, help="Redis database used (must be empty)")
    args = parser.parse_args()
    phases = set(args.phases.split(",")) | ({"soak"} if args.soak else set())
    if args.soak:
        phases -= {"learners", "saturation"} if args.phases == parser.get_default("phases") else set()
    year = date.today().year
    workdir = Path(tempfile.mkdtemp(prefix="bench_learners_"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    broker = redis.Redis.from_url(redis_url)
    if broker.dbsize():
        raise SystemExit(f"Redis database {args.redis_db} is not empty; choose another with --redis-db")
    started = time.time()
    report = [f"Machine: {common.machine()}. Load average (1/5/15 min) at start: {common.load_average()}. "
              f"Work files: {workdir}."]
    print(f"work files in {workdir}", file=sys.stderr)
    try:
        with common.fresh_database("postgresql", "learners") as database:
            config = prepare(database.url, args.people, args.users, year) | {
                "think": [float(x) for x in args.think.split(",")]}
            report.append(f"Database: {nf(args.people)} people, 6 courses, {nf(args.users)} + "
                          f"{SATURATION_LEARNERS} learner accounts; seeded in {time.time() - started:.0f} s.")
            node_counts = [int(n) for n in args.nodes.split(",")] if "learners" in phases else []
            summary = []
            for nodes in node_counts:
                stack = Stack(database.url, redis_url, nodes, workdir, not args.no_worker)
                try:
                    config["nodes"] = stack.start()
                    ramp = int(args.users / args.spawn_rate)
                    load_before = common.load_average()
                    rows = run_locust(config, workdir, f"learners-{nodes}", "Learner", args.users, args.spawn_rate,
                                      ramp + args.hold)
                    total = row_named(rows, "Aggregated")
                    report.append(f"\n### {nf(args.users)} learners, {nodes} node{'s' if nodes > 1 else ''}\n"
                                  f"\nRamp {ramp} s at {args.spawn_rate:g}/s, then {args.hold} s; think time "
                        f"{args.think} s. Load average before {load_before}, after {common.load_average()}.\n")
                    report.append(stats_table(rows))
                    failed = failures_of(workdir, f"learners-{nodes}")
                    if failed:
                        report.append(f"\nFailures: {failed}")
                    p95 = float(total["95%"])
                    summary.append([f"{nf(args.users)} learners, {nodes} node(s): failures",
                                    total["Failure Count"], "0", common.verdict(total["Failure Count"] == "0")])
                    summary.append([f"{nf(args.users)} learners, {nodes} node(s): p95, all requests",
                                    f"{p95:.0f} ms", "≤ 1000 ms", common.verdict(p95 <= 1000)])
                finally:
                    stack.stop()
            if "saturation" in phases:
                stack = Stack(database.url, redis_url, 1, workdir, not args.no_worker)
                try:
                    config["nodes"] = stack.start()
                    for name, user_class, measures in (
                            ("lesson", "LessonReader", [("lesson page", "≥ 250", 250)]),
                            ("quiz", "QuizTaker", [("quiz answers POST", "≥ 100", 100),
                                                   ("quiz submit POST", "—", None)]),
                            ("verify", "Verifier", [("verify page", "≥ 300", 300)])):
                        load_before = common.load_average()
                        rows = run_locust(config, workdir, f"saturation-{name}", user_class, args.sat_users,
                                          args.sat_users, args.sat_seconds, reset_stats=True)
                        report.append(f"\n### Saturation: {name} ({args.sat_users} users, no think time, "
                                      f"{args.sat_seconds} s, 1 node)\n\nLoad average before {load_before}, after "
                                      f"{common.load_average()}.\n")
                        report.append(stats_table(rows))
                        failed = failures_of(workdir, f"saturation-{name}")
                        if failed:
                            report.append(f"\nFailures: {failed}")
                        quiz_total = sum(float(r["Requests/s"]) for r in rows if r["Name"].startswith("quiz"))
                        for request, target, minimum in measures:
                            row = row_named(rows, request)
                            rate = float(row["Requests/s"])
                            summary.append([f"saturation: {request} (p95 {row['95%']} ms)", f"{rate:.0f} req/s",
                                            f"{target} req/s" if minimum else "—",
                                            common.verdict(rate >= minimum) if minimum else "—"])
                        if name == "quiz":
                            summary.append(["saturation: all quiz requests", f"{quiz_total:.0f} req/s", "—", "—"])
                finally:
                    stack.stop()
            if "soak" in phases:
                stack = Stack(database.url, redis_url, 1, workdir, not args.no_worker)
                try:
                    config["nodes"] = stack.start()
                    path = workdir / "config-soak.json"
                    path.write_text(json.dumps(config), encoding="utf-8")
                    seconds = int(args.soak * 60)
                    load_before = common.load_average()
                    locust = subprocess.Popen(
                        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "-u",
                         str(args.users), "-r", str(args.spawn_rate), "-t", f"{seconds}s", "--csv",
                         str(workdir / "soak"), "--host", config["nodes"][0], "Learner"],
                        env=os.environ | {"BENCH_CONFIG": str(path)}, stdout=open(workdir / "locust-soak.log", "w"),  # noqa: SIM115
                        stderr=subprocess.STDOUT, cwd=common.ROOT)
                    samples = sample_rss(stack, seconds + 30, args.sample, lambda: locust.poll() is not None)
                    locust.wait()
                    with open(workdir / "soak_stats.csv", newline="", encoding="utf-8") as stats:
                        rows = list(csv.DictReader(stats))
                    report.append(f"\n### Soak: {args.soak:g} min, {nf(args.users)} learners, 1 node\n"
                                  f"\nLoad average before {load_before}, after {common.load_average()}.\n")
                    report.append(stats_table(rows))
                    ramp_end = args.users / args.spawn_rate / 60
                    steady = [s for s in samples if s[0] >= ramp_end + 1] or samples
                    report.append("\nRSS of the gunicorn workers (sum), sampled every "
                                  f"{args.sample} s:\n")
                    report.append(common.markdown_table(
                        ["minute", "RSS MB (all workers)", "workers"],
                        [[f"{m:.1f}", f"{r:.0f}", w] for m, r, w in samples[:: max(1, len(samples) // 30)]]))
                    growth = steady[-1][1] - steady[0][1]
                    total = row_named(rows, "Aggregated")
                    summary.append([f"soak {args.soak:g} min: RSS growth after the ramp (sum of workers)",
                                    f"{growth:+.0f} MB", "flat (≤ 50 MB)", common.verdict(growth <= 50)])
                    summary.append([f"soak {args.soak:g} min: failures / p95", f"{total['Failure Count']} / "
                                    f"{float(total['95%']):.0f} ms", "0 / ≤ 1000 ms",
                                    common.verdict(total["Failure Count"] == "0" and float(total["95%"]) <= 1000)])
                finally:
                    stack.stop()
    finally:
        broker.flushdb()
    print("\n## Learning benchmark\n")
    print("\n".join(report[:2]))
    print()
    print(common.markdown_table(["measure", "result", "target", ""], summary))
    print("\n".join(report[2:]))
    print(f"\nLoad average at end: {common.load_average()}; {time.time() - started:.0f} s in all.")


if __name__ == "__main__":
    main()
