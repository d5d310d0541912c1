"""Mutations of the org tree, posts, people, management relations and the roster."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from resolvers.org import roster
from resolvers.org import structure as org
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.enums import ComparisonGroup, ManagementKind, PersonStatus, UnitKind
from schema.errors import UserError, attempt
from schema.ids import NO_ID, parse_id
from schema.types.identity import OneTimeFile
from schema.types.org import ManagementRelation, OrgUnit, Person, Post
from schema.uploads import uploaded_file

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="部门的内容")
class OrgUnitInput:
    name: str = strawberry.field(description="部门名称")
    code: str = strawberry.field(description="部门编码（本单位内唯一）")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="上级部门 id；顶层不传")
    kind: UnitKind = strawberry.field(  # type: ignore[valid-type]
        default=UnitKind.department, description="组织单元类型")
    sort_order: int = strawberry.field(default=0, description="排序号（小的在前）")

    def domain(self) -> org.UnitInput:
        return org.UnitInput(name=self.name, code=self.code, parent_id=parse_id(self.parent_id),
                             kind=self.kind, sort_order=self.sort_order)


@strawberry.input(description="岗位的内容")
class PostInput:
    name: str = strawberry.field(description="岗位名称")
    code: str = strawberry.field(description="岗位编码（本单位内唯一）")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="所属部门 id；全单位通用岗位不传")
    description: str = strawberry.field(default="", description="岗位职责说明；可为空串")

    def domain(self) -> org.PostInput:
        return org.PostInput(name=self.name, code=self.code, unit_id=parse_id(self.unit_id),
                             description=self.description)


@strawberry.input(description="人员的内容")
class PersonInput:
    employee_no: str = strawberry.field(description="人员编号（本单位内唯一）")
    name: str = strawberry.field(description="姓名")
    unit_id: strawberry.ID = strawberry.field(description="所在部门 id")
    gender: str = strawberry.field(default="", description="性别（男、女）；可为空串")
    post_id: strawberry.ID | None = strawberry.field(
        default=None, description="岗位 id；未定岗不传")
    rank_title: str = strawberry.field(default="", description="职务职级；可为空串")
    comparison_group: ComparisonGroup = strawberry.field(  # type: ignore[valid-type]
        default=ComparisonGroup.staff, description="比较组（领导或干部）")
    appraised: bool = strawberry.field(default=True, description="是否参加本单位考核")
    status: PersonStatus = strawberry.field(  # type: ignore[valid-type]
        default=PersonStatus.active, description="人员状态（在职或已离开）")

    def domain(self) -> org.PersonInput:
        unit_id = parse_id(self.unit_id)
        assert unit_id is not None
        return org.PersonInput(
            employee_no=self.employee_no, name=self.name, unit_id=unit_id, gender=self.gender,
            post_id=parse_id(self.post_id), rank_title=self.rank_title,
            comparison_group=self.comparison_group, appraised=self.appraised,
            status=self.status)


@strawberry.type(description="保存部门的结果")
class OrgUnitPayload:
    unit: OrgUnit | None = strawberry.field(description="保存后的部门；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="删除的结果")
class DeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="已删除对象的 id；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="保存岗位的结果")
class PostPayload:
    post: Post | None = strawberry.field(description="保存后的岗位；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="保存人员的结果")
class PersonPayload:
    person: Person | None = strawberry.field(description="保存后的人员；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="设置管理关系的结果")
class ManagementRelationPayload:
    relation: ManagementRelation | None = strawberry.field(
        description="保存后的管理关系；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="花名册文件（XLSX 或 CSV）")
class RosterFileInput:
    filename: str = strawberry.field(description="文件名，以 .xlsx 或 .csv 结尾")
    content_base64: str | None = strawberry.field(
        default=None, description="文件内容的 Base64 编码；与 file 二选一")
    file: Upload | None = strawberry.field(
        default=None, description="上传的文件（GraphQL multipart 请求）；与 contentBase64 二选一")


@strawberry.type(description="花名册导入结果：全部成功或全部不导入")
class ImportRosterPayload:
    created: int = strawberry.field(description="新增的人员数")
    updated: int = strawberry.field(description="更新的人员数")
    created_posts: int = strawberry.field(description="新增的岗位数")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)
    created_accounts: int = strawberry.field(default=0, description="新建的登录账号数")
    accounts_file: OneTimeFile | None = strawberry.field(
        default=None, description="新账号的初始密码表（XLSX），只能下载一次")


def _id(value: object) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


@strawberry.type
class OrgMutation:
    @strawberry.mutation(description="新建部门")
    async def create_org_unit(self, info: GInfo,
                              input: Annotated[OrgUnitInput, strawberry.argument(
                                  description=INPUT_DOC)]) -> OrgUnitPayload:
        row, errors = await attempt(info, lambda: org.create_unit(info.context, input.domain()))
        return OrgUnitPayload(unit=OrgUnit.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="修改部门")
    async def update_org_unit(self, info: GInfo,
                              id: Annotated[strawberry.ID, strawberry.argument(
                                  description="部门 id")],
                              input: Annotated[OrgUnitInput, strawberry.argument(
                                  description=INPUT_DOC)]) -> OrgUnitPayload:
        row, errors = await attempt(info, lambda: org.update_unit(
            info.context, parse_id(id) or NO_ID, input.domain()))
        return OrgUnitPayload(unit=OrgUnit.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="删除没有人员和下级的部门")
    async def delete_org_unit(self, info: GInfo,
                              id: Annotated[strawberry.ID, strawberry.argument(
                                  description="部门 id")]) -> DeletePayload:
        deleted, errors = await attempt(info, lambda: org.delete_unit(
            info.context, parse_id(id) or NO_ID))
        return DeletePayload(deleted_id=_id(deleted), user_errors=errors)

    @strawberry.mutation(description="新建岗位")
    async def create_post(self, info: GInfo,
                          input: Annotated[PostInput, strawberry.argument(
                              description=INPUT_DOC)]) -> PostPayload:
        row, errors = await attempt(info, lambda: org.save_post(info.context, input.domain()))
        return PostPayload(post=Post.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="修改岗位")
    async def update_post(self, info: GInfo,
                          id: Annotated[strawberry.ID, strawberry.argument(
                              description="岗位 id")],
                          input: Annotated[PostInput, strawberry.argument(
                              description=INPUT_DOC)]) -> PostPayload:
        row, errors = await attempt(info, lambda: org.save_post(
            info.context, input.domain(), parse_id(id) or NO_ID))
        return PostPayload(post=Post.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="新建人员")
    async def create_person(self, info: GInfo,
                            input: Annotated[PersonInput, strawberry.argument(
                                description=INPUT_DOC)]) -> PersonPayload:
        row, errors = await attempt(info, lambda: org.save_person(info.context, input.domain()))
        return PersonPayload(person=Person.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="修改人员（调离、退休等请修改状态，不删除）")
    async def update_person(self, info: GInfo,
                            id: Annotated[strawberry.ID, strawberry.argument(
                                description="人员 id")],
                            input: Annotated[PersonInput, strawberry.argument(
                                description=INPUT_DOC)]) -> PersonPayload:
        row, errors = await attempt(info, lambda: org.save_person(
            info.context, input.domain(), parse_id(id) or NO_ID))
        return PersonPayload(person=Person.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="新增管理关系：部门负责人、分管领导或主要领导")
    async def add_management_relation(
        self, info: GInfo,
        manager_id: Annotated[strawberry.ID, strawberry.argument(
            description="领导（管理者）的人员 id")],
        kind: Annotated[ManagementKind, strawberry.argument(  # type: ignore[valid-type]
            description="管理关系类型")],
        unit_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="所管理的部门 id；管理某个人时不传")] = None,
    ) -> ManagementRelationPayload:
        row, errors = await attempt(info, lambda: org.add_management(
            info.context, parse_id(manager_id) or NO_ID, kind, parse_id(unit_id)))
        return ManagementRelationPayload(
            relation=ManagementRelation.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="删除管理关系")
    async def remove_management_relation(self, info: GInfo,
                                         id: Annotated[strawberry.ID, strawberry.argument(
                                             description="管理关系 id")]) -> DeletePayload:
        deleted, errors = await attempt(info, lambda: org.remove_management(
            info.context, parse_id(id) or NO_ID))
        return DeletePayload(deleted_id=_id(deleted), user_errors=errors)

    @strawberry.mutation(description="从 Excel(.xlsx) 或 CSV 导入花名册：有任何错误则全部不导入")
    async def import_roster(
        self, info: GInfo,
        input: Annotated[RosterFileInput, strawberry.argument(
            description=INPUT_DOC)],
        create_accounts: Annotated[bool, strawberry.argument(
            description="为文件中尚无账号的人员创建登录账号（角色“干部”，一次性初始密码，"
                        "首次登录须修改）")] = False,
    ) -> ImportRosterPayload:
        async def run() -> roster.RosterResult:
            return await roster.import_roster(info.context, await uploaded_file(
                input.filename, input.content_base64, input.file), create_accounts)

        result, errors = await attempt(info, run)
        link = result.accounts.link if result else None
        return ImportRosterPayload(
            created=result.created if result else 0, updated=result.updated if result else 0,
            created_posts=result.created_posts if result else 0, user_errors=errors,
            created_accounts=result.accounts.count if result else 0,
            accounts_file=OneTimeFile.of(link) if link else None)
