"""The one exception of the pure rules."""

from __future__ import annotations


class RuleError(ValueError):
    """Invalid configuration or input of a pure rule; the message is Chinese, for people."""
