"""Locust scenarios of the learning benchmark; bench/learners.py runs them (it writes BENCH_CONFIG).

- ``Learner``: logs in, opens the home page and a course, reads each lesson (marks it read), takes the
  quiz page by page and submits it, reads the result, then goes on to the next course; 20–40 s of
  think time after every page it reads (``BENCH_THINK``). Requests alternate between the app nodes,
  so a session started on one node goes on on the other.
- ``LessonReader``, ``QuizTaker``, ``Verifier``: the same pages without think time, to find the
  saturation throughput of the lesson page, the quiz (answers and final submit) and the public
  verify page.

Each simulated user has its own client address (X-Forwarded-For, trusted with TRUSTED_PROXIES=1, as
behind nginx), so per-address rate limits apply per user, as in production.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

CONFIG = json.loads(open(os.environ["BENCH_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
NODES: list[str] = CONFIG["nodes"]
THINK = tuple(CONFIG.get("think", (20, 40)))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUESTION = re.compile(r'name="q(\d+)" value="([^"]+)"')
PAGES = re.compile(r"/bai-lam/(\d+)/trang/(\d+)")
_learners = itertools.count()
_addresses = itertools.count(1)


class BenchUser(FastHttpUser):
    abstract = True
    host = NODES[0]

    def on_start(self) -> None:
        n = next(_addresses)
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        self.turn = itertools.cycle(NODES)
        self.csrf = ""

    def url(self, path: str) -> str:
        return next(self.turn) + path

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(self.url(path), name=name, headers={"X-Forwarded-For": self.address},
                             catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
            return response

    def post(self, path: str, name: str, data: dict, expect: int = 302):
        data = {"csrf_token": self.csrf, **data}
        with self.client.post(self.url(path), name=name, data=data, catch_response=True, allow_redirects=False,
                              headers={"X-Forwarded-For": self.address}) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} on POST {path}")
            return response

    def log_in(self, pool: str = "learners") -> None:
        code = CONFIG[pool][next(_learners) % len(CONFIG[pool])]
        page = self.get("/dang-nhap", "login page")
        self.csrf = _csrf(page.text)
        response = self.post("/dang-nhap", "log-in POST", {"identifier": code, "password": CONFIG["password"]})
        if response.status_code != 302:
            raise StopUser()
        home = self.get("/", "home")
        self.csrf = _csrf(home.text) or self.csrf

    def read_lesson(self, course: dict, slug: str, think) -> None:
        self.get(f"/khoa-hoc/{course['code']}/bai/{slug}", "lesson page")
        think()
        self.post(f"/khoa-hoc/{course['code']}/bai/{slug}/da-doc", "lesson read POST", {})

    def take_quiz(self, course: dict, think, right: float = 0.9) -> None:
        start = self.post(f"/khoa-hoc/{course['code']}/kiem-tra/bat-dau", "quiz start POST", {})
        found = PAGES.search(start.headers.get("Location") or "")
        if not found:
            return
        attempt, number = int(found.group(1)), 1
        while True:
            page = self.get(f"/bai-lam/{attempt}/trang/{number}", "quiz page")
            if page.status_code != 200:
                return
            answers: dict[str, str] = {}
            for qid, option in QUESTION.findall(page.text):
                if f"q{qid}" not in answers or (option == "a" and random.random() < right):  # noqa: S311
                    answers[f"q{qid}"] = option
            last = f'trang/{number + 1}"' not in page.text
            think()
            self.post(f"/bai-lam/{attempt}/trang/{number}", "quiz answers POST",
                      answers | {"di": "nop" if last else "sau"})
            if last:
                break
            number += 1
        self.get(f"/bai-lam/{attempt}/nop", "quiz confirm page")
        self.post(f"/bai-lam/{attempt}/nop", "quiz submit POST", {})
        self.get(f"/bai-lam/{attempt}/ket-qua", "quiz result")


def _csrf(html: str) -> str:
    found = CSRF.search(html or "")
    return found.group(1) if found else ""


class Learner(BenchUser):
    """One employee working through the courses, reading at a human pace."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        super().on_start()
        self.log_in()
        self.courses = itertools.cycle(random.sample(CONFIG["courses"], len(CONFIG["courses"])))

    def think(self) -> None:
        self.wait()

    @task
    def next_course(self) -> None:
        course = next(self.courses)
        self.get(f"/khoa-hoc/{course['code']}", "course page")
        self.think()
        for slug in course["lessons"]:
            self.read_lesson(course, slug, self.think)
        self.take_quiz(course, self.think)
        self.think()
        self.get("/", "home")


class LessonReader(BenchUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        self.log_in("saturation_learners")
        self.lessons = itertools.cycle([(c["code"], s) for c in CONFIG["courses"] for s in c["lessons"]])

    @task
    def lesson(self) -> None:
        code, slug = next(self.lessons)
        self.get(f"/khoa-hoc/{code}/bai/{slug}", "lesson page")


class QuizTaker(BenchUser):
    """Lessons already read: every passed attempt completes the course and issues a certificate."""

    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        self.log_in("saturation_learners")
        self.courses = itertools.cycle(CONFIG["courses"])

    @task
    def quiz(self) -> None:
        self.take_quiz(next(self.courses), lambda: None)


class Verifier(BenchUser):
    wait_time = constant(0)

    @task
    def verify(self) -> None:
        self.address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311
        self.get(f"/xac-thuc/{random.choice(CONFIG['verify_codes'])}", "verify page")  # noqa: S311
