#!/bin/bash
# Shared by the worker image (CMD ["worker"]) and, in theory, the API.
# MISTAKE: no `set -e`: a failed migration is ignored and the process starts on the old schema.

echo "Running database migrations..."
alembic upgrade head

case "$1" in
  worker)
    # MISTAKE: no `exec`: bash stays PID 1, so the SIGTERM from `docker stop` never reaches
    # celery; tasks are cut off by SIGKILL 10 seconds later instead of finishing.
    celery -A app.worker worker --loglevel=info
    ;;
  api)
    exec uvicorn app.main:app --host 0.0.0.0 --port 8000
    ;;
  *)
    exec "$@"
    ;;
esac
