"""三员分立 roles, audit log retention purge, TOTP second factor for administrators

Revision ID: 0015
Revises: 0014

The role CHECK of ``role_grants`` admits the system, security and audit administrators.

The audit log stays append-only for everyone; the one exception is ``purge_audit_log(days)``
(SECURITY DEFINER, executable by the app role), which deletes the current tenant's records older
than ``days`` (never fewer than 180). The append-only trigger lets a DELETE through only while
that function runs (a transaction-local setting it sets) and only for rows older than the
retention it was given; the app role holds no DELETE privilege on the table at all.

``accounts`` gets the TOTP second factor: the secret and when it was confirmed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import app_role

revision: str = "0015"
down_revision: str | tuple[str, ...] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("tenant_admin", "principal_leader", "supervising_leader", "department_head",
             "office", "staff", "external_rater", "city_organization_department")
NEW_ROLES = (*OLD_ROLES, "system_admin", "security_admin", "audit_admin")


def _role_check(roles: tuple[str, ...]) -> None:
    quoted = ", ".join(f"'{r}'" for r in roles)
    op.execute("ALTER TABLE role_grants DROP CONSTRAINT ck_role_grants_role")
    op.execute(f"ALTER TABLE role_grants ADD CONSTRAINT ck_role_grants_role "
               f"CHECK (role IN ({quoted}))")


APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keep integer := nullif(current_setting('jixiao.audit_purge_days', true), '')::integer;
BEGIN
    -- Only purge_audit_log deletes, and only what is older than the retention it was given.
    IF TG_OP = 'DELETE' AND keep IS NOT NULL AND keep >= 180 THEN
        IF OLD.at < now() - make_interval(days => keep) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
END $$;
"""

STRICT_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
END $$;
"""

PURGE = """
CREATE FUNCTION purge_audit_log(p_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed bigint;
BEGIN
    IF p_days IS NULL OR p_days < 180 THEN
        RAISE EXCEPTION '审计日志保存期限不得少于180天';
    END IF;
    PERFORM set_config('jixiao.audit_purge_days', p_days::text, true);
    -- Row-level security (forced on the owner too) keeps this to the current tenant.
    DELETE FROM audit_log WHERE at < now() - make_interval(days => p_days);
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('jixiao.audit_purge_days', '', true);
    RETURN removed;
END $$;
REVOKE ALL ON FUNCTION purge_audit_log(integer) FROM PUBLIC;
"""


def upgrade() -> None:
    _role_check(NEW_ROLES)
    op.execute(APPEND_ONLY)
    op.execute(PURGE)
    op.execute(f"GRANT EXECUTE ON FUNCTION purge_audit_log(integer) TO {app_role()}")
    op.add_column("accounts", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("accounts", sa.Column("totp_enabled_at", sa.DateTime(timezone=True),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "totp_enabled_at")
    op.drop_column("accounts", "totp_secret")
    op.execute("DROP FUNCTION IF EXISTS purge_audit_log(integer)")
    op.execute(STRICT_APPEND_ONLY)
    # Grants of the three administrators would violate the old CHECK: they go first (row-level
    # security, forced on the owner too, would hide every row from the DELETE).
    op.execute("ALTER TABLE role_grants NO FORCE ROW LEVEL SECURITY")
    op.execute("DELETE FROM role_grants WHERE role IN "
               "('system_admin', 'security_admin', 'audit_admin')")
    op.execute("ALTER TABLE role_grants FORCE ROW LEVEL SECURITY")
    _role_check(OLD_ROLES)
