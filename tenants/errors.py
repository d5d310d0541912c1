"""The error of an invalid tenant setting (tenants/config.py and its sections)."""

from __future__ import annotations


class ConfigError(ValueError):
    """An invalid setting; ``path`` names it in the settings document (e.g.
    ``grading.good_quota_share``), "" when the error is not about one setting."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path
