"""GraphQL types of the org tree, posts, people and managers."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import ManagementRelation as ManagementRow
from models import OrgUnit as UnitRow
from models import Person as PersonRow
from models import Post as PostRow
from models import Tenant as TenantRow
from resolvers.org import structure as org
from schema.context import GraphQLContext, loader_for, managers_by_person
from schema.enums import ComparisonGroup, ManagementKind, PersonStatus, TenantKind, UnitKind
from vocab.org import TENANT_KIND_LABELS
from vocab.org import TenantKind as TenantKindValue

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="一个单位（租户）")
class Tenant:
    id: strawberry.ID
    code: str
    name: str
    kind: TenantKind  # type: ignore[valid-type]

    @strawberry.field(description="单位类型的中文名")
    def kind_label(self) -> str:
        return TENANT_KIND_LABELS[TenantKindValue(self.kind)]

    @classmethod
    def of(cls, row: TenantRow) -> Tenant:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, kind=row.kind)


@strawberry.type(description="部门（科室）")
class OrgUnit:
    id: strawberry.ID
    code: str
    name: str
    kind: UnitKind  # type: ignore[valid-type]
    sort_order: int
    parent_id: strawberry.ID | None

    @strawberry.field
    async def parent(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.parent_id)

    @strawberry.field
    async def children(self, info: GInfo) -> list[OrgUnit]:
        rows = await loader_for(info.context, org.unit_children_by_parent).load(uuid.UUID(self.id))
        return [OrgUnit.of(r) for r in rows]

    @classmethod
    def of(cls, row: UnitRow) -> OrgUnit:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, kind=row.kind,
                   sort_order=row.sort_order,
                   parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None)


async def load_unit(info: GInfo, unit_id: strawberry.ID | None) -> OrgUnit | None:
    """The unit behind an id, through the request's DataLoader."""
    if unit_id is None:
        return None
    row = await loader_for(info.context, org.units_by_ids).load(uuid.UUID(unit_id))
    return OrgUnit.of(row) if row else None


@strawberry.type(description="岗位")
class Post:
    id: strawberry.ID
    code: str
    name: str
    description: str
    unit_id: strawberry.ID | None

    @strawberry.field
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def of(cls, row: PostRow) -> Post:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name,
                   description=row.description,
                   unit_id=strawberry.ID(str(row.unit_id)) if row.unit_id else None)


@strawberry.type(description="管理某人的领导：谁管理谁评价")
class Manager:
    kind: ManagementKind  # type: ignore[valid-type]
    person_id: strawberry.ID

    @strawberry.field
    async def name(self, info: GInfo) -> str:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        return found[0] if found else ""

    @strawberry.field
    async def unit(self, info: GInfo) -> OrgUnit | None:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        if not found:
            return None
        row = await loader_for(info.context, org.units_by_ids).load(found[1])
        return OrgUnit.of(row) if row else None


@strawberry.type(description="人员")
class Person:
    id: strawberry.ID
    employee_no: str
    name: str
    gender: str
    rank_title: str
    comparison_group: ComparisonGroup  # type: ignore[valid-type]
    appraised: bool
    status: PersonStatus  # type: ignore[valid-type]
    unit_id: strawberry.ID
    post_id: strawberry.ID | None

    @strawberry.field
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field
    async def post(self, info: GInfo) -> Post | None:
        if self.post_id is None:
            return None
        row = await loader_for(info.context, org.posts_by_ids).load(uuid.UUID(self.post_id))
        return Post.of(row) if row else None

    @strawberry.field(description="管理此人的领导（部门负责人、分管领导、主要领导）")
    async def managers(self, info: GInfo) -> list[Manager]:
        links = await loader_for(info.context, managers_by_person).load(
            (uuid.UUID(self.id), uuid.UUID(self.unit_id)))
        return [Manager(kind=link.kind, person_id=strawberry.ID(str(link.manager_id)))
                for link in links]

    @classmethod
    def of(cls, row: PersonRow) -> Person:
        return cls(id=strawberry.ID(str(row.id)), employee_no=row.employee_no, name=row.name,
                   gender=row.gender, rank_title=row.rank_title,
                   comparison_group=row.comparison_group, appraised=row.appraised,
                   status=row.status, unit_id=strawberry.ID(str(row.unit_id)),
                   post_id=strawberry.ID(str(row.post_id)) if row.post_id else None)


@strawberry.type(description="管理关系")
class ManagementRelation:
    id: strawberry.ID
    kind: ManagementKind  # type: ignore[valid-type]
    unit_id: strawberry.ID | None
    manager: Manager

    @strawberry.field
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def of(cls, row: ManagementRow) -> ManagementRelation:
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind,
                   unit_id=strawberry.ID(str(row.unit_id)) if row.unit_id else None,
                   manager=Manager(kind=row.kind, person_id=strawberry.ID(str(row.manager_id))))


@strawberry.input(description="人员筛选条件")
class PeopleFilter:
    unit_id: strawberry.ID | None = None
    include_subunits: bool = True
    search: Annotated[str | None, strawberry.argument(description="姓名或工号")] = None
    comparison_group: ComparisonGroup | None = None  # type: ignore[valid-type]
    post_id: strawberry.ID | None = None
    appraised: bool | None = None
    status: PersonStatus | None = PersonStatus.active  # type: ignore[valid-type]
