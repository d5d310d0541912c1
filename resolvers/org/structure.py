"""Org tree, posts, people and management relations: the use cases behind the API."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from authz import Permission, Target
from authz.relations import managers_of_unit
from authz.scopes import person_rows
from models import ManagementRelation, OrgUnit, Person, Post
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.org.tree import forget_org_tree, org_tree, org_tree_from_rows, units_below
from rules.org_tree import OrgTree
from vocab.org import ComparisonGroup, ManagementKind, PersonStatus, UnitKind

MAX_PAGE = 200


def person_target(person: Person) -> Target:
    return Target(kind="person", id=person.id, person_id=person.id, unit_id=person.unit_id)


def readable_people(ctx: Context) -> Select[Person]:
    scope = ctx.authz.read_scope(Permission.person_read)
    return select(Person).where(person_rows(scope, ctx.me.person_id, Person.id, Person.unit_id))


# --- units -----------------------------------------------------------------------------------


async def all_units(ctx: Context) -> Sequence[OrgUnit]:
    ctx.require(Permission.unit_read)
    return (await ctx.session.scalars(
        select(OrgUnit).order_by(OrgUnit.sort_order, OrgUnit.code))).all()


async def units_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[OrgUnit | None]:
    if not ctx.can(Permission.unit_read):
        return [None] * len(ids)
    rows = (await ctx.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))).all()
    by_id = {u.id: u for u in rows}
    return [by_id.get(i) for i in ids]


async def unit_children_by_parent(
    ctx: Context, parent_ids: Sequence[uuid.UUID]
) -> list[list[OrgUnit]]:
    units = await all_units(ctx)
    tree = org_tree_from_rows(ctx, ((u.id, u.parent_id, u.sort_order, u.code) for u in units))
    by_id = {u.id: u for u in units}
    return [[by_id[c] for c in tree.children(p) if c in by_id] for p in parent_ids]


async def get_unit(ctx: Context, unit_id: uuid.UUID) -> OrgUnit:
    ctx.require(Permission.unit_read)
    unit = await ctx.session.get(OrgUnit, (ctx.me.tenant_id, unit_id))
    if unit is None:
        raise not_found("部门")
    return unit


@dataclass(frozen=True)
class UnitInput:
    name: str
    code: str
    parent_id: uuid.UUID | None = None
    kind: str = UnitKind.department.value
    sort_order: int = 0


def _check_unit_input(data: UnitInput) -> None:
    problems = []
    if not data.name.strip():
        problems.append(Problem(ErrorCode.INVALID, "部门名称不能为空", "name"))
    if not data.code.strip():
        problems.append(Problem(ErrorCode.INVALID, "部门代码不能为空", "code"))
    if data.kind not in set(UnitKind):
        problems.append(Problem(ErrorCode.INVALID, f"部门类型“{data.kind}”无效", "kind"))
    if problems:
        raise UserFacingError(*problems)


async def _flush_unique(ctx: Context, message: str, field: str) -> None:
    try:
        await ctx.session.flush()
    except IntegrityError as exc:
        raise fail(ErrorCode.DUPLICATE, message, field) from exc


async def create_unit(ctx: Context, data: UnitInput) -> OrgUnit:
    ctx.require(Permission.unit_write)
    _check_unit_input(data)
    if data.parent_id is not None:
        await get_unit(ctx, data.parent_id)
    unit = OrgUnit(tenant_id=ctx.me.tenant_id, name=data.name.strip(), code=data.code.strip(),
                   parent_id=data.parent_id, kind=data.kind, sort_order=data.sort_order)
    ctx.session.add(unit)
    await _flush_unique(ctx, f"部门代码“{data.code}”已存在", "code")
    forget_org_tree(ctx)
    audit.record(ctx, "unit.create", "org_unit", unit.id, after=audit.snapshot(unit))
    return unit


async def update_unit(ctx: Context, unit_id: uuid.UUID, data: UnitInput) -> OrgUnit:
    ctx.require(Permission.unit_write)
    _check_unit_input(data)
    unit = await get_unit(ctx, unit_id)
    before = audit.snapshot(unit)
    if data.parent_id is not None:
        await get_unit(ctx, data.parent_id)
        if data.parent_id in await units_below(ctx, unit.id):
            raise fail(ErrorCode.INVALID, "上级部门不能是本部门或其下级部门", "parentId")
    unit.name, unit.code, unit.parent_id = data.name.strip(), data.code.strip(), data.parent_id
    unit.kind, unit.sort_order = data.kind, data.sort_order
    await _flush_unique(ctx, f"部门代码“{data.code}”已存在", "code")
    forget_org_tree(ctx)
    audit.record(ctx, "unit.update", "org_unit", unit.id, before, audit.snapshot(unit))
    return unit


async def delete_unit(ctx: Context, unit_id: uuid.UUID) -> uuid.UUID:
    ctx.require(Permission.unit_write)
    unit = await get_unit(ctx, unit_id)
    busy = await ctx.session.scalar(select(func.count()).select_from(Person)
                                    .where(Person.unit_id == unit_id))
    kids = await ctx.session.scalar(select(func.count()).select_from(OrgUnit)
                                    .where(OrgUnit.parent_id == unit_id))
    if busy or kids:
        raise fail(ErrorCode.CONFLICT, "该部门下仍有人员或下级部门，不能删除")
    before = audit.snapshot(unit)
    await ctx.session.delete(unit)
    await ctx.session.flush()
    forget_org_tree(ctx)
    audit.record(ctx, "unit.delete", "org_unit", unit_id, before=before)
    return unit_id


# --- posts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostInput:
    name: str
    code: str
    unit_id: uuid.UUID | None = None
    description: str = ""


async def list_posts(ctx: Context) -> Sequence[Post]:
    ctx.require(Permission.post_read)
    return (await ctx.session.scalars(select(Post).order_by(Post.code))).all()


async def posts_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Post | None]:
    if not ctx.can(Permission.post_read):
        return [None] * len(ids)
    rows = (await ctx.session.scalars(select(Post).where(Post.id.in_(ids)))).all()
    by_id = {p.id: p for p in rows}
    return [by_id.get(i) for i in ids]


async def get_post(ctx: Context, post_id: uuid.UUID) -> Post:
    ctx.require(Permission.post_read)
    post = await ctx.session.get(Post, (ctx.me.tenant_id, post_id))
    if post is None:
        raise not_found("岗位")
    return post


async def save_post(ctx: Context, data: PostInput, post_id: uuid.UUID | None = None) -> Post:
    ctx.require(Permission.post_write)
    if not data.name.strip() or not data.code.strip():
        raise fail(ErrorCode.INVALID, "岗位名称和代码不能为空", "name")
    if data.unit_id is not None:
        await get_unit(ctx, data.unit_id)
    if post_id is None:
        post = Post(tenant_id=ctx.me.tenant_id)
        ctx.session.add(post)
        before = None
    else:
        post = await get_post(ctx, post_id)
        before = audit.snapshot(post)
    post.name, post.code = data.name.strip(), data.code.strip()
    post.unit_id, post.description = data.unit_id, data.description
    await _flush_unique(ctx, f"岗位代码“{data.code}”已存在", "code")
    audit.record(ctx, "post.save", "post", post.id, before, audit.snapshot(post))
    return post


# --- people ----------------------------------------------------------------------------------


async def people_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Person | None]:
    rows = (await ctx.session.scalars(readable_people(ctx).where(Person.id.in_(ids)))).all()
    by_id = {p.id: p for p in rows}
    return [by_id.get(i) for i in ids]


async def get_person(ctx: Context, person_id: uuid.UUID) -> Person:
    person = (await people_by_ids(ctx, [person_id]))[0]
    if person is None:
        raise not_found("人员")
    return person


@dataclass(frozen=True)
class PersonInput:
    employee_no: str
    name: str
    unit_id: uuid.UUID
    gender: str = ""
    post_id: uuid.UUID | None = None
    rank_title: str = ""
    comparison_group: str = ComparisonGroup.staff.value
    appraised: bool = True
    status: str = PersonStatus.active.value


def check_person_input(data: PersonInput) -> list[Problem]:
    problems = []
    if not data.employee_no.strip():
        problems.append(Problem(ErrorCode.INVALID, "工号不能为空", "employeeNo"))
    if not data.name.strip():
        problems.append(Problem(ErrorCode.INVALID, "姓名不能为空", "name"))
    if data.gender not in ("", "男", "女"):
        problems.append(Problem(ErrorCode.INVALID, "性别只能是“男”或“女”", "gender"))
    if data.comparison_group not in set(ComparisonGroup):
        problems.append(
            Problem(ErrorCode.INVALID, "比较组只能是 leader 或 staff", "comparisonGroup"))
    if data.status not in set(PersonStatus):
        problems.append(Problem(ErrorCode.INVALID, "人员状态无效", "status"))
    return problems


async def save_person(ctx: Context, data: PersonInput,
                      person_id: uuid.UUID | None = None) -> Person:
    ctx.require(Permission.person_write)
    problems = check_person_input(data)
    if problems:
        raise UserFacingError(*problems)
    await get_unit(ctx, data.unit_id)
    if data.post_id is not None:
        await get_post(ctx, data.post_id)
    if person_id is None:
        person = Person(tenant_id=ctx.me.tenant_id)
        ctx.session.add(person)
        before = None
    else:
        person = await get_person(ctx, person_id)
        before = audit.snapshot(person)
    person.employee_no, person.name = data.employee_no.strip(), data.name.strip()
    person.unit_id, person.post_id, person.gender = data.unit_id, data.post_id, data.gender
    person.rank_title, person.comparison_group = data.rank_title, data.comparison_group
    person.appraised, person.status = data.appraised, data.status
    await _flush_unique(ctx, f"工号“{data.employee_no}”已存在", "employeeNo")
    audit.record(ctx, "person.save", "person", person.id, before, audit.snapshot(person))
    return person


# --- management relations --------------------------------------------------------------------


@dataclass(frozen=True)
class ManagerLink:
    kind: str
    manager_id: uuid.UUID


@dataclass
class ManagementIndex:
    """The tenant's unit tree and management relations."""

    tree: OrgTree[uuid.UUID]
    by_unit: dict[uuid.UUID, list[tuple[str, uuid.UUID]]]
    principals: list[uuid.UUID]

    def managers_of(self, person: Person) -> list[ManagerLink]:
        links = managers_of_unit(person.unit_id, self.tree, self.by_unit, self.principals)
        seen: set[tuple[str, uuid.UUID]] = set()
        out = []
        for kind, manager in links:
            if manager != person.id and (kind, manager) not in seen:
                seen.add((kind, manager))
                out.append(ManagerLink(kind, manager))
        return out


async def management_index(ctx: Context) -> ManagementIndex:
    tree = await org_tree(ctx)
    by_unit: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = defaultdict(list)
    principals = []
    rows = (await ctx.session.execute(select(
        ManagementRelation.kind, ManagementRelation.unit_id, ManagementRelation.manager_id)
        .order_by(ManagementRelation.kind, ManagementRelation.manager_id))).all()
    for kind, unit_id, manager_id in rows:
        if unit_id is None:
            principals.append(manager_id)
        else:
            by_unit[unit_id].append((kind, manager_id))
    return ManagementIndex(tree, dict(by_unit), principals)


async def managers_by_person(ctx: Context, people: Sequence[Person]) -> list[list[ManagerLink]]:
    index = await management_index(ctx)
    return [index.managers_of(p) for p in people]


async def manager_names(
    ctx: Context, ids: Sequence[uuid.UUID]
) -> list[tuple[str, uuid.UUID] | None]:
    """Who manages someone is not private: names and units of managers are readable."""
    rows = (await ctx.session.execute(
        select(Person.id, Person.name, Person.unit_id).where(Person.id.in_(ids)))).all()
    by_id = {r[0]: (r[1], r[2]) for r in rows}
    return [by_id.get(i) for i in ids]


async def list_management(ctx: Context) -> Sequence[ManagementRelation]:
    ctx.require(Permission.unit_read)
    return (await ctx.session.scalars(select(ManagementRelation).order_by(
        ManagementRelation.kind, ManagementRelation.created_at))).all()


async def add_management(ctx: Context, manager_id: uuid.UUID, kind: str,
                         unit_id: uuid.UUID | None) -> ManagementRelation:
    ctx.require(Permission.management_write)
    if kind not in set(ManagementKind):
        raise fail(ErrorCode.INVALID, "管理关系类型无效", "kind")
    if (kind == ManagementKind.principal_leader) != (unit_id is None):
        raise fail(ErrorCode.INVALID, "主要领导不指定部门；部门负责人和分管领导必须指定部门",
                   "unitId")
    manager = await ctx.session.get(Person, (ctx.me.tenant_id, manager_id))
    if manager is None:
        raise not_found("人员")
    if unit_id is not None:
        await get_unit(ctx, unit_id)
    relation = ManagementRelation(tenant_id=ctx.me.tenant_id, manager_id=manager_id, kind=kind,
                                  unit_id=unit_id)
    ctx.session.add(relation)
    await _flush_unique(ctx, "该管理关系已存在", "managerId")
    audit.record(ctx, "management.add", "management_relation", relation.id,
                 after=audit.snapshot(relation))
    return relation


async def remove_management(ctx: Context, relation_id: uuid.UUID) -> uuid.UUID:
    ctx.require(Permission.management_write)
    relation = await ctx.session.get(ManagementRelation, (ctx.me.tenant_id, relation_id))
    if relation is None:
        raise not_found("管理关系")
    before = audit.snapshot(relation)
    await ctx.session.delete(relation)
    await ctx.session.flush()
    audit.record(ctx, "management.remove", "management_relation", relation_id, before=before)
    return relation_id
