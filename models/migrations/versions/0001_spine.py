"""spine

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import app_role, tenant_table

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tenants',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('discipline_commission', 'industrial_park', 'county_bureau', 'township', 'subdistrict', 'organization_department')", name=op.f('ck_tenants_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('code', name=op.f('uq_tenants_code'))
    )
    op.create_table('api_tokens',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.String(length=40)), nullable=False),
    sa.Column('secret_hash', sa.String(length=128), nullable=False),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_api_tokens_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_api_tokens'))
    )
    op.create_table('audit_log',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('reason', sa.String(length=2000), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_audit_log_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_tenant_entity', 'audit_log', ['tenant_id', 'entity', 'entity_id'], unique=False)
    op.create_table('login_throttle',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_login_throttle_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'username', name=op.f('pk_login_throttle'))
    )
    op.create_table('org_units',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('leadership', 'department', 'subunit', 'village')", name=op.f('ck_org_units_kind')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_org_units_not_own_parent')),
    sa.ForeignKeyConstraint(['tenant_id', 'parent_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_org_units_tenant_id_parent_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_org_units_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_org_units_tenant_id_code'))
    )
    op.create_table('posts',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('description', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_posts_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_posts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_posts')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_posts_tenant_id_code'))
    )
    op.create_table('people',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('employee_no', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('gender', sa.String(length=4), server_default='', nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=True),
    sa.Column('rank_title', sa.String(length=100), server_default='', nullable=False),
    sa.Column('comparison_group', sa.String(length=20), nullable=False),
    sa.Column('appraised', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("comparison_group IN ('leader', 'staff')", name=op.f('ck_people_group')),
    sa.CheckConstraint("status IN ('active', 'left')", name=op.f('ck_people_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'post_id'], ['posts.tenant_id', 'posts.id'], name=op.f('fk_people_tenant_id_post_id_posts')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_people_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_people_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_people')),
    sa.UniqueConstraint('tenant_id', 'employee_no', name=op.f('uq_people_tenant_id_employee_no'))
    )
    op.create_index('ix_people_tenant_unit', 'people', ['tenant_id', 'unit_id'], unique=False)
    op.create_table('accounts',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), server_default='', nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('disabled', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_accounts_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_accounts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('tenant_id', 'username', name=op.f('uq_accounts_tenant_id_username'))
    )
    op.create_table('management_relations',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('manager_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'principal_leader') = (unit_id IS NULL)", name=op.f('ck_management_relations_unit_iff_not_principal')),
    sa.CheckConstraint("kind IN ('department_head', 'supervising_leader', 'principal_leader')", name=op.f('ck_management_relations_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'manager_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_management_relations_tenant_id_manager_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_management_relations_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_management_relations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_management_relations'))
    )
    op.create_index('uq_management_relations_triple', 'management_relations', ['tenant_id', 'manager_id', 'kind', sa.literal_column("coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid)")], unique=True)
    op.create_table('role_grants',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('account_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('tenant_admin', 'principal_leader', 'supervising_leader', 'department_head', 'office', 'staff', 'external_rater', 'city_organization_department')", name=op.f('ck_role_grants_role')),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_role_grants_tenant_id_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_role_grants_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('tenant_id', 'account_id', 'role', name=op.f('uq_role_grants_tenant_id_account_id_role'))
    )

    _security()


TENANT_TABLES = ("org_units", "posts", "people", "accounts", "role_grants",
                 "management_relations", "api_tokens", "login_throttle")


def _security() -> None:
    role = app_role()
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    for table in TENANT_TABLES:
        tenant_table(table)
    # The registry: a tenant sees its own row; the platform scope (city organization
    # department) lists all tenants, which holds no personal data.
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_self ON tenants USING ("
        "id = nullif(current_setting('app.tenant_id', true), '')::uuid "
        "OR current_setting('app.scope', true) = 'platform') "
        "WITH CHECK (current_setting('app.scope', true) = 'platform' "
        "OR id = nullif(current_setting('app.tenant_id', true), '')::uuid)"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON tenants TO {role}")
    # Audit log: append-only for everyone, the owner included.
    tenant_table("audit_log", writable=False)
    op.execute(f"GRANT USAGE ON SEQUENCE audit_log_id_seq TO {role}")
    op.execute(
        """
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
        END $$;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
        """
    )
    # Login must find a tenant by its code before any tenant is set: one explicit function
    # that answers only that question.
    op.execute(
        """
        CREATE FUNCTION tenant_id_for_code(p_code text) RETURNS uuid
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            previous text := coalesce(current_setting('app.scope', true), '');
            found uuid;
        BEGIN
            PERFORM set_config('app.scope', 'platform', true);
            SELECT id INTO found FROM tenants WHERE code = p_code;
            PERFORM set_config('app.scope', previous, true);
            RETURN found;
        END $$;
        REVOKE ALL ON FUNCTION tenant_id_for_code(text) FROM PUBLIC;
        """
    )
    op.execute(f"GRANT EXECUTE ON FUNCTION tenant_id_for_code(text) TO {role}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS tenant_id_for_code(text)")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table('role_grants')
    op.drop_index('uq_management_relations_triple', table_name='management_relations')
    op.drop_table('management_relations')
    op.drop_table('accounts')
    op.drop_index('ix_people_tenant_unit', table_name='people')
    op.drop_table('people')
    op.drop_table('posts')
    op.drop_table('org_units')
    op.drop_table('login_throttle')
    op.drop_index('ix_audit_log_tenant_entity', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('api_tokens')
    op.drop_table('tenants')
