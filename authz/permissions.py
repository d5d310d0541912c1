"""Permissions as a typed enum named ``resource:action``, mapped to casbin ``(obj, act)``."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    tenant_read = "tenant:read"
    tenant_update = "tenant:update"
    tenant_list = "platform_tenant:list"
    tenant_provision = "platform_tenant:provision"
    unit_read = "unit:read"
    unit_write = "unit:write"
    post_read = "post:read"
    post_write = "post:write"
    person_read = "person:read"
    person_write = "person:write"
    roster_import = "roster:import"
    account_read = "account:read"
    account_write = "account:write"
    role_grant_write = "role_grant:write"
    management_write = "management:write"
    api_token_write = "api_token:write"
    audit_read = "audit:read"

    @property
    def resource(self) -> str:
        return self.value.split(":", 1)[0]

    @property
    def action(self) -> str:
        return self.value.split(":", 1)[1]
