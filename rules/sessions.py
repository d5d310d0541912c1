"""When a login session still counts, when to note its use, and when a password has expired.

A session ends when it is revoked, when it expires, or when it has been idle (no request)
longer than the tenant's idle timeout. Its last use is written at most once per
``TOUCH_INTERVAL``, so most requests read the session without writing it; the idle timeout is
therefore measured with up to that much slack (a session idle 30 minutes may last 31).
"""

from __future__ import annotations

from datetime import datetime, timedelta

TOUCH_INTERVAL = timedelta(minutes=1)


def session_live(now: datetime, last_seen_at: datetime, expires_at: datetime,
                 revoked_at: datetime | None, idle_timeout: timedelta) -> bool:
    return revoked_at is None and now < expires_at and now - last_seen_at <= idle_timeout


def touch_due(now: datetime, last_seen_at: datetime) -> bool:
    """Whether this request should write the session's last use."""
    return now - last_seen_at >= TOUCH_INTERVAL


def password_expired(changed_at: datetime, now: datetime, max_age_days: int) -> bool:
    """0 days: passwords never expire."""
    return max_age_days > 0 and now - changed_at >= timedelta(days=max_age_days)
