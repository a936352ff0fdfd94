"""Real processes for the operations tests: PostgreSQL, Redis, gunicorn nodes, nginx, Celery.

Every server runs on a spare port with its files in a temporary folder, in its own process
group, so a test can kill it (SIGKILL included) and teardown never leaves one behind. The
machine's own PostgreSQL and Redis are never stopped: the fault tests start their own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
import requests

from learning.config import PROJECT_ROOT

BIN = PROJECT_ROOT / ".venv" / "bin"
APP_VARIABLES = ("APP_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CONTENT_DIR",
                 "STORAGE_DIR", "BASE_URL", "LOGIN_RATE_LIMIT", "MAIL_SERVER", "FLASK_APP")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - not ready yet
            last_error = error
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}" + (f" ({last_error})" if last_error else ""))


def _as_root() -> bool:
    return os.geteuid() == 0


def _user_prefix(user: str) -> list[str]:
    """Run as ``user`` when we are root (initdb and postgres refuse to run as root)."""
    return ["runuser", "-u", user, "--"] if _as_root() else []


class Process:
    """One server process (and its children) with its output in a log file."""

    def __init__(self, name: str, argv: list[str], log_dir: Path, env: dict[str, str] | None = None,
                 cwd: Path = PROJECT_ROOT) -> None:
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open by the child
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=self.env, cwd=self.cwd, start_new_session=True)
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group: a gunicorn master and its workers, a Celery worker and its pool."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = 10) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.proc.wait(5)
        self.kill(signal.SIGKILL)  # children that outlived their parent
        self.proc = None

    def wait_log(self, needle: str, timeout: float, start: int = 0) -> None:
        wait_until(lambda: needle in self.log()[start:] or self._died(), timeout, f"{self.name}: “{needle}”")
        if needle not in self.log()[start:]:
            raise RuntimeError(f"{self.name} exited:\n{self.log()[-3000:]}")

    def _died(self) -> bool:
        return not self.running()


def postgres_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                            reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresCluster:
    """A throw-away PostgreSQL cluster (initdb) on a spare port, stopped and deleted at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp dir: that is private to root, and the server runs as postgres.
        self.root = Path(tempfile.mkdtemp(prefix="ops-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.user = "postgres" if _as_root() else pwd.getpwuid(os.getuid()).pw_name
        if _as_root():
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *argv: str, timeout: float = 60) -> None:
        command = [*_user_prefix(self.user), str(self.bindir / argv[0]), *argv[1:]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:2])} failed: {result.stdout}{result.stderr}\n{self.server_log()}")

    def server_log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def init(self) -> PostgresCluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
                   "-c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A Redis on a spare port with persistence off; ``stop`` and ``start`` again at will."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.dir = log_dir
        self.process = Process(f"redis-{self.port}", ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                                      "--save", "", "--appendonly", "no", "--dir", str(log_dir)],
                               log_dir)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def start(self) -> None:
        self.process.start()
        wait_until(lambda: self.client().ping(), 10, "redis-server")

    def stop(self) -> None:
        self.process.stop()


def app_env(**values: str) -> dict[str, str]:
    """The environment of an app process: this one's, minus any app settings, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES and not k.startswith("PYTEST")}
    env.update({"FLASK_APP": "wsgi", "PYTHONUNBUFFERED": "1"}, **values)
    return env


class AppNode:
    """One app node: gunicorn with the production settings file, on its own port."""

    def __init__(self, name: str, log_dir: Path, env: dict[str, str], workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = env | {"BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads),
                     "GUNICORN_CMD_ARGS": "--no-control-socket"}  # one per machine: nodes here would share it
        self.process = Process(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                               log_dir, env)

    def start(self) -> AppNode:
        self.launch()
        return self.wait_ready()

    def launch(self) -> AppNode:
        self.process.start()
        return self

    def wait_ready(self) -> AppNode:
        wait_until(lambda: self.healthy() or not self.process.running(), 60, f"{self.process.name} /healthz")
        if not self.process.running():
            raise RuntimeError(f"{self.process.name} exited:\n{self.process.log()[-3000:]}")
        return self

    def healthy(self) -> bool:
        return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200

    def stop(self) -> None:
        self.process.stop()


class Worker:
    """A Celery worker (prefork pool of one process) consuming the app's queue."""

    def __init__(self, name: str, log_dir: Path, env: dict[str, str]) -> None:
        self.name = name
        self.process = Process(name, [str(BIN / "celery"), "-A", "learning.celery_app", "worker", "--loglevel", "INFO",
                                      "--concurrency", "1", "--hostname", f"{name}@%h", "--without-gossip",
                                      "--without-mingle"], log_dir, env)

    def start(self) -> Worker:
        offset = len(self.process.log())
        self.process.start()
        self.process.wait_log(" ready.", 60, offset)
        return self

    def pool_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True,
                             check=False).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        self.process.stop()


class Beat:
    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.process = Process("beat", [str(BIN / "celery"), "-A", "learning.celery_app", "beat", "--loglevel", "INFO",
                                        "--schedule", str(log_dir / "celerybeat-schedule")], log_dir, env)

    def start(self) -> Beat:
        self.process.start()
        self.process.wait_log("beat: Starting", 60)
        return self

    def stop(self) -> None:
        self.process.stop()


NGINX_CONF = """\
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    client_max_body_size 12m;
{upstreams}
    # The tests pin a request to one node with "X-Node: a"; without it nginx balances.
    map $http_x_node $pool {{
{routes}
        default all_nodes;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$pool;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx with a configuration in a temporary folder (never /etc/nginx)."""

    def __init__(self, root: Path, nodes: dict[str, AppNode]) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        upstreams = "".join(f"    upstream node_{name} {{ server 127.0.0.1:{node.port}; }}\n"
                            for name, node in nodes.items())
        upstreams += ("    upstream all_nodes {\n"
                      + "".join(f"        server 127.0.0.1:{node.port};\n" for node in nodes.values()) + "    }\n")
        routes = "".join(f"        {name} node_{name};\n" for name in nodes)
        user = "user root root;" if _as_root() else ""  # workers must reach the private temp folder
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, port=self.port, upstreams=upstreams, routes=routes, user=user))
        self.process = Process("nginx", [shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin") or "nginx", "-p", str(root), "-c", str(conf),
                                         "-e", str(root / "error.log"), "-g", "daemon off;"], root)

    def start(self) -> Nginx:
        self.process.start()
        wait_until(lambda: requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
                   or not self.process.running(), 20, "nginx")
        if not self.process.running():
            raise RuntimeError(f"nginx exited:\n{self.process.log()}\n{(self.root / 'error.log').read_text()}")
        return self

    def stop(self) -> None:
        self.process.stop()
