"""Background jobs for the Residency Scheduler (example)."""

import os

from celery import Celery

celery_app = Celery(
    "scheduler",
    broker=os.environ["CELERY_BROKER_URL"],
    backend=os.environ["CELERY_RESULT_BACKEND"],
)
celery_app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
)


@celery_app.task(name="schedules.rebuild")
def rebuild_schedule(block_id: int) -> str:
    return f"rebuilt block {block_id}"
