"""Provisioning a tenant: registry row, root unit, first admin account, templates."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from authz.credentials import hash_password
from models import Account, AuditEntry, OrgUnit, RoleGrant, Tenant
from tenants.db import Scope, set_tenant
from tenants.plan_setup import apply_template
from tenants.templates import template_for_kind
from vocab.org import Role, TenantKind, UnitKind

CODE_RE = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")


class ProvisioningError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TenantSpec:
    code: str
    name: str
    kind: str
    admin_username: str
    admin_password: str


def check_spec(spec: TenantSpec) -> None:
    if not CODE_RE.match(spec.code):
        raise ProvisioningError(
            "单位代码须为2到32位小写字母、数字、下划线或连字符，以字母开头", "code")
    if not spec.name.strip():
        raise ProvisioningError("单位名称不能为空", "name")
    if spec.kind not in set(TenantKind):
        raise ProvisioningError(f"单位类型“{spec.kind}”无效", "kind")
    if len(spec.admin_password) < 8:
        raise ProvisioningError("管理员密码至少8位", "adminPassword")
    if not spec.admin_username.strip():
        raise ProvisioningError("管理员用户名不能为空", "adminUsername")


async def provision_tenant(session: AsyncSession, spec: TenantSpec,
                           back_to: uuid.UUID | None = None,
                           back_scope: Scope = Scope.platform, actor: str = "system",
                           year: int | None = None,
                           must_change_password: bool = True) -> Tenant:
    """Runs in the platform scope; writes the new tenant's rows under its own tenant id.

    ``back_to`` is the tenant the transaction returns to afterwards (the caller's). The
    template of the unit kind becomes the draft indicator scheme of ``year`` (default: this
    year), for the new admin to adapt and publish.
    """
    check_spec(spec)
    await set_tenant(session, back_to, Scope.platform)
    if await session.scalar(select(Tenant.id).where(Tenant.code == spec.code)):
        raise ProvisioningError(f"单位代码“{spec.code}”已被使用", "code")
    tenant = Tenant(code=spec.code, name=spec.name.strip(), kind=spec.kind, settings={})
    session.add(tenant)
    await session.flush()
    await set_tenant(session, tenant.id, Scope.platform)
    root = OrgUnit(tenant_id=tenant.id, code="root", name=spec.name.strip(),
                   kind=UnitKind.department)
    admin = Account(tenant_id=tenant.id, username=spec.admin_username.strip(),
                    display_name="系统管理员", password_hash=hash_password(spec.admin_password),
                    must_change_password=must_change_password)
    session.add_all([root, admin])
    await session.flush()
    session.add(RoleGrant(tenant_id=tenant.id, account_id=admin.id, role=Role.tenant_admin))
    # Audited inside the new tenant: its log is where its history starts.
    session.add(AuditEntry(tenant_id=tenant.id, actor=actor, action="tenant.provision",
                           entity="tenant", entity_id=str(tenant.id),
                           after={"code": tenant.code, "name": tenant.name, "kind": tenant.kind}))
    await session.flush()
    template = template_for_kind(spec.kind)
    if template is not None:
        await apply_template(session, tenant.id, year or date.today().year, template,
                             publish=False, actor=actor)
    await set_tenant(session, back_to, back_scope)
    return tenant
