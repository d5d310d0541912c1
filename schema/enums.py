"""GraphQL enums mirroring the stored vocabularies."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

from vocab import org

E = TypeVar("E", bound=Enum)


def labelled_enum(enum: type[E], name: str, description: str,
                  values: Mapping[str, str] | None = None) -> type[E]:
    """The one place an enum value gets its description: the vocabulary's Chinese ``label``
    (``vocab/``), or ``values`` for an enum without labels; nothing is written twice."""
    result = strawberry.enum(enum, name=name, description=description)
    given = values or {}
    for value in result.__strawberry_definition__.values:  # type: ignore[attr-defined]
        label = given.get(value.name) or getattr(enum[value.name], "label", None)
        value.description = value.description or label or None
    return result


Role = labelled_enum(org.Role, "Role", "角色（决定可见范围和可做的操作）")
TenantKind = labelled_enum(org.TenantKind, "TenantKind", "单位类型")
UnitKind = labelled_enum(org.UnitKind, "UnitKind", "组织单元类型", {
    "leadership": "领导班子", "department": "科室（部门）", "subunit": "下属单位",
    "village": "村（社区）"})
ManagementKind = labelled_enum(org.ManagementKind, "ManagementKind", "管理关系类型", {
    "department_head": "部门主要负责人", "supervising_leader": "分管领导",
    "principal_leader": "主要领导"})
ComparisonGroup = labelled_enum(org.ComparisonGroup, "ComparisonGroup",
                                "比较组：领导与干部分开排名、分开计算名额")
PersonStatus = labelled_enum(org.PersonStatus, "PersonStatus", "人员状态", {
    "active": "在职", "left": "已离开本单位"})
