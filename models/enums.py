"""Closed vocabularies stored as text with CHECK constraints (cheaper to evolve than PG enums)."""

from __future__ import annotations

from enum import StrEnum


class TenantKind(StrEnum):
    discipline_commission = "discipline_commission"
    industrial_park = "industrial_park"
    county_bureau = "county_bureau"
    township = "township"
    subdistrict = "subdistrict"
    organization_department = "organization_department"


TENANT_KIND_LABELS: dict[TenantKind, str] = {
    TenantKind.discipline_commission: "纪检监察机关",
    TenantKind.industrial_park: "产业园区",
    TenantKind.county_bureau: "县级机关单位",
    TenantKind.township: "乡镇",
    TenantKind.subdistrict: "街道",
    TenantKind.organization_department: "组织部门",
}


class UnitKind(StrEnum):
    leadership = "leadership"
    department = "department"
    subunit = "subunit"
    village = "village"


class Role(StrEnum):
    tenant_admin = "tenant_admin"
    principal_leader = "principal_leader"
    supervising_leader = "supervising_leader"
    department_head = "department_head"
    office = "office"
    staff = "staff"
    external_rater = "external_rater"
    city_organization_department = "city_organization_department"


ROLE_LABELS: dict[Role, str] = {
    Role.tenant_admin: "组织人事部门",
    Role.principal_leader: "主要领导",
    Role.supervising_leader: "分管领导",
    Role.department_head: "部门主要负责人",
    Role.office: "办公室",
    Role.staff: "干部",
    Role.external_rater: "外部评价人",
    Role.city_organization_department: "市委组织部",
}


class ManagementKind(StrEnum):
    department_head = "department_head"
    supervising_leader = "supervising_leader"
    principal_leader = "principal_leader"


class ComparisonGroup(StrEnum):
    leader = "leader"
    staff = "staff"


class PersonStatus(StrEnum):
    active = "active"
    left = "left"
