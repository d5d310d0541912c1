"""Settings read from environment variables, with safe local defaults.

Production (``JIXIAO_PRODUCTION=1``) refuses the default secret and the local database URLs, so
a forgotten variable fails at start rather than in front of users.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_SECRET = "local-development-secret-change-me"
LOCAL_DATABASE_URL = "postgresql+psycopg://jixiao_app:jixiao_app@127.0.0.1:54329/jixiao"
LOCAL_OWNER_DATABASE_URL = "postgresql+psycopg://jixiao_owner:jixiao_owner@127.0.0.1:54329/jixiao"
LOCAL_REDIS_URL = "redis://127.0.0.1:63799/0"


class SettingsError(RuntimeError):
    pass


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    # The application's role: owns no table and cannot bypass row-level security.
    database_url: str = LOCAL_DATABASE_URL
    # The owner role: runs migrations and owns the tables; never used to serve requests.
    owner_database_url: str = LOCAL_OWNER_DATABASE_URL
    redis_url: str = LOCAL_REDIS_URL
    secret_key: str = DEFAULT_SECRET
    production: bool = False
    introspection: bool = True
    token_ttl_seconds: int = 8 * 3600
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_body_bytes: int = 20 * 1024 * 1024
    login_max_failures: int = 5
    login_base_delay_seconds: int = 30
    app_role: str = "jixiao_app"
    data_dir: str = "data"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)
        production = _flag(e.get("JIXIAO_PRODUCTION"))
        settings = cls(
            database_url=e.get("JIXIAO_DATABASE_URL", LOCAL_DATABASE_URL),
            owner_database_url=e.get("JIXIAO_OWNER_DATABASE_URL", LOCAL_OWNER_DATABASE_URL),
            redis_url=e.get("JIXIAO_REDIS_URL", LOCAL_REDIS_URL),
            secret_key=e.get("JIXIAO_SECRET_KEY", DEFAULT_SECRET),
            production=production,
            introspection=_flag(e.get("JIXIAO_INTROSPECTION", "0" if production else "1")),
            token_ttl_seconds=int(e.get("JIXIAO_TOKEN_TTL_SECONDS", str(8 * 3600))),
            app_role=e.get("JIXIAO_APP_ROLE", "jixiao_app"),
            data_dir=e.get("JIXIAO_DATA_DIR", "data"),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if not self.production:
            return
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
            raise SettingsError("JIXIAO_SECRET_KEY must be set to a random value of 32+ characters")
        for name, url in (("JIXIAO_DATABASE_URL", self.database_url),
                          ("JIXIAO_OWNER_DATABASE_URL", self.owner_database_url)):
            if url in (LOCAL_DATABASE_URL, LOCAL_OWNER_DATABASE_URL):
                raise SettingsError(f"{name} must be set in production")
