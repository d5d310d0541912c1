"""One casbin enforcer per process: its decisions equal the policy file read line by line, and
a request builds no enforcer."""

from __future__ import annotations

from itertools import chain, combinations
from typing import Any

import casbin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authz.enforcer import decide, granted, policy_rules
from authz.permissions import Permission
from tests.conftest import Api
from vocab.org import Role

RELATIONS = ("any", "self", "managed", "assigned")
HELD = [frozenset(("any", *c)) for c in chain.from_iterable(
    combinations(RELATIONS[1:], n) for n in range(4))]


def by_the_lines(roles: frozenset[Role], permission: Permission, held: frozenset[str]) -> bool:
    return any(role in {r.value for r in roles} and obj == permission.resource
               and act == permission.action and rel in held
               for role, obj, act, rel in policy_rules())


@pytest.mark.parametrize("role", list(Role))
def test_each_role_decides_as_the_policy_lines_say(role: Role) -> None:
    for permission in Permission:
        for held in HELD:
            assert decide(frozenset({role}), permission, held) == by_the_lines(
                frozenset({role}), permission, held), (role, permission, held)
        assert granted(frozenset({role}), permission) == frozenset(
            rel for r, obj, act, rel in policy_rules()
            if r == role.value and obj == permission.resource and act == permission.action)


@settings(max_examples=200, deadline=None)
@given(roles=st.frozensets(st.sampled_from(list(Role)), max_size=3),
       permission=st.sampled_from(list(Permission)), held=st.sampled_from(HELD))
def test_several_roles_decide_as_any_of_them(roles: frozenset[Role], permission: Permission,
                                             held: frozenset[str]) -> None:
    assert decide(roles, permission, held) == by_the_lines(roles, permission, held)


def test_a_request_builds_no_enforcer(api: Api, make_tenant: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code = make_tenant(people=12)
    query = "{ people(first: 20) { edges { node { name managers { name } } } } }"
    api.as_(code, "kezhang", query)  # the process's enforcer exists from here on
    built: list[object] = []
    original = casbin.Enforcer.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(casbin.Enforcer, "__init__", counting)
    for username in ("kezhang", "admin", "ganbu"):
        body = api.as_(code, username, query)
        assert "errors" not in body, body
    assert built == []
