#!/usr/bin/env bash
# Start the production stack locally: gunicorn + a Celery worker + Celery beat, against the
# PostgreSQL and Redis already running on this machine. Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SECRET_KEY:?Set SECRET_KEY (e.g. export SECRET_KEY=\$(python3 -c 'import secrets; print(secrets.token_hex(32))'))}"
export APP_ENV=production
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/learning}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}"  # plain http on localhost; keep 1 behind HTTPS
export FLASK_APP=wsgi
BIN=.venv/bin
# The Open Badges issuer key (production requires one): made once here, kept across restarts.
export OB_KEY_FILE="${OB_KEY_FILE:-instance/ob-issuer-ed25519.pem}"
[ -f "$OB_KEY_FILE" ] || APP_ENV=development $BIN/flask certificates ob-key "$OB_KEY_FILE"
db_name="${DATABASE_URL##*/}"
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='${db_name}'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE \"${db_name}\""
$BIN/flask db upgrade
$BIN/flask content load
pids=()
$BIN/celery -A learning.celery_app worker --loglevel INFO --concurrency 2 & pids+=($!)
$BIN/celery -A learning.celery_app beat --loglevel INFO --schedule instance/celerybeat-schedule & pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
$BIN/gunicorn -c deploy/gunicorn.conf.py wsgi:app
