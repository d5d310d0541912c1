"""Declarative base and the tenant-owned mixin.

Every tenant-owned table has ``tenant_id`` first in its primary key, and references between
tenant-owned rows are composite foreign keys ``(tenant_id, x_id)``: a row can never point into
another tenant, whatever a resolver does. Row-level security is added by the migrations.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, MetaData, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class TenantOwned:
    """Mixin: ``(tenant_id, id)`` primary key; the tenant comes from the RLS setting by default."""

    @declared_attr
    def tenant_id(self) -> Mapped[uuid.UUID]:
        return mapped_column(
            UUID(as_uuid=True),
            ForeignKey("tenants.id"),
            primary_key=True,
            sort_order=-20,
            # Inserts without an explicit tenant take the transaction's tenant.
            server_default=func.cast(func.current_setting("app.tenant_id", True), UUID),
        )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, default=new_id, sort_order=-10,
        insert_sentinel=True,
    )


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


def enum_check(column: str, values: list[str] | tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
