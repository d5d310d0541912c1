"""GraphQL types of the org tree, posts, people and managers."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from models import ManagementRelation as ManagementRow
from models import OrgUnit as UnitRow
from models import Person as PersonRow
from models import Post as PostRow
from models import Tenant as TenantRow
from resolvers.org import people_list
from resolvers.org import structure as org
from schema.context import GraphQLContext, later, loader_for, managers_by_person
from schema.descriptions import ID_DOC
from schema.enums import ComparisonGroup, ManagementKind, PersonStatus, TenantKind, UnitKind
from vocab.org import TENANT_KIND_LABELS
from vocab.org import TenantKind as TenantKindValue

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="一个单位（租户）")
class Tenant:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    code: str = strawberry.field(description="单位代码（登录时填写）")
    name: str = strawberry.field(description="单位名称")
    kind: TenantKind = strawberry.field(description="单位类型")  # type: ignore[valid-type]

    @strawberry.field(description="单位类型的中文名")
    def kind_label(self) -> str:
        return TENANT_KIND_LABELS[TenantKindValue(self.kind)]

    @classmethod
    def of(cls, row: TenantRow) -> Tenant:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, kind=row.kind)


@strawberry.type(description="可开通的单位类型及其中文名")
class TenantKindOption:
    kind: TenantKind = strawberry.field(description="单位类型")  # type: ignore[valid-type]
    label: str = strawberry.field(description="单位类型的中文名")

    @classmethod
    def all_units(cls) -> list[TenantKindOption]:
        """Every kind of unit being appraised (the organization department oversees them)."""
        return [cls(kind=k, label=TENANT_KIND_LABELS[k]) for k in TenantKindValue
                if k != TenantKindValue.organization_department]


@strawberry.type(description="部门（科室）")
class OrgUnit:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    code: str = strawberry.field(description="部门编码（本单位内唯一）")
    name: str = strawberry.field(description="部门名称")
    kind: UnitKind = strawberry.field(description="组织单元类型")  # type: ignore[valid-type]
    sort_order: int = strawberry.field(description="排序号（小的在前）")
    parent_id: strawberry.ID | None = strawberry.field(description="上级部门 id；顶层为 null")

    @strawberry.field(description="上级部门；顶层为 null")
    async def parent(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.parent_id)

    @strawberry.field(description="下级部门（按排序号）")
    async def children(self, info: GInfo) -> list[OrgUnit]:
        rows = await loader_for(info.context, org.unit_children_by_parent).load(uuid.UUID(self.id))
        return [OrgUnit.of(r) for r in rows]

    @classmethod
    def of(cls, row: UnitRow | people_list.UnitLine) -> OrgUnit:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, kind=row.kind,
                   sort_order=row.sort_order,
                   parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None)


async def load_unit(info: GInfo, unit_id: strawberry.ID | None) -> OrgUnit | None:
    """The unit behind an id, through the request's DataLoader."""
    if unit_id is None:
        return None
    row = await loader_for(info.context, org.units_by_ids).load(uuid.UUID(unit_id))
    return OrgUnit.of(row) if row else None


async def load_post(info: GInfo, post_id: uuid.UUID) -> Post | None:
    """The post behind an id, through the request's DataLoader."""
    row = await loader_for(info.context, org.posts_by_ids).load(post_id)
    return Post.of(row) if row else None


@strawberry.type(description="岗位")
class Post:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    code: str = strawberry.field(description="岗位编码（本单位内唯一）")
    name: str = strawberry.field(description="岗位名称")
    description: str = strawberry.field(description="岗位职责说明；未填写为空串")
    unit_id: strawberry.ID | None = strawberry.field(
        description="所属部门 id；全单位通用岗位为 null")

    @strawberry.field(description="所属部门；全单位通用岗位为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def of(cls, row: PostRow | people_list.PostLine) -> Post:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name,
                   description=row.description,
                   unit_id=strawberry.ID(str(row.unit_id)) if row.unit_id else None)


@strawberry.type(description="管理某人的领导：谁管理谁评价")
class Manager:
    kind: ManagementKind = strawberry.field(description="管理关系类型")  # type: ignore[valid-type]
    person_id: strawberry.ID = strawberry.field(description="领导的人员 id")

    @strawberry.field(description="领导姓名")
    async def name(self, info: GInfo) -> str:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        return found[0] if found else ""

    @strawberry.field(description="领导所在部门；未知时为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        if not found:
            return None
        row = await loader_for(info.context, org.units_by_ids).load(found[1])
        return OrgUnit.of(row) if row else None


@strawberry.type(description="人员")
class Person:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    employee_no: str = strawberry.field(description="人员编号（本单位内唯一；并列时按它排序）")
    name: str = strawberry.field(description="姓名")
    gender: str = strawberry.field(description="性别：男、女；未填写为空串")
    rank_title: str = strawberry.field(description="职务职级（如一级科员）；未填写为空串")
    comparison_group: ComparisonGroup = strawberry.field(  # type: ignore[valid-type]
        description="比较组：领导与干部分开排名、分开计算名额")
    appraised: bool = strawberry.field(
        description="是否参加本单位考核（false：如主要领导由上级考核）")
    status: PersonStatus = strawberry.field(  # type: ignore[valid-type]
        description="人员状态（在职或已离开）")
    unit_id: strawberry.ID = strawberry.field(description="所在部门 id")
    post_id: strawberry.ID | None = strawberry.field(description="岗位 id；未定岗为 null")
    # A list that read the unit and post with the person (``people_list.PersonLine``) hands
    # them over.
    line: strawberry.Private[people_list.PersonLine | None] = None

    # Synchronous when the list read them with the person (see ``later``).
    @strawberry.field(description="所在部门")
    def unit(self, info: GInfo) -> OrgUnit | None:
        if self.line is not None:
            return OrgUnit.of(self.line.unit) if self.line.unit else None
        return later(load_unit(info, self.unit_id))

    @strawberry.field(description="岗位；未定岗为 null")
    def post(self, info: GInfo) -> Post | None:
        if self.post_id is None:
            return None
        if self.line is not None:
            return Post.of(self.line.post) if self.line.post else None
        return later(load_post(info, uuid.UUID(self.post_id)))

    @strawberry.field(description="管理此人的领导（部门负责人、分管领导、主要领导）")
    async def managers(self, info: GInfo) -> list[Manager]:
        links = await loader_for(info.context, managers_by_person).load(
            (uuid.UUID(self.id), uuid.UUID(self.unit_id)))
        return [Manager(kind=link.kind, person_id=strawberry.ID(str(link.manager_id)))
                for link in links]

    @classmethod
    def of(cls, row: PersonRow | people_list.PersonLine) -> Person:
        return cls(id=strawberry.ID(str(row.id)), employee_no=row.employee_no, name=row.name,
                   gender=row.gender, rank_title=row.rank_title,
                   comparison_group=row.comparison_group, appraised=row.appraised,
                   status=row.status, unit_id=strawberry.ID(str(row.unit_id)),
                   post_id=strawberry.ID(str(row.post_id)) if row.post_id else None,
                   line=row if isinstance(row, people_list.PersonLine) else None)


@strawberry.type(description="管理关系")
class ManagementRelation:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: ManagementKind = strawberry.field(  # type: ignore[valid-type]
        description="管理关系类型（部门主要负责人、分管领导、主要领导）")
    unit_id: strawberry.ID | None = strawberry.field(
        description="所管理的部门 id；管理的是某个人时为 null")
    manager: Manager = strawberry.field(description="管理者（领导）")

    @strawberry.field(description="所管理的部门；管理的是某个人时为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def of(cls, row: ManagementRow) -> ManagementRelation:
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind,
                   unit_id=strawberry.ID(str(row.unit_id)) if row.unit_id else None,
                   manager=Manager(kind=row.kind, person_id=strawberry.ID(str(row.manager_id))))


@strawberry.input(description="人员筛选条件")
class PeopleFilter:
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="只看此部门的人员；不传为全部")
    include_subunits: bool = strawberry.field(default=True, description="是否包括下级部门的人员")
    search: str | None = strawberry.field(default=None, description="按姓名或人员编号模糊查找")
    comparison_group: ComparisonGroup | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="只看此比较组（领导或干部）")
    post_id: strawberry.ID | None = strawberry.field(default=None, description="只看此岗位的人员")
    appraised: bool | None = strawberry.field(
        default=None, description="true 只看参加考核的人员，false 只看不参加的；不传为全部")
    status: PersonStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=PersonStatus.active, description="只看此状态（在职或已离开）")
