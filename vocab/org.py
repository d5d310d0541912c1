"""Tenants, units, roles and people."""

from __future__ import annotations

from enum import StrEnum

from vocab.labelled import LabelledEnum, labels


class TenantKind(LabelledEnum):
    discipline_commission = "discipline_commission", "纪检监察机关"
    industrial_park = "industrial_park", "产业园区"
    county_bureau = "county_bureau", "县级机关单位"
    township = "township", "乡镇"
    subdistrict = "subdistrict", "街道"
    organization_department = "organization_department", "组织部门"


TENANT_KIND_LABELS = labels(TenantKind)


class UnitKind(StrEnum):
    leadership = "leadership"
    department = "department"
    subunit = "subunit"
    village = "village"


class Role(LabelledEnum):
    tenant_admin = "tenant_admin", "组织人事部门"
    principal_leader = "principal_leader", "主要领导"
    supervising_leader = "supervising_leader", "分管领导"
    department_head = "department_head", "部门主要负责人"
    office = "office", "办公室"
    staff = "staff", "干部"
    external_rater = "external_rater", "外部评价人"
    city_organization_department = "city_organization_department", "市委组织部"
    # 三员分立 (等保 level 3): three administrators one account may not combine (rules/duties.py)
    system_admin = "system_admin", "系统管理员"
    security_admin = "security_admin", "安全管理员"
    audit_admin = "audit_admin", "审计管理员"


ROLE_LABELS = labels(Role)


class ManagementKind(StrEnum):
    department_head = "department_head"
    supervising_leader = "supervising_leader"
    principal_leader = "principal_leader"


class ComparisonGroup(LabelledEnum):
    leader = "leader", "领导"
    staff = "staff", "干部"


class PersonStatus(StrEnum):
    active = "active"
    left = "left"
