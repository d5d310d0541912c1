"""The city organization department holds tenants and aggregates, never a person: its whole
permission set, and who else holds the oversight permissions."""

from __future__ import annotations

import uuid

from authz import Actor, Authorizer, Permission, Target
from vocab.org import Role

CITY_PERMISSIONS = {
    Permission.tenant_read, Permission.tenant_list, Permission.tenant_provision,
    Permission.tenant_reset_admin, Permission.oversight_read, Permission.oversight_configure,
    Permission.oversight_report_export, Permission.experience_review_read,
    Permission.experience_review_comment, Permission.shared_report_read,
}
CITY_ONLY = {Permission.tenant_reset_admin, Permission.oversight_read,
             Permission.oversight_configure, Permission.oversight_report_export,
             Permission.experience_review_read, Permission.experience_review_comment,
             Permission.shared_report_read}


def actor(role: Role, person: uuid.UUID | None = None) -> Actor:
    return Actor(tenant_id=uuid.uuid4(), tenant_kind="county_bureau", roles=frozenset({role}),
                 account_id=uuid.uuid4(), person_id=person)


def held(role: Role) -> set[Permission]:
    authorizer = Authorizer(actor(role))
    return {p for p in Permission if authorizer.granted_relations(p)}


def test_the_city_holds_exactly_its_platform_permissions() -> None:
    assert held(Role.city_organization_department) == CITY_PERMISSIONS
    city = Authorizer(actor(Role.city_organization_department, uuid.uuid4()))
    someone = uuid.uuid4()
    for permission in (Permission.person_read, Permission.declaration_read,
                       Permission.result_read, Permission.interview_read,
                       Permission.rating_write, Permission.bonus_line_read):
        assert not city.can(permission, Target(kind="x", id=someone, person_id=someone,
                                                unit_id=uuid.uuid4())), permission


def test_no_tenant_role_holds_a_city_permission() -> None:
    for role in Role:
        if role is not Role.city_organization_department:
            assert not held(role) & CITY_ONLY, role


def test_units_submit_and_share_through_their_organization_department_and_leader() -> None:
    for role in Role:
        permissions = held(role)
        expected = role in (Role.tenant_admin, Role.principal_leader)
        assert (Permission.experience_submit in permissions) is expected, role
        assert (Permission.experience_read in permissions) is expected, role
        assert (Permission.report_share_write in permissions) is expected, role
