"""Settings read from the environment. The app refuses to start with weak secrets in production."""

from pydantic_settings import BaseSettings

KNOWN_DEFAULTS = {"dev_only_password", "changeme", "secret", "password"}


class Settings(BaseSettings):
    ENVIRONMENT: str = "development"
    SECRET_KEY: str
    DATABASE_URL: str
    REDIS_URL: str


settings = Settings()

if settings.ENVIRONMENT == "production":
    if not settings.SECRET_KEY:
        raise ValueError("SECRET_KEY must be set")
    if len(settings.SECRET_KEY) < 32:
        raise ValueError("SECRET_KEY must be at least 32 characters")
    if settings.SECRET_KEY in KNOWN_DEFAULTS or settings.SECRET_KEY.startswith("dev_only"):
        raise ValueError("SECRET_KEY uses a known default value")
