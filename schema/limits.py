"""How big and how searching a query may be: built by the wiring from its settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    # Off in production: the schema is not discoverable by strangers.
    introspection: bool
