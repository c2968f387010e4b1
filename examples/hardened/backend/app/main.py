"""Residency Scheduler API (example)."""

from fastapi import FastAPI

from app.core.config import settings

app = FastAPI(title="Residency Scheduler API", docs_url=None if settings.ENVIRONMENT == "production" else "/docs")


@app.get("/health")
def health() -> dict[str, str]:
    """Liveness probe used by the Dockerfile HEALTHCHECK and compose."""
    return {"status": "ok"}


@app.get("/api/schedules")
def list_schedules() -> list[dict[str, str]]:
    return []
