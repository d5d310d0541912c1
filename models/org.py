"""Org tree, posts, people and the management relations that define "whoever manages"."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.org import ComparisonGroup, ManagementKind, PersonStatus, UnitKind


class OrgUnit(TenantOwned, Timestamped, Base):
    __tablename__ = "org_units"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "parent_id"], ["org_units.tenant_id", "org_units.id"]),
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint(enum_check("kind", list(UnitKind)), name="kind"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=UnitKind.department)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Post(TenantOwned, Timestamped, Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
    )

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")


class Person(TenantOwned, Timestamped, Base):
    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("tenant_id", "employee_no"),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        ForeignKeyConstraint(["tenant_id", "post_id"], ["posts.tenant_id", "posts.id"]),
        CheckConstraint(enum_check("comparison_group", list(ComparisonGroup)), name="group"),
        CheckConstraint(enum_check("status", list(PersonStatus)), name="status"),
        Index("ix_people_tenant_unit", "tenant_id", "unit_id"),
    )

    employee_no: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(4), default="", server_default="")
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    post_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rank_title: Mapped[str] = mapped_column(String(100), default="", server_default="")
    comparison_group: Mapped[str] = mapped_column(String(20), default=ComparisonGroup.staff)
    appraised: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    status: Mapped[str] = mapped_column(String(20), default=PersonStatus.active)


class ManagementRelation(TenantOwned, Timestamped, Base):
    """Department head of a unit, supervising leader of a unit, or principal leader (no unit)."""

    __tablename__ = "management_relations"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "manager_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(enum_check("kind", list(ManagementKind)), name="kind"),
        CheckConstraint(
            "(kind = 'principal_leader') = (unit_id IS NULL)", name="unit_iff_not_principal"
        ),
        Index(
            "uq_management_relations_triple", "tenant_id", "manager_id", "kind",
            text("coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid)"), unique=True,
        ),
    )

    manager_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
