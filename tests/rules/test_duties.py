"""三员分立: at most one of the system, security and audit administrators per account."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.duties import (
    ADMIN_ROLES,
    SEPARATED_ADMINS,
    check_not_self,
    check_separation,
    conflicting,
    holds_admin_role,
)
from rules.errors import RuleError
from vocab.org import Role

roles = st.frozensets(st.sampled_from(list(Role)))


def test_each_pair_and_the_triple_of_the_three_is_refused_in_chinese() -> None:
    for pair in ((Role.system_admin, Role.security_admin),
                 (Role.system_admin, Role.audit_admin),
                 (Role.security_admin, Role.audit_admin), SEPARATED_ADMINS):
        with pytest.raises(RuleError, match="三员分立"):
            check_separation(pair)
        assert conflicting(pair) == tuple(r for r in SEPARATED_ADMINS if r in pair)


def test_one_of_the_three_with_business_roles_is_allowed() -> None:
    for admin in SEPARATED_ADMINS:
        check_separation([admin, Role.tenant_admin, Role.staff])
        assert conflicting([admin.value, "staff"]) == ()
    check_separation([])


def test_the_message_names_the_roles_combined() -> None:
    with pytest.raises(RuleError, match="安全管理员、审计管理员"):
        check_separation(["audit_admin", "security_admin"])


@given(roles)
def test_refused_exactly_when_two_or_more_of_the_three(held: frozenset[Role]) -> None:
    count = len(held & set(SEPARATED_ADMINS))
    if count > 1:
        with pytest.raises(RuleError):
            check_separation(held)
    else:
        check_separation(held)
    assert len(conflicting(held)) == (count if count > 1 else 0)


@given(roles)
def test_admin_roles_are_the_business_admin_and_the_three(held: frozenset[Role]) -> None:
    assert holds_admin_role(held) is bool(held & ADMIN_ROLES)
    assert {Role.tenant_admin, *SEPARATED_ADMINS} == ADMIN_ROLES


@given(st.uuids(), st.uuids())
def test_nobody_grants_a_role_to_themselves(me: uuid.UUID, other: uuid.UUID) -> None:
    with pytest.raises(RuleError, match="不能给自己授予角色"):
        check_not_self(me, me)
    if me != other:
        check_not_self(me, other)
    check_not_self(None, other)  # an API token or the system holds no account
