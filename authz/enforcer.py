"""The one entry point: ``can(actor, permission, target)``; deny by default.

The role -> permission policy is a casbin policy shared by all tenants; the actor's role grants
are casbin grouping rules in the actor's tenant (domain); the relation to the target
("self", "managed", "assigned") is a matcher function computed from the org tree.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import casbin

from authz.actor import Actor, Target
from authz.permissions import Permission
from authz.scopes import ReadScope

HERE = Path(__file__).parent


@functools.cache
def _model_text() -> str:
    return (HERE / "model.conf").read_text(encoding="utf-8")


@functools.cache
def policy_rules() -> tuple[tuple[str, str, str, str], ...]:
    rules: list[tuple[str, str, str, str]] = []
    for line in (HERE / "policy.csv").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, *values = [v.strip() for v in line.split(",")]
        if kind != "p" or len(values) != 4:
            raise ValueError(f"bad policy line: {line}")
        rules.append((values[0], values[1], values[2], values[3]))
    return tuple(rules)


def relations(actor: Actor, target: Target) -> frozenset[str]:
    """The relations the actor holds to the target."""
    held = {"any"}
    if target.person_id is not None and actor.person_id is not None:
        if target.person_id == actor.person_id:
            held.add("self")
        elif actor.managed.covers_unit(target.unit_id):
            held.add("managed")
        if actor.person_id in target.assigned_raters and target.person_id != actor.person_id:
            held.add("assigned")
    elif target.unit_id is not None and actor.managed.covers_unit(target.unit_id):
        # Data of a unit itself (its tasks, 考事): whoever manages the unit holds "managed".
        held.add("managed")
    return frozenset(held)


class Authorizer:
    """A casbin enforcer for one actor (built per request: the grants are the actor's)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        model = casbin.model.Model()
        model.load_model_from_text(_model_text())
        self._enforcer = casbin.Enforcer(model)
        self._enforcer.add_policies([list(r) for r in policy_rules()])
        domain = str(actor.tenant_id)
        for role in sorted(actor.roles):
            self._enforcer.add_named_grouping_policy("g", actor.subject, role.value, domain)
        self._enforcer.add_function("holds", lambda rel, obj: rel in relations(actor, obj))
        # The matcher reads only the resource, the action and the relations held to the
        # target, so one answer per (permission, relations) is exact; casbin's evaluation costs
        # milliseconds (every policy line through simpleeval), and a grid asks once a person.
        self._decisions: dict[tuple[Permission, frozenset[str]], bool] = {}

    def can(self, permission: Permission, target: Target | None = None) -> bool:
        # A target says whose data it is; what kind of data is the permission's resource.
        obj = replace(target, kind=permission.resource) if target else Target(
            kind=permission.resource)
        key = (permission, relations(self.actor, obj))
        if key not in self._decisions:
            self._decisions[key] = bool(self._enforcer.enforce(
                self.actor.subject, str(self.actor.tenant_id), obj, permission.action))
        return self._decisions[key]

    def granted_relations(self, permission: Permission) -> frozenset[str]:
        """Which relations would let the actor do ``permission``: drives list filtering."""
        roles = set(self._enforcer.get_implicit_roles_for_user(
            self.actor.subject, str(self.actor.tenant_id)))
        return frozenset(
            rel for role, obj, act, rel in policy_rules()
            if role in roles and obj == permission.resource and act == permission.action
        )

    def read_scope(self, permission: Permission) -> ReadScope:
        rels = self.granted_relations(permission)
        return ReadScope(
            everything="any" in rels,
            own=("self" in rels) and self.actor.person_id is not None,
            managed=self.actor.managed if "managed" in rels else None,
        )


def can(actor: Actor, permission: Permission, target: Target | None = None) -> bool:
    return Authorizer(actor).can(permission, target)
