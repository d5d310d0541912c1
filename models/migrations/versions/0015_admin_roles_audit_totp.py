"""三员分立 roles, audit log retention purge, TOTP second factor for administrators

Revision ID: 0015
Revises: 0013

The role CHECK of ``role_grants`` admits the system, security and audit administrators.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | tuple[str, ...] | None = "0013"
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


def upgrade() -> None:
    _role_check(NEW_ROLES)


def downgrade() -> None:
    # Grants of the three administrators would violate the old CHECK: they go first (row-level
    # security, forced on the owner too, would hide every row from the DELETE).
    op.execute("ALTER TABLE role_grants NO FORCE ROW LEVEL SECURITY")
    op.execute("DELETE FROM role_grants WHERE role IN "
               "('system_admin', 'security_admin', 'audit_admin')")
    op.execute("ALTER TABLE role_grants FORCE ROW LEVEL SECURITY")
    _role_check(OLD_ROLES)
