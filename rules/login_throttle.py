"""Login throttling: how long a client must wait after failed logins.

Two counters are kept, one per (account, client address) and one per client address across
usernames. Neither is ever a lock of the account itself: a wrong password from one address
never makes the right password fail from another.

- The ``max_failures``-th failure makes the client wait ``base_delay_seconds``; each further
  failure doubles the wait, never beyond ``max_delay_seconds``.
- After ``window_seconds`` without a failure the counter starts again, so an old mistake
  does not follow a user for ever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv6Address, ip_address, ip_network


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    base_delay_seconds: float
    max_delay_seconds: float
    window_seconds: float

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.base_delay_seconds < 0 or self.window_seconds < 0:
            raise ValueError("throttle settings must be positive")
        if self.max_delay_seconds < self.base_delay_seconds:
            raise ValueError("the longest wait must not be shorter than the first one")


@dataclass(frozen=True)
class Throttled:
    """The counter after one more failure and until when the client must wait."""

    failures: int
    wait_until: datetime | None


def failures_before(failures: int, last_failure_at: datetime | None, now: datetime,
                    policy: ThrottlePolicy) -> int:
    """The failures that still count at ``now``: none once the window has passed quietly."""
    if last_failure_at is None or now - last_failure_at > timedelta(
            seconds=policy.window_seconds):
        return 0
    return max(failures, 0)


def wait_seconds(failures: int, policy: ThrottlePolicy) -> float:
    """The wait after ``failures`` counted failures: none below the limit, then doubling."""
    over = failures - policy.max_failures
    if over < 0:
        return 0.0
    # Capped exponent: 2**over must not overflow for a counter that grew for years.
    return float(min(policy.base_delay_seconds * 2 ** min(over, 62), policy.max_delay_seconds))


def after_failure(failures: int, last_failure_at: datetime | None, now: datetime,
                  policy: ThrottlePolicy) -> Throttled:
    counted = failures_before(failures, last_failure_at, now, policy) + 1
    wait = wait_seconds(counted, policy)
    return Throttled(counted, now + timedelta(seconds=wait) if wait > 0 else None)


def retry_after(wait_until: datetime | None, now: datetime) -> int | None:
    """Whole seconds to wait (at least 1) while ``wait_until`` lies ahead, else None."""
    if wait_until is None or wait_until <= now:
        return None
    return max(1, math.ceil((wait_until - now).total_seconds()))


def address_key(address: str) -> str:
    """What the counters key on: an IPv6 client counts by its /64 (one host is usually given a
    whole /64 and could otherwise take a fresh address per attempt); anything else as it is."""
    try:
        ip = ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped.compressed
        return ip_network(f"{ip}/64", strict=False).compressed
    return ip.compressed
