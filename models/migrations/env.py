"""Alembic environment: migrations run as the owner role, never as the application role."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import models
from jixiao.settings import Settings

config = context.config
target_metadata = models.Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().owner_database_url
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
