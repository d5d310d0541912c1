"""The tenant registry: one row per unit (and one for the city organization department)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, String
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, enum_check, new_id
from vocab.org import TenantKind


class Tenant(Timestamped, Base):
    __tablename__ = "tenants"
    __table_args__ = (CheckConstraint(enum_check("kind", list(TenantKind)), name="kind"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    # Tenant configuration (rules with numbers); read through tenants.config with defaults.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # Bumped by the database (triggers of migration 0025) in the transaction of any change of
    # role grants, management relations or org units: a cached actor (roles, managed units,
    # org tree) of a lower version is stale (jixiao/actor_cache.py).
    grants_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
