"""The "assigned" relation of rating: only assigned raters rate, never themselves, whatever the
role and whatever they manage; and who reviews grades and reads results."""

from __future__ import annotations

import uuid

import pytest

from authz import Actor, Authorizer, ManagedScope, Permission, Target
from authz.enforcer import relations
from authz.relations import managed_scope
from rules.org_tree import OrgTree
from vocab.org import ManagementKind, Role

TENANT = uuid.uuid4()
ME, OTHER = uuid.uuid4(), uuid.uuid4()
UNIT_A, UNIT_B = uuid.uuid4(), uuid.uuid4()
TREE = OrgTree([(UNIT_A, None, 0), (UNIT_B, None, 1)])
PRINCIPAL = managed_scope([(ManagementKind.principal_leader, None)], TREE)
HEAD_OF_A = managed_scope([(ManagementKind.department_head, UNIT_A)], TREE)
NO_SCOPE = ManagedScope()
RATING_ROLES = [Role.tenant_admin, Role.principal_leader, Role.supervising_leader,
                Role.department_head, Role.office, Role.staff, Role.external_rater]


def actor(role: Role, managed: ManagedScope = NO_SCOPE, person: uuid.UUID | None = ME
          ) -> Actor:
    return Actor(tenant_id=TENANT, tenant_kind="township", roles=frozenset({role}),
                 account_id=uuid.uuid4(), person_id=person, managed=managed)


def target(person: uuid.UUID, raters: set[uuid.UUID], unit: uuid.UUID = UNIT_A) -> Target:
    return Target(kind="rating", id=person, person_id=person, unit_id=unit,
                  assigned_raters=frozenset(raters))


@pytest.mark.parametrize("role", RATING_ROLES)
def test_assigned_raters_rate_others_only(role: Role) -> None:
    me = Authorizer(actor(role, PRINCIPAL))
    assert me.can(Permission.rating_write, target(OTHER, {ME})) is True
    assert me.can(Permission.rating_write, target(OTHER, {uuid.uuid4()})) is False
    assert me.can(Permission.rating_write, target(OTHER, set())) is False
    # even listed as a rater of oneself (a corrupt row), "assigned" is never held to oneself
    assert me.can(Permission.rating_write, target(ME, {ME})) is False
    assert "assigned" not in relations(actor(role), target(ME, {ME}))


def test_managing_someone_is_not_being_assigned() -> None:
    head = Authorizer(actor(Role.department_head, HEAD_OF_A))
    assert head.can(Permission.result_read, target(OTHER, set())) is True  # managed
    assert head.can(Permission.rating_write, target(OTHER, set())) is False
    outside = target(OTHER, set(), UNIT_B)
    assert head.can(Permission.result_read, outside) is False


def test_an_account_without_a_person_rates_nobody() -> None:
    admin = Authorizer(actor(Role.tenant_admin, person=None))
    assert admin.can(Permission.rating_write, target(OTHER, {OTHER})) is False


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.tenant_admin, True), (Role.principal_leader, True), (Role.supervising_leader, False),
    (Role.department_head, False), (Role.office, False), (Role.staff, False),
    (Role.external_rater, False), (Role.city_organization_department, False)])
def test_who_reviews_grades(role: Role, allowed: bool) -> None:
    assert Authorizer(actor(role)).can(Permission.grade_review) is allowed


@pytest.mark.parametrize("role", RATING_ROLES)
def test_everyone_of_the_tenant_reads_publicity_and_only_the_admin_computes(role: Role) -> None:
    me = Authorizer(actor(role))
    assert me.can(Permission.publicity_read) is True
    assert me.can(Permission.result_compute) is (role == Role.tenant_admin)
    assert me.can(Permission.rater_assignment_manage) is (role == Role.tenant_admin)
    assert me.can(Permission.result_read, target(ME, set())) is True  # their own
    assert me.can(Permission.result_read, target(OTHER, set())) is (role == Role.tenant_admin)
