"""What the use cases need of the deployment's settings.

The wiring builds it from its own settings (``jixiao.settings.Settings.use_cases``) and passes it
in on the ``Context``; nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.login_throttle import ThrottlePolicy


@dataclass(frozen=True)
class UseCaseSettings:
    # Signs and checks session tokens.
    secret_key: str
    # Where jobs are enqueued once the request has committed.
    redis_url: str
    token_ttl_seconds: int
    # Login throttling (rules/login_throttle.py): per (account, client address), the failures
    # before the first wait and that wait, which doubles with each further failure up to the
    # cap; failures are forgotten after a quiet window. Per client address over all usernames
    # (password spraying) a larger number of failures is allowed before the same waits.
    login_max_failures: int
    login_base_delay_seconds: int
    login_max_delay_seconds: int = 3600
    login_failure_window_seconds: int = 3600
    login_address_max_failures: int = 30

    @property
    def account_throttle(self) -> ThrottlePolicy:
        return ThrottlePolicy(self.login_max_failures, self.login_base_delay_seconds,
                              self.login_max_delay_seconds, self.login_failure_window_seconds)

    @property
    def address_throttle(self) -> ThrottlePolicy:
        return ThrottlePolicy(self.login_address_max_failures, self.login_base_delay_seconds,
                              self.login_max_delay_seconds, self.login_failure_window_seconds)
