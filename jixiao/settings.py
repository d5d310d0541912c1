"""Settings read from environment variables, with safe local defaults.

Production (``JIXIAO_PRODUCTION=1``) refuses the default secret and the local database URLs, so
a forgotten variable fails at start rather than in front of users.

The one place the environment is read: the layers below get the part they need as a small
frozen dataclass of their own (``use_cases()``, ``worker()``), built here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from resolvers.settings import UseCaseSettings
from workers.settings import WorkerSettings

DEFAULT_SECRET = "local-development-secret-change-me"
LOCAL_DATABASE_URL = "postgresql+psycopg://jixiao_app:jixiao_app@127.0.0.1:54329/jixiao"
LOCAL_OWNER_DATABASE_URL = "postgresql+psycopg://jixiao_owner:jixiao_owner@127.0.0.1:54329/jixiao"
LOCAL_REDIS_URL = "redis://127.0.0.1:63799/0"
# The built portal (portal/ in the checkout, built by scripts/setup).
DEFAULT_PORTAL_DIR = str(Path(__file__).resolve().parent.parent / "portal" / "dist")


class SettingsError(RuntimeError):
    pass


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None) -> int | None:
    """A whole number, or None when unset or blank."""
    value = (value or "").strip()
    return int(value) if value else None


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


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
    # Login throttling: see resolvers/settings.py.
    login_max_failures: int = 5
    login_base_delay_seconds: int = 30
    login_max_delay_seconds: int = 3600
    login_failure_window_seconds: int = 3600
    login_address_max_failures: int = 30
    # Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; from any
    # other peer the header is ignored, so a client cannot pick its own address.
    trusted_proxies: tuple[str, ...] = ()
    app_role: str = "jixiao_app"
    data_dir: str = "data"
    # The portal's built files, served at / (GraphiQL at /graphiql outside production).
    portal_dir: str = DEFAULT_PORTAL_DIR
    # Workers (see workers/broker.py): redelivery after a dead worker's heartbeat timeout,
    # queue maintenance per million polls; chunk sizes (None: the code's default).
    worker_heartbeat_timeout_ms: int = 60_000
    worker_maintenance_chance: int = 1_000
    # The job sweeper (workers/sweeper.py): a sweep every 10 s finds jobs whose worker died
    # (their lock is free) and jobs still queued 30 s after they were created with nothing on
    # their queue (the send failed), and sends them again.
    job_sweep_interval_seconds: float = 10.0
    job_resend_after_seconds: float = 30.0
    bonus_write_chunk: int | None = None
    report_chunk_rows: int | None = None
    # Test hook: seconds a job waits between chunks, so a test can kill a worker mid-run.
    job_test_delay_seconds: float = 0.0
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
            portal_dir=e.get("JIXIAO_PORTAL_DIR", DEFAULT_PORTAL_DIR),
            worker_heartbeat_timeout_ms=_or(_int(e.get("JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS")),
                                            cls.worker_heartbeat_timeout_ms),
            worker_maintenance_chance=_or(_int(e.get("JIXIAO_WORKER_MAINTENANCE_CHANCE")),
                                          cls.worker_maintenance_chance),
            job_sweep_interval_seconds=float(e.get("JIXIAO_JOB_SWEEP_INTERVAL_SECONDS")
                                             or cls.job_sweep_interval_seconds),
            job_resend_after_seconds=float(e.get("JIXIAO_JOB_RESEND_AFTER_SECONDS")
                                           or cls.job_resend_after_seconds),
            bonus_write_chunk=_int(e.get("JIXIAO_BONUS_WRITE_CHUNK")),
            report_chunk_rows=_int(e.get("JIXIAO_REPORT_CHUNK_ROWS")),
            job_test_delay_seconds=float(e.get("JIXIAO_JOB_TEST_DELAY_SECONDS") or 0),
            login_max_failures=_or(_int(e.get("JIXIAO_LOGIN_MAX_FAILURES")),
                                   cls.login_max_failures),
            login_base_delay_seconds=_or(_int(e.get("JIXIAO_LOGIN_BASE_DELAY_SECONDS")),
                                         cls.login_base_delay_seconds),
            login_max_delay_seconds=_or(_int(e.get("JIXIAO_LOGIN_MAX_DELAY_SECONDS")),
                                        cls.login_max_delay_seconds),
            login_failure_window_seconds=_or(_int(e.get("JIXIAO_LOGIN_FAILURE_WINDOW_SECONDS")),
                                             cls.login_failure_window_seconds),
            login_address_max_failures=_or(_int(e.get("JIXIAO_LOGIN_ADDRESS_MAX_FAILURES")),
                                           cls.login_address_max_failures),
            trusted_proxies=tuple(p.strip() for p in e.get("JIXIAO_TRUSTED_PROXIES", "").split(",")
                                  if p.strip()),
        )
        settings.check()
        return settings

    def check(self) -> None:
        try:  # a nonsense throttle or proxy setting fails at start, not at the first login
            use_cases = self.use_cases()
            _ = (use_cases.account_throttle, use_cases.address_throttle, self.trusted_networks())
        except ValueError as e:
            raise SettingsError(f"login throttling settings: {e}") from e
        if not self.production:
            return
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
            raise SettingsError("JIXIAO_SECRET_KEY must be set to a random value of 32+ characters")
        for name, url in (("JIXIAO_DATABASE_URL", self.database_url),
                          ("JIXIAO_OWNER_DATABASE_URL", self.owner_database_url)):
            if url in (LOCAL_DATABASE_URL, LOCAL_OWNER_DATABASE_URL):
                raise SettingsError(f"{name} must be set in production")

    def trusted_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(p, strict=False) for p in self.trusted_proxies)

    def use_cases(self) -> UseCaseSettings:
        return UseCaseSettings(
            secret_key=self.secret_key, redis_url=self.redis_url,
            token_ttl_seconds=self.token_ttl_seconds, login_max_failures=self.login_max_failures,
            login_base_delay_seconds=self.login_base_delay_seconds,
            login_max_delay_seconds=self.login_max_delay_seconds,
            login_failure_window_seconds=self.login_failure_window_seconds,
            login_address_max_failures=self.login_address_max_failures)

    def worker(self) -> WorkerSettings:
        return WorkerSettings(
            database_url=self.database_url, redis_url=self.redis_url, use_cases=self.use_cases(),
            heartbeat_timeout_ms=self.worker_heartbeat_timeout_ms,
            maintenance_chance=self.worker_maintenance_chance,
            job_sweep_interval_seconds=self.job_sweep_interval_seconds,
            job_resend_after_seconds=self.job_resend_after_seconds,
            bonus_write_chunk=self.bonus_write_chunk, report_chunk_rows=self.report_chunk_rows,
            job_test_delay_seconds=self.job_test_delay_seconds)
