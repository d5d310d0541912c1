"""notifications: the inbox, deliveries per channel, the reminder ledger, channel secrets

Revision ID: 0029
Revises: 0028

Issue 17, part 1. Every table is tenant-owned under row-level security. ``accounts.email``:
where the tenant's e-mail channel sends an account's notifications.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0029"
down_revision: str | tuple[str, ...] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_DEFAULT = sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)")
EVENTS = ("stage_opened", "deadline_approaching", "ratings_pending", "interview_recorded",
          "results_published", "objection_answered", "points_confirmed", "points_refused",
          "job_finished", "test_message")
CHANNELS = ("email", "wecom", "dingtalk")
STATUSES = ("pending", "sent", "failed")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _head(table: str) -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.UUID(), server_default=TENANT_DEFAULT, nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
    ]


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                   name=op.f(f"fk_{table}_tenant_id_tenants"))


def upgrade() -> None:
    op.add_column("accounts", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "notifications",
        *_head("notifications"),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), server_default="", nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("event", EVENTS), name=op.f("ck_notifications_event")),
        sa.ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                                name=op.f("fk_notifications_tenant_id_account_id_accounts"),
                                ondelete="CASCADE"),
        _tenant_fk("notifications"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_tenant_account_created", "notifications",
                    ["tenant_id", "account_id", "created_at"])
    op.create_table(
        "notification_deliveries",
        *_head("notification_deliveries"),
        sa.Column("notification_id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("channel", CHANNELS),
                           name=op.f("ck_notification_deliveries_channel")),
        sa.CheckConstraint(_in("status", STATUSES),
                           name=op.f("ck_notification_deliveries_status")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "notification_id"], ["notifications.tenant_id", "notifications.id"],
            name=op.f("fk_notification_deliveries_tenant_id_notification_id_notifications"),
            ondelete="CASCADE"),
        _tenant_fk("notification_deliveries"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "tenant_id", "notification_id", "channel",
            name=op.f("uq_notification_deliveries_tenant_id_notification_id_channel")),
    )
    op.create_index("ix_notification_deliveries_tenant_created", "notification_deliveries",
                    ["tenant_id", "created_at"])
    op.create_table(
        "reminder_ledger",
        *_head("reminder_ledger"),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"],
                                name=op.f("fk_reminder_ledger_tenant_id_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name=op.f("fk_reminder_ledger_tenant_id_period_id_periods"),
                                ondelete="CASCADE"),
        _tenant_fk("reminder_ledger"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_reminder_ledger")),
        sa.UniqueConstraint(
            "tenant_id", "account_id", "period_id", "stage", "deadline", "days_before",
            name="uq_reminder_ledger_once"),
    )
    op.create_table(
        "notification_secrets",
        *_head("notification_secrets"),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sealed", sa.String(length=1000), nullable=False),
        sa.CheckConstraint(_in("channel", CHANNELS),
                           name=op.f("ck_notification_secrets_channel")),
        _tenant_fk("notification_secrets"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notification_secrets")),
        sa.UniqueConstraint("tenant_id", "channel",
                            name=op.f("uq_notification_secrets_tenant_id_channel")),
    )
    for table in ("notifications", "notification_deliveries", "reminder_ledger",
                  "notification_secrets"):
        tenant_table(table)


def downgrade() -> None:
    for table in ("notification_secrets", "reminder_ledger", "notification_deliveries",
                  "notifications"):
        op.drop_table(table)
    op.drop_column("accounts", "email")
