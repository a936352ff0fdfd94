"""The cost of one password hash: argon2id at the parameters the site uses (learning/auth/passwords.py) beside
the other OWASP argon2id settings and werkzeug's scrypt (the site's earlier hash). No database.

    .venv/bin/python bench/password_hash.py [--runs 30]

Prints a Markdown table: wall and CPU milliseconds per hash and per verification (median and p95 of the runs),
the memory each hash needs, and how many verifications per second two threads reach on this machine (argon2-cffi
and hashlib release the GIL, so a log-in storm spreads over the cores the page workers also use).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher, Type
from common import load_average, machine, markdown_table, percentile
from werkzeug.security import check_password_hash, generate_password_hash

from learning.auth import passwords

PASSWORD = "Hoa-sen-tim-no-som-2026"


def _argon(m_kib: int, t: int) -> tuple[Callable[[], str], Callable[[str], bool]]:
    hasher = PasswordHasher(time_cost=t, memory_cost=m_kib, parallelism=1, type=Type.ID)
    return (lambda: hasher.hash(PASSWORD)), (lambda stored: hasher.verify(stored, PASSWORD))


CANDIDATES: list[tuple[str, str, Callable[[], str], Callable[[str], bool]]] = [
    ("argon2id m=19 MiB, t=2, p=1 (the site's, auth.passwords)", "19 MiB",
     lambda: passwords.hash_password(PASSWORD), lambda stored: passwords.verify(stored, PASSWORD)),
    ("argon2id m=46 MiB, t=1, p=1 (OWASP)", "46 MiB", *_argon(46 * 1024, 1)),
    ("argon2id m=12 MiB, t=3, p=1 (OWASP)", "12 MiB", *_argon(12 * 1024, 3)),
    ("argon2id m=7 MiB, t=5, p=1 (OWASP)", "7 MiB", *_argon(7 * 1024, 5)),
    ("scrypt N=2^15, r=8, p=1 (werkzeug's default, the earlier hash)", "32 MiB",
     lambda: generate_password_hash(PASSWORD, method="scrypt"),
     lambda stored: check_password_hash(stored, PASSWORD)),
]


def _timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return wall, cpu


def _per_second(verify: Callable[[str], bool], stored: str, threads: int, seconds: float = 3.0) -> float:
    deadline = time.perf_counter() + seconds

    def loop() -> int:
        done = 0
        while time.perf_counter() < deadline:
            verify(stored)
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(lambda _: loop(), range(threads)))
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(f"Machine: {machine()}. Load average at start {load_average()}.\n")
    rows = []
    for name, memory, make, check in CANDIDATES:
        make()  # warm up
        wall, cpu = _timed(make, args.runs)
        stored = make()
        vwall, _ = _timed(lambda s=stored, c=check: c(s), args.runs)
        rows.append([name, memory, f"{statistics.median(wall):.1f}", f"{percentile(wall, 95):.1f}",
                     f"{statistics.median(cpu):.1f}", f"{statistics.median(vwall):.1f}",
                     f"{_per_second(check, stored, 2):.0f}"])
    print(markdown_table(["hash", "memory", "hash ms (median)", "hash ms (p95)", "hash CPU ms (median)",
                          "verify ms (median)", "verifications/s, 2 threads"], rows))
    print(f"\n{args.runs} runs each; load average at end {load_average()}.")


if __name__ == "__main__":
    main()
