"""Alembic environment: migrations run as the owner role, never as the application role.

The URL comes from the Alembic config, which ``python -m jixiao migrate`` fills in from the
settings (``JIXIAO_OWNER_DATABASE_URL``); this module reads no settings of its own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import models

config = context.config
target_metadata = models.Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: run the migrations with `python -m jixiao migrate`")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
