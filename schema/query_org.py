"""The Query root: thin resolvers that call use cases and wrap rows in types."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import audit
from resolvers.errors import UserFacingError
from resolvers.org import identity, people_list, platform, roster
from resolvers.org import structure as org
from resolvers.spreadsheet import XLSX_MIME
from schema.context import GraphQLContext, loader_for
from schema.enums import Role
from schema.ids import NO_ID, parse_id
from schema.types.identity import Account, ApiToken, AuditEntry, AuditVocabulary
from schema.types.org import (
    ManagementRelation,
    OrgUnit,
    PeopleFilter,
    Person,
    Post,
    Tenant,
    TenantKindOption,
)
from schema.types.pagination import After, Connection, First, node_id, paged
from schema.types.plans import FileExport

GInfo = Info[GraphQLContext, None]


def people_criteria(f: PeopleFilter | None) -> people_list.PeopleFilter:
    """The ``people`` list's filter as the use case takes it (also ``schema.compiled_reads``)."""
    f = f or PeopleFilter()
    return people_list.PeopleFilter(
        unit_id=parse_id(f.unit_id), include_subunits=f.include_subunits, search=f.search,
        comparison_group=f.comparison_group, post_id=parse_id(f.post_id),
        appraised=f.appraised, status=f.status)


@strawberry.type(description="当前调用者")
class Me:
    tenant: Tenant = strawberry.field(description="调用者所在单位")
    roles: list[Role] = strawberry.field(  # type: ignore[valid-type]
        description="调用者的角色（账号或接口令牌）")
    account: Account | None = strawberry.field(description="登录账号；用接口令牌调用时为 null")
    person: Person | None = strawberry.field(description="账号对应的人员；没有时为 null")
    api_token_id: strawberry.ID | None = strawberry.field(
        description="用接口令牌调用时为令牌 id；用账号登录时为 null")


@strawberry.type
class OrgQuery:
    @strawberry.field(description="当前调用者：账号、人员、单位和角色")
    async def me(self, info: GInfo) -> Me:
        ctx = info.context
        actor = ctx.me
        tenant = await identity.current_tenant(ctx)
        row = await identity.own_account(ctx)
        account = Account.of(row) if row else None
        person = None
        if actor.person_id is not None:
            person_row = await loader_for(ctx, org.people_by_ids).load(actor.person_id)
            person = Person.of(person_row) if person_row else None
        return Me(tenant=Tenant.of(tenant), roles=sorted(actor.roles), account=account,
                  person=person,
                  api_token_id=strawberry.ID(str(actor.token_id)) if actor.token_id else None)

    @strawberry.field(description="本单位")
    async def tenant(self, info: GInfo) -> Tenant:
        return Tenant.of(await identity.current_tenant(info.context))

    @strawberry.field(description="组织架构树（根部门，逐级展开 children）")
    async def org_tree(self, info: GInfo) -> list[OrgUnit]:
        units = await org.all_units(info.context)
        return [OrgUnit.of(u) for u in units if u.parent_id is None]

    @strawberry.field(description="全部部门（平铺）")
    async def org_units(self, info: GInfo) -> list[OrgUnit]:
        return [OrgUnit.of(u) for u in await org.all_units(info.context)]

    @strawberry.field(description="单个部门；不存在时为 null")
    async def org_unit(self, info: GInfo,
                       id: Annotated[strawberry.ID, strawberry.argument(
                           description="部门 id")]) -> OrgUnit | None:
        row = await loader_for(info.context, org.units_by_ids).load(parse_id(id) or NO_ID)
        return OrgUnit.of(row) if row else None

    @strawberry.field(description="人员列表：按工号排序，游标分页；只返回调用者可见的人员")
    async def people(self, info: GInfo,
                     first: First = 50,
                     after: After = None,
                     filter: Annotated[PeopleFilter | None, strawberry.argument(
                         description="筛选条件；"
                                     "不传为可见的全部人员")] = None) -> Connection[Person]:
        page = await people_list.list_people(info.context, people_criteria(filter), first,
                                             after)
        return Connection.of(page, Person.of)

    @strawberry.field(description="单个人员；无权查看或不存在时为 null")
    async def person(self, info: GInfo,
                     id: Annotated[strawberry.ID, strawberry.argument(
                         description="人员 id")]) -> Person | None:
        info.context.authz  # noqa: B018 - refuses anonymous callers
        row = await loader_for(info.context, org.people_by_ids).load(parse_id(id) or NO_ID)
        return Person.of(row) if row else None

    @strawberry.field(description="花名册导入模板（Excel）：中文表头和一行示例（示例的部门、岗位取本单位"
                                  "已有的），可按示例填写后导入；组织人事部门")
    async def roster_template(self, info: GInfo) -> FileExport:
        out = await roster.roster_template(info.context)
        return FileExport(filename=out.filename, content_base64=out.content_base64,
                          mime_type=XLSX_MIME)

    @strawberry.field(description="岗位")
    async def posts(self, info: GInfo) -> list[Post]:
        return [Post.of(p) for p in await org.list_posts(info.context)]

    @strawberry.field(description="管理关系")
    async def management_relations(self, info: GInfo) -> list[ManagementRelation]:
        return [ManagementRelation.of(r) for r in await org.list_management(info.context)]

    @strawberry.field(description="账号（组织人事部门）")
    async def accounts(self, info: GInfo) -> list[Account]:
        return [Account.of(a) for a in await identity.list_accounts(info.context)]

    @strawberry.field(description="账号（组织人事部门），游标分页")
    async def accounts_page(self, info: GInfo,
                            first: First = 50,
                            after: After = None) -> Connection[Account]:
        rows = [Account.of(a) for a in await identity.list_accounts(info.context)]
        return paged(rows, node_id, first, after)

    @strawberry.field(description="接口令牌（组织人事部门）")
    async def api_tokens(self, info: GInfo) -> list[ApiToken]:
        return [ApiToken.of(t) for t in await identity.list_api_tokens(info.context)]

    @strawberry.field(description="审计日志（审计管理员、组织人事部门），新的在前；可按对象、日期范围"
                                  "（北京时间，含首尾两天）、操作人和操作筛选；操作以“.”结尾时按前缀"
                                  "筛选，如 login.")
    async def audit_log(self, info: GInfo,
                        entity: Annotated[str | None, strawberry.argument(
                            description="只看此对象类型（表名）")] = None,
                        entity_id: Annotated[str | None, strawberry.argument(
                            description="只看此对象 id")] = None,
                        first: First = 100,
                        date_from: Annotated[date | None, strawberry.argument(
                            description="开始日期（北京时间，含当天）")] = None,
                        date_to: Annotated[date | None, strawberry.argument(
                            description="结束日期（北京时间，含当天）")] = None,
                        actor: Annotated[str | None, strawberry.argument(
                            description="操作人标识，如 account:<id>")] = None,
                        action: Annotated[str | None, strawberry.argument(
                            description="操作；以“.”结尾时按前缀筛选，如 login.")] = None
                        ) -> list[AuditEntry]:
        rows = await audit.list_entries(info.context, audit.AuditFilter(
            entity=entity, entity_id=entity_id, date_from=date_from, date_to=date_to,
            actor=actor, action=action), first)
        return [AuditEntry.of(r) for r in rows]

    @strawberry.field(description="审计日志（组织人事部门），从新到旧，游标分页")
    async def audit_log_page(self, info: GInfo,
                             entity: Annotated[str | None, strawberry.argument(
                                 description="只看此对象类型（表名）")] = None,
                             entity_id: Annotated[str | None, strawberry.argument(
                                 description="只看此对象 id")] = None,
                             first: First = 50,
                             after: After = None,
                             date_from: Annotated[date | None, strawberry.argument(
                                 description="开始日期（北京时间，含当天）")] = None,
                             date_to: Annotated[date | None, strawberry.argument(
                                 description="结束日期（北京时间，含当天）")] = None,
                             actor: Annotated[str | None, strawberry.argument(
                                 description="操作人标识，如 account:<id>")] = None,
                             action: Annotated[str | None, strawberry.argument(
                                 description="操作；以“.”结尾时按前缀筛选，"
                                             "如 login.")] = None) -> Connection[AuditEntry]:
        page = await audit.page_entries(info.context, audit.AuditFilter(
            entity=entity, entity_id=entity_id, date_from=date_from, date_to=date_to,
            actor=actor, action=action), first, after)
        return Connection.of(page, AuditEntry.of)

    @strawberry.field(description="审计日志的词表：操作和对象类型的中文名，供筛选和显示")
    def audit_vocabulary(self, info: GInfo) -> AuditVocabulary:
        info.context.authz  # noqa: B018 - refuses anonymous callers
        return AuditVocabulary.all()

    @strawberry.field(description="开通单位时可选的单位类型（试点单位的类型，不含组织部门）")
    def tenant_kinds(self, info: GInfo) -> list[TenantKindOption]:
        info.context.authz  # noqa: B018 - refuses anonymous callers
        return TenantKindOption.all_units()

    @strawberry.field(description="全部单位（仅市委组织部）")
    async def platform_tenants(self, info: GInfo) -> list[Tenant]:
        try:
            return [Tenant.of(t) for t in await platform.list_tenants(info.context)]
        except UserFacingError:
            return []
