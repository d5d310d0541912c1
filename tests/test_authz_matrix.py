"""The authorization rules as a role x action x relation matrix (casbin, deny by default)."""

from __future__ import annotations

import uuid

import pytest

from authz import Actor, Authorizer, ManagedScope, Permission, Target
from authz.relations import managed_scope, managers_of_unit
from rules.org_tree import OrgTree
from vocab.org import ManagementKind, Role

TENANT = uuid.uuid4()
OTHER_TENANT = uuid.uuid4()
ME = uuid.uuid4()
UNIT_A, UNIT_A1, UNIT_B = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
COLLEAGUE = uuid.uuid4()  # in UNIT_A
OUTSIDER = uuid.uuid4()  # in UNIT_B

TREE = OrgTree([(UNIT_A, None, 0), (UNIT_B, None, 1), (UNIT_A1, UNIT_A, 0)])


NO_SCOPE = ManagedScope()


def actor(role: Role, managed: ManagedScope = NO_SCOPE, person: uuid.UUID | None = ME,
          tenant: uuid.UUID = TENANT) -> Actor:
    return Actor(tenant_id=tenant, tenant_kind="county_bureau", roles=frozenset({role}),
                 account_id=uuid.uuid4(), person_id=person, managed=managed)


def person(pid: uuid.UUID, unit: uuid.UUID) -> Target:
    return Target(kind="person", id=pid, person_id=pid, unit_id=unit)


HEAD_OF_A = managed_scope([(ManagementKind.department_head, UNIT_A)], TREE)
SUPERVISOR_OF_A = managed_scope([(ManagementKind.supervising_leader, UNIT_A)], TREE)
PRINCIPAL = managed_scope([(ManagementKind.principal_leader, None)], TREE)

SELF_T = person(ME, UNIT_A)
COLLEAGUE_T = person(COLLEAGUE, UNIT_A)
SUBUNIT_T = person(uuid.uuid4(), UNIT_A1)
OUTSIDER_T = person(OUTSIDER, UNIT_B)

# (role, managed scope, permission, target, allowed)
MATRIX = [
    # staff read their own data only
    (Role.staff, ManagedScope(), Permission.person_read, SELF_T, True),
    (Role.staff, ManagedScope(), Permission.person_read, COLLEAGUE_T, False),
    (Role.staff, ManagedScope(), Permission.person_read, OUTSIDER_T, False),
    (Role.staff, ManagedScope(), Permission.person_write, SELF_T, False),
    (Role.staff, ManagedScope(), Permission.unit_write, None, False),
    (Role.staff, ManagedScope(), Permission.roster_import, None, False),
    (Role.staff, ManagedScope(), Permission.unit_read, None, True),
    # department head: own unit and its sub-units, not other units
    (Role.department_head, HEAD_OF_A, Permission.person_read, COLLEAGUE_T, True),
    (Role.department_head, HEAD_OF_A, Permission.person_read, SUBUNIT_T, True),
    (Role.department_head, HEAD_OF_A, Permission.person_read, OUTSIDER_T, False),
    (Role.department_head, HEAD_OF_A, Permission.person_read, SELF_T, True),
    (Role.department_head, HEAD_OF_A, Permission.person_write, COLLEAGUE_T, False),
    # supervising leader of A acting on B is refused
    (Role.supervising_leader, SUPERVISOR_OF_A, Permission.person_read, COLLEAGUE_T, True),
    (Role.supervising_leader, SUPERVISOR_OF_A, Permission.person_read, SUBUNIT_T, True),
    (Role.supervising_leader, SUPERVISOR_OF_A, Permission.person_read, OUTSIDER_T, False),
    # principal leader: everyone
    (Role.principal_leader, PRINCIPAL, Permission.person_read, OUTSIDER_T, True),
    (Role.principal_leader, PRINCIPAL, Permission.person_write, OUTSIDER_T, False),
    # a role without its management relation manages nobody
    (Role.department_head, ManagedScope(), Permission.person_read, COLLEAGUE_T, False),
    # tenant admin configures the unit
    (Role.tenant_admin, ManagedScope(), Permission.person_write, OUTSIDER_T, True),
    (Role.tenant_admin, ManagedScope(), Permission.unit_write, None, True),
    (Role.tenant_admin, ManagedScope(), Permission.roster_import, None, True),
    (Role.tenant_admin, ManagedScope(), Permission.tenant_provision, None, False),
    # office reads people (supervision, commendations) but changes no master data
    (Role.office, ManagedScope(), Permission.person_read, OUTSIDER_T, True),
    (Role.office, ManagedScope(), Permission.person_write, OUTSIDER_T, False),
    # external raters see only themselves for now
    (Role.external_rater, ManagedScope(), Permission.person_read, COLLEAGUE_T, False),
    # the city organization department: tenants, never a person
    (Role.city_organization_department, ManagedScope(), Permission.tenant_provision, None, True),
    (Role.city_organization_department, ManagedScope(), Permission.tenant_list, None, True),
    (Role.city_organization_department, ManagedScope(), Permission.person_read, SELF_T, False),
    (Role.city_organization_department, ManagedScope(), Permission.person_read, OUTSIDER_T,
     False),
]


@pytest.mark.parametrize(("role", "managed", "permission", "target", "allowed"), MATRIX)
def test_matrix(role: Role, managed: ManagedScope, permission: Permission,
                target: Target | None, allowed: bool) -> None:
    assert Authorizer(actor(role, managed)).can(permission, target) is allowed


def test_nobody_manages_themselves() -> None:
    head = Authorizer(actor(Role.department_head, HEAD_OF_A))
    # The head's own record is readable as "self", never as "managed".
    assert head.can(Permission.person_read, SELF_T)
    staff_head = Authorizer(Actor(tenant_id=TENANT, tenant_kind="x",
                                  roles=frozenset({Role.department_head}),
                                  account_id=uuid.uuid4(), person_id=ME, managed=HEAD_OF_A))
    from authz.enforcer import relations

    assert "managed" not in relations(staff_head.actor, SELF_T)


def test_roles_granted_in_one_tenant_do_not_apply_in_another() -> None:
    """An actor's roles are its grants in its own tenant, read under that tenant's row-level
    security (tests/test_isolation.py) and cached per tenant and account
    (tests/test_request_cost.py); the process's one enforcer holds no account's grant in any
    tenant, only one holder per role, so a request's subject finds no role there."""
    from authz.enforcer import DOMAIN, _enforcer, _holder, _Object

    admin = actor(Role.tenant_admin)
    write = _Object("person", frozenset({"any"}))
    for domain in (str(TENANT), str(OTHER_TENANT), DOMAIN):
        assert _enforcer().enforce(admin.subject, domain, write, "write") is False
    assert _enforcer().enforce(_holder(Role.tenant_admin), DOMAIN, write, "write") is True
    assert _enforcer().enforce(_holder(Role.tenant_admin), str(OTHER_TENANT), write,
                               "write") is False


def test_the_permission_names_the_resource_the_target_names_whose() -> None:
    head = Authorizer(actor(Role.department_head, HEAD_OF_A))
    # The same target (a person of unit A) under two resources: readable, not writable.
    assert head.can(Permission.person_read, COLLEAGUE_T) is True
    assert head.can(Permission.person_write, COLLEAGUE_T) is False
    assert head.can(Permission.person_read, Target(kind="unit", person_id=OUTSIDER,
                                                   unit_id=UNIT_B)) is False


def test_read_scope_drives_list_filters() -> None:
    scope = Authorizer(actor(Role.supervising_leader, SUPERVISOR_OF_A)).read_scope(
        Permission.person_read)
    assert not scope.everything
    assert scope.own
    assert scope.managed == SUPERVISOR_OF_A
    assert Authorizer(actor(Role.staff)).read_scope(Permission.person_read).managed is None
    assert Authorizer(actor(Role.city_organization_department)).read_scope(
        Permission.person_read).nothing


def test_manages_relation_from_tree() -> None:
    assert TREE.subtree(UNIT_A) == {UNIT_A, UNIT_A1}
    assert HEAD_OF_A.covers_unit(UNIT_A1)
    assert not HEAD_OF_A.covers_unit(UNIT_B)
    assert PRINCIPAL.whole_tenant
    boss = uuid.uuid4()
    head = uuid.uuid4()
    found = managers_of_unit(UNIT_A1, TREE, {UNIT_A: [("department_head", head)]}, [boss])
    assert found == [("department_head", head), ("principal_leader", boss)]


def test_a_remembered_answer_is_the_answer_a_fresh_enforcer_gives() -> None:
    """Authorizer.can remembers one answer per (permission, relations held): asking the same
    authorizer many questions in any order agrees with a fresh authorizer per question."""
    targets = [None, person(ME, UNIT_A), person(COLLEAGUE, UNIT_A), person(OUTSIDER, UNIT_B),
               Target(kind="unit", unit_id=UNIT_A), Target(kind="unit", unit_id=UNIT_B)]
    for role, scope in ((Role.staff, NO_SCOPE), (Role.department_head, HEAD_OF_A),
                        (Role.tenant_admin, NO_SCOPE), (Role.principal_leader, PRINCIPAL)):
        who = actor(role, scope)
        shared = Authorizer(who)
        for _ in range(2):  # the second round answers from memory
            for permission in Permission:
                for target in targets:
                    assert shared.can(permission, target) == Authorizer(who).can(
                        permission, target), (role, permission, target)
