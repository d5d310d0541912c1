"""Plain SQL inside one tenant, for tests that check what the API does not show (deliveries,
stored settings): a psycopg connection as the application's role with the tenant set, so
row-level security applies as it does to the API."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg

from jixiao.settings import Settings


@contextlib.contextmanager
def tenant_connection(settings: Settings, code: str) -> Iterator[psycopg.Connection]:
    """A connection bound to the tenant ``code`` for the whole session (commit to keep writes)."""
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        tenant = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
        assert tenant is not None, code
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant[0]),))
        yield conn
