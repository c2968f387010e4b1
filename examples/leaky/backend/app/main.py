"""Residency Scheduler API (leaky example)."""

import os

from fastapi import FastAPI

app = FastAPI(title="Residency Scheduler API", debug=os.environ.get("DEBUG") == "true")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/schedules")
def list_schedules() -> list[dict[str, str]]:
    return []
