"""Celery app (leaky example)."""

import os

from celery import Celery

celery_app = Celery("scheduler", broker=os.environ["CELERY_BROKER_URL"])


@celery_app.task(name="reports.render")
def render_report(block_id: int) -> str:
    return f"rendered block {block_id}"
