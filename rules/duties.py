"""Separation of duties (三员分立, GB/T 22239-2019 level 3): which role sets are forbidden.

The system administrator (settings, API tokens, jobs), the security administrator (accounts,
roles) and the audit administrator (reads the audit log) check each other, so one account (or
API token) may hold at most one of the three. Nobody grants a role to themselves: an
administrator could otherwise lift their own rights past what the others can see and stop.
"""

from __future__ import annotations

from collections.abc import Iterable

from rules.errors import RuleError
from vocab.org import Role

# The three administrators one account may not combine, in the order people name them.
SEPARATED_ADMINS: tuple[Role, ...] = (Role.system_admin, Role.security_admin, Role.audit_admin)

# Roles that administer the unit: with the tenant's ``totp_for_admins`` they need a second
# factor. The business administrator (组织人事部门) is one of them.
ADMIN_ROLES: frozenset[Role] = frozenset({Role.tenant_admin, *SEPARATED_ADMINS})


def conflicting(roles: Iterable[str]) -> tuple[Role, ...]:
    """The separated administrator roles in ``roles`` when there are two or more, else ()."""
    held = set(roles)
    found = tuple(role for role in SEPARATED_ADMINS if role in held)
    return found if len(found) > 1 else ()


def check_separation(roles: Iterable[str]) -> None:
    """Refuses a role set that combines two or three of the separated administrators."""
    found = conflicting(roles)
    if found:
        names = "、".join(role.label for role in found)
        raise RuleError(f"三员分立：同一账号不能同时担任{names}")


def check_not_self(granter: object | None, grantee: object) -> None:
    """Refuses a grant to the granting account itself (``granter`` None: a token or the
    system, which holds no account)."""
    if granter is not None and granter == grantee:
        raise RuleError("不能给自己授予角色")


def holds_admin_role(roles: Iterable[str]) -> bool:
    return any(role in ADMIN_ROLES for role in roles)
