"""Notifications (issue 17, part 1): each account's inbox, each message's deliveries to the
tenant's channels, the ledger that makes a reminder go out once, and the channels' secrets.

- ``notifications``: one row per account and event, read in the portal's inbox (Chinese title
  and body, a link into the portal); ``read_at`` once the account marked it read.
- ``notification_deliveries``: one row per notification and configured channel (e-mail,
  WeCom or DingTalk group robot). The row is the outbox: it is written in the transaction of
  the event and its message is sent to the workers after commit; a worker records every
  attempt (``attempts``, ``last_error`` in words) and its end (``sent`` or ``failed``).
- ``reminder_ledger``: one row per reminder sent (account, period, stage, deadline and how many
  days before it); its unique key makes the reminder pass idempotent across workers
  (``INSERT ... ON CONFLICT DO NOTHING RETURNING``).
- ``notification_secrets``: the SMTP password and the DingTalk signing secret, sealed under the
  server's key (``authz.credentials.seal_text``); never returned by the API.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.notifications import Channel, DeliveryStatus, NotificationEvent


class Notification(TenantOwned, Timestamped, Base):
    __tablename__ = "notifications"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("event", list(NotificationEvent)), name="event"),
        Index("ix_notifications_tenant_account_created", "tenant_id", "account_id",
              "created_at"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # A path inside the portal ("/declaration"), "" when there is nothing to open.
    link: Mapped[str] = mapped_column(String(300), default="", server_default="")
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Delivery(TenantOwned, Timestamped, Base):
    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "notification_id", "channel"),
        ForeignKeyConstraint(["tenant_id", "notification_id"],
                             ["notifications.tenant_id", "notifications.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("channel", list(Channel)), name="channel"),
        CheckConstraint(enum_check("status", list(DeliveryStatus)), name="status"),
        Index("ix_notification_deliveries_tenant_created", "tenant_id", "created_at"),
    )

    notification_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Why the last attempt failed, in Chinese (None once sent or before the first attempt).
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReminderSent(TenantOwned, Timestamped, Base):
    __tablename__ = "reminder_ledger"
    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id", "period_id", "stage", "deadline",
                         "days_before", name="uq_reminder_ledger_once"),
        ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                             ondelete="CASCADE"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The stage whose deadline it is (vocab.periods.PeriodState) and that deadline.
    stage: Mapped[str] = mapped_column(String(20))
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    days_before: Mapped[int] = mapped_column(Integer)


class ChannelSecret(TenantOwned, Timestamped, Base):
    __tablename__ = "notification_secrets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "channel"),
        CheckConstraint(enum_check("channel", list(Channel)), name="channel"),
    )

    channel: Mapped[str] = mapped_column(String(20))
    # authz.credentials.seal_text(secret_key, "notify:<channel>", secret)
    sealed: Mapped[str] = mapped_column(String(1000))
