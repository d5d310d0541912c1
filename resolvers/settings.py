"""What the use cases need of the deployment's settings.

The wiring builds it from its own settings (``jixiao.settings.Settings.use_cases``) and passes it
in on the ``Context``; nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UseCaseSettings:
    # Signs and checks session tokens.
    secret_key: str
    # Where jobs are enqueued once the request has committed.
    redis_url: str
    token_ttl_seconds: int
    # Login throttling: failures allowed before the delay, and the delay's base.
    login_max_failures: int
    login_base_delay_seconds: int
