"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then as a guard against slow leaks (the soak in bench/README.md shows memory
# flat without it). Not too often: a new worker spends ~2.5 s of CPU importing the app and compiling
# templates, which at 100 req/s over 5 workers and 2,000 requests each was ~6 % of a 2-core machine.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False
