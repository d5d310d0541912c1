"""When the audit log is purged, and of what: records older than the retention, once a day.

The retention itself (at least 180 days) is a tenant setting (tenants/config.py); the database's
purge function refuses anything younger than 180 days whatever it is asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# A tenant's log is purged at most once in this interval.
PURGE_INTERVAL = timedelta(days=1)


def cutoff(now: datetime, retention_days: int) -> datetime:
    """Records strictly older than this instant may go."""
    return now - timedelta(days=retention_days)


def purge_due(last_purge: datetime | None, now: datetime) -> bool:
    """True when the tenant's log was never purged or its last purge is a day old."""
    return last_purge is None or now - last_purge >= PURGE_INTERVAL
