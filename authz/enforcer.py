"""The one entry point: ``can(actor, permission, target)``; deny by default.

The role -> permission policy is a casbin policy shared by all tenants, loaded once per process;
the actor's roles (its grants in its own tenant) each have a holder in the enforcer; the
relation to the target ("self", "managed", "assigned") is computed from the org tree and handed
to the matcher with the target.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import casbin

from authz.actor import Actor, Target
from authz.permissions import Permission
from authz.scopes import ReadScope
from vocab.org import Role

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


# The process's enforcer judges a role, not an account: the actor's roles are its tenant's
# grants, read under that tenant's row-level security, so one domain stands for "the actor's
# own tenant" and each role has one holder in it.
DOMAIN = "tenant"


def _holder(role: Role) -> str:
    return f"holder:{role.value}"


@dataclass(frozen=True)
class _Object:
    """What the matcher sees of a target: the kind of data and the relations held to it."""

    kind: str
    held: frozenset[str]


@functools.cache
def _enforcer() -> casbin.Enforcer:
    """One enforcer per process: the policy is a file shipped with the code, read once."""
    model = casbin.model.Model()
    model.load_model_from_text(_model_text())
    enforcer = casbin.Enforcer(model)
    enforcer.add_policies([list(r) for r in policy_rules()])
    for role in Role:
        enforcer.add_named_grouping_policy("g", _holder(role), role.value, DOMAIN)
    enforcer.add_function("holds", lambda rel, obj: rel in obj.held)
    return enforcer


_lock = threading.Lock()
# The matcher reads only the role, the resource, the action and the relations held to the
# target, so one answer per (roles, permission, relations) is exact for the process's policy;
# casbin's evaluation costs milliseconds (every policy line through simpleeval). Bounded by
# the vocabularies: role sets x permissions x subsets of four relations.
_decisions: dict[tuple[frozenset[Role], Permission, frozenset[str]], bool] = {}
_granted: dict[tuple[frozenset[Role], Permission], frozenset[str]] = {}


def decide(roles: frozenset[Role], permission: Permission, held: frozenset[str]) -> bool:
    """Whether holding ``roles`` and the relations ``held`` to a target allows ``permission``."""
    key = (roles, permission, held)
    found = _decisions.get(key)
    if found is None:
        obj = _Object(permission.resource, held)
        with _lock:  # casbin's evaluation is not meant to be shared between threads
            found = any(_enforcer().enforce(_holder(role), DOMAIN, obj, permission.action)
                        for role in sorted(roles))
        _decisions[key] = found
    return found


def granted(roles: frozenset[Role], permission: Permission) -> frozenset[str]:
    """Which relations would let a holder of ``roles`` do ``permission``."""
    key = (roles, permission)
    found = _granted.get(key)
    if found is None:
        values = {role.value for role in roles}
        found = frozenset(rel for role, obj, act, rel in policy_rules()
                          if role in values and obj == permission.resource
                          and act == permission.action)
        _granted[key] = found
    return found


class Authorizer:
    """The actor's decisions, by the process's one enforcer (``decide``)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def can(self, permission: Permission, target: Target | None = None) -> bool:
        # A target says whose data it is; what kind of data is the permission's resource.
        obj = replace(target, kind=permission.resource) if target else Target(
            kind=permission.resource)
        return decide(self.actor.roles, permission, relations(self.actor, obj))

    def granted_relations(self, permission: Permission) -> frozenset[str]:
        """Which relations would let the actor do ``permission``: drives list filtering."""
        return granted(self.actor.roles, permission)

    def read_scope(self, permission: Permission) -> ReadScope:
        rels = self.granted_relations(permission)
        return ReadScope(
            everything="any" in rels,
            own=("self" in rels) and self.actor.person_id is not None,
            managed=self.actor.managed if "managed" in rels else None,
        )


def can(actor: Actor, permission: Permission, target: Target | None = None) -> bool:
    return Authorizer(actor).can(permission, target)
