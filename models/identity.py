"""Accounts, role grants, API tokens of integrating systems, and the login throttles."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.accounts import SessionEnd
from vocab.org import Role


class Account(TenantOwned, Timestamped, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "username"),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
    )

    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Where the tenant's e-mail channel sends this account's notifications (None: no e-mail).
    email: Mapped[str | None] = mapped_column(String(254))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # An initial or reset password: only changePassword, logout and me work until it is changed.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=text("false"))
    # When the password was last set (its age for the tenant's optional expiry).
    password_changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    # TOTP second factor (resolvers/org/totp.py): the base32 secret sealed under the server key
    # (authz.credentials.seal_text), shown once at enrollment
    # and never returned again; the factor counts from ``totp_enabled_at`` (set once confirmed).
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountSession(TenantOwned, Timestamped, Base):
    """One login: the session token carries its id (``sid``), so it can be revoked.

    Revoked on logout, on a password change or reset and when the account is disabled; ended
    by ``expires_at`` or by being idle longer than the tenant's idle timeout.
    """

    __tablename__ = "account_sessions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("revoked_reason", list(SessionEnd)), name="revoked_reason"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RoleGrant(TenantOwned, Timestamped, Base):
    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id", "role"),
        ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("role", list(Role)), name="role"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(40))


class ApiToken(TenantOwned, Timestamped, Base):
    """A unit's portal or office system: one tenant, a set of roles, revocable."""

    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    secret_hash: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins per (tenant, username, client address): throttles that address only.

    Never a lock of the account: the right password from another address still logs in.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Until when this address must wait before trying this username again.
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAddressThrottle(Base):
    """Failed logins per (tenant, client address) over all usernames: slows password spraying."""

    __tablename__ = "login_address_throttle"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    client_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
